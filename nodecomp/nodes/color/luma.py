"""Luminance weights: which grey a saturation change keeps.

The weights must match the primaries of the values they weigh. nodecomp's working space is
ACEScg (the OCIO config's scene_linear role), so `acescg` (AP1 luminance) is the default;
`rec709` matches Nuke's default and suits images in a Rec.709-primaries linear space.
"""

from __future__ import annotations

import numpy as np

# name -> (wr, wg, wb); "maximum" is not a weighted sum and is handled by callers.
WEIGHTS: dict[str, tuple[float, float, float]] = {
    "acescg": (0.2722287168, 0.6740817658, 0.0536895174),
    "rec709": (0.2126, 0.7152, 0.0722),
    "rec2020": (0.2627, 0.6780, 0.0593),
    "rec601": (0.299, 0.587, 0.114),
    "average": (1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0),
}
MAXIMUM = "maximum"
CHOICES: tuple[str, ...] = (*WEIGHTS, MAXIMUM)
DOC = (
    "Luminance that saturation keeps: acescg (AP1, the working space), rec709 (Nuke's default), "
    "rec2020, rec601, average of R, G, B, or maximum of R, G, B."
)


def luminance(rgb: np.ndarray, mode: str) -> np.ndarray:
    """The luminance of (..., 3) values as a (...) float32 array."""
    if mode == MAXIMUM:
        return rgb.max(axis=-1)
    wr, wg, wb = (np.float32(w) for w in WEIGHTS[mode])
    out = rgb[..., 0] * wr
    out += rgb[..., 1] * wg
    out += rgb[..., 2] * wb
    return out


def saturation_matrix(saturation: float, mode: str) -> np.ndarray:
    """The 3x3 matrix of out = luma + saturation * (in - luma) for a weighted-sum `mode`."""
    weights = np.asarray(WEIGHTS[mode], np.float64)
    return saturation * np.eye(3) + (1.0 - saturation) * np.outer(np.ones(3), weights)
