"""Building a clean plate (the screen alone) from a plate with a performer in it.

Pixels that are clearly screen are kept; the performer and a margin around it are filled from
the screen around them, either smoothly (push-pull, which follows gradual lighting falloff) or
by OpenCV's Navier-Stokes inpainting (which continues local structure such as seams and tracking
markers). Work is done at a reduced resolution: screen lighting varies slowly, and a quarter
resolution cuts the cost sixteen-fold. The result is used as the DifferenceKeyer's clean-plate
input, so the key adapts to uneven screen lighting pixel by pixel.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

from plugins.keyers.fill import push_pull


class FillMethod(StrEnum):
    """How the performer's area is filled (the values are the file format)."""

    SMOOTH = "smooth"
    INPAINT = "inpaint"


def screen_mask(screen_matte: np.ndarray, threshold: float, grow: int) -> np.ndarray:
    """1 where a pixel is screen: its key is below `threshold`, and it is `grow` pixels from any that is not."""
    foreground = (screen_matte >= threshold).astype(np.uint8)
    if grow > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
        foreground = cv2.dilate(foreground, kernel)
    return (1 - foreground).astype(np.float32)


def build(rgb: np.ndarray, known: np.ndarray, *, method: str, scale: float, smoothness: float) -> np.ndarray:
    """The clean plate: `rgb` where `known` is 1, filled elsewhere, then smoothed.

    Args:
        rgb: (H, W, 3) plate.
        known: (H, W) 1 for screen pixels, 0 for pixels to fill.
        method: a FillMethod value.
        scale: working resolution as a fraction of the plate (0.05 to 1).
        smoothness: Gaussian sigma, in plate pixels, applied to the result (evens out grain).

    Returns:
        (H, W, 3) float32 clean plate.
    """
    height, width = known.shape
    small_w, small_h = max(1, int(round(width * scale))), max(1, int(round(height * scale)))
    if (small_w, small_h) != (width, height):
        small = cv2.resize(rgb, (small_w, small_h), interpolation=cv2.INTER_AREA)
        small_known = cv2.resize(known, (small_w, small_h), interpolation=cv2.INTER_AREA)
        small_known = (small_known >= 0.999).astype(np.float32)  # a mixed cell is not known screen
    else:
        small, small_known = np.asarray(rgb, np.float32), known
    if method == FillMethod.INPAINT:
        filled = _inpaint(small, small_known)
    else:
        filled = push_pull(small, small_known)
        filled = np.where(small_known[..., None] > 0, small, filled)
    sigma = smoothness * scale
    if sigma > 0.3:
        filled = cv2.GaussianBlur(filled, (0, 0), sigma, borderType=cv2.BORDER_REPLICATE)
    if (small_w, small_h) != (width, height):
        filled = cv2.resize(filled, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(filled, dtype=np.float32)


def _inpaint(rgb: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Navier-Stokes inpainting of the unknown pixels, one channel at a time."""
    if not np.any(known > 0):
        return np.zeros_like(rgb)
    holes = (known <= 0).astype(np.uint8)
    radius = 3
    planes = [cv2.inpaint(np.ascontiguousarray(rgb[..., c], np.float32), holes, radius, cv2.INPAINT_NS)
              for c in range(rgb.shape[2])]
    return np.stack(planes, axis=-1)
