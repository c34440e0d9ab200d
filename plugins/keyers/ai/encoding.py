"""What a matting network sees: scene-linear RGB turned into display-like 0..1 values.

Networks (ours and most published ones) are trained on display-referred images, so the plate
is clipped to 0..1 and encoded with a 1/2.2 power before inference. Trimaps are 0 (background),
0.5 (unknown) and 1 (foreground).
"""

from __future__ import annotations

import numpy as np

GAMMA = 2.2


def encode_rgb(rgb: np.ndarray) -> np.ndarray:
    """Scene-linear (..., 3) colours -> network input in 0..1 (float32, new array)."""
    out = np.clip(np.asarray(rgb, np.float32), 0.0, 1.0)
    np.power(out, np.float32(1.0 / GAMMA), out=out)
    return out


def decode_srgb8(values: np.ndarray) -> np.ndarray:
    """8-bit sRGB-encoded values (0..255) -> scene-linear float32 (for training images from PNG/JPEG)."""
    v = np.asarray(values, np.float32) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)
