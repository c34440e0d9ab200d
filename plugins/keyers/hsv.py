"""Chroma (HSV) keying maths: how close each pixel's hue, saturation and value are to a key colour.

The match of a pixel to the key colour is the product of three soft windows:

    hue:        1 within `hue_range` degrees of the key hue, falling to 0 over `hue_softness` more
    saturation: 0 below `min_saturation` x the key's saturation, rising to 1 over `saturation_softness`
    value:      0 below `min_value`, rising to 1 over `value_softness`

and the matte is 1 - match: matched (screen) pixels become transparent. Hue and saturation come
from the scene-linear RGB as in HSV (hue in degrees, saturation (max - min) / max).
"""

from __future__ import annotations

import numpy as np


def rgb_to_hsv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hue in degrees [0, 360), saturation and value of (..., 3) colours (negatives clamped to 0)."""
    rgb = np.maximum(np.asarray(rgb, np.float32), 0.0)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = np.maximum(np.maximum(r, g), b)
    chroma = value - np.minimum(np.minimum(r, g), b)
    safe = np.where(chroma > 1e-12, chroma, 1.0).astype(np.float32)
    hue = np.where(value == r, np.mod((g - b) / safe, 6.0),
                   np.where(value == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0)) * np.float32(60.0)
    hue = np.where(chroma > 1e-12, hue, 0.0).astype(np.float32)
    saturation = np.where(value > 1e-12, chroma / np.where(value > 1e-12, value, 1.0), 0.0).astype(np.float32)
    return hue, saturation, value.astype(np.float32)


def hue_distance(hue: np.ndarray, centre: float) -> np.ndarray:
    """Shortest angular distance in degrees (0..180) between hues and `centre`."""
    delta = np.abs(np.mod(hue - np.float32(centre), 360.0))
    return np.minimum(delta, 360.0 - delta)


def ramp_up(x: np.ndarray, start: float, softness: float) -> np.ndarray:
    """0 below `start`, rising linearly to 1 at `start + softness` (a step when softness is 0)."""
    if softness <= 0:
        return (x >= start).astype(np.float32)
    return np.clip((x - np.float32(start)) / np.float32(softness), 0.0, 1.0)


def chroma_matte(rgb: np.ndarray, key_rgb: tuple[float, float, float], *, hue_range: float, hue_softness: float,
                 min_saturation: float, saturation_softness: float, min_value: float,
                 value_softness: float) -> np.ndarray:
    """1 - match of each pixel to the key colour (module formula); (H, W) float32."""
    hue, saturation, value = rgb_to_hsv(rgb)
    key_hue, key_saturation, _ = (float(np.asarray(c).reshape(())) for c in rgb_to_hsv(np.asarray(key_rgb)))
    match = 1.0 - ramp_up(hue_distance(hue, key_hue), hue_range, hue_softness)
    match *= ramp_up(saturation, min_saturation * key_saturation, saturation_softness * max(key_saturation, 1e-6))
    match *= ramp_up(value, min_value, value_softness)
    return (1.0 - match).astype(np.float32)
