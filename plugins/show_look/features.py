"""What the look network sees at each pixel: its colour, a little of its neighbourhood, and where it is.

Nine numbers per pixel, all cheap to compute on a whole frame before the network runs:

- the pixel's ACEScct colour (3): the colour part of the look;
- the ACEScct colour of its 5x5 box-blurred neighbourhood minus its own (3): local contrast,
  so the network can learn a little softening or sharpening, and which is exactly 0 on flat areas;
- x and y in -1..1 across the display window and r^2 = (x^2 + y^2) / 2 (3): position, so a
  vignette or a graded corner can be learned.

The neutral context (local contrast 0, centre of frame) leaves only the colour part: that is
what a 3D LUT can hold (`plugins.show_look.lut`).
"""

from __future__ import annotations

import cv2
import numpy as np

from plugins.show_look.encoding import lin_to_cct

FEATURES = 9
CONTEXT_SIZE = 5
NAMES = ("r", "g", "b", "local_r", "local_g", "local_b", "x", "y", "r2")


def positions(height: int, width: int, frame: tuple[int, int, int, int] | None = None,
              origin: tuple[int, int] = (0, 0)) -> tuple[np.ndarray, np.ndarray]:
    """Normalised x and y (-1..1 across `frame`) of the pixel centres of an (height, width) block.

    Args:
        height: rows of the block.
        width: columns of the block.
        frame: (x0, y0, x1, y1) of the display window; the block itself when None.
        origin: where the block's first pixel is, in the same coordinates as `frame`.
    """
    x0, y0, x1, y1 = frame if frame is not None else (0, 0, width, height)
    xs = (np.arange(width, dtype=np.float32) + origin[0] + 0.5 - x0) / max(x1 - x0, 1) * 2.0 - 1.0
    ys = (np.arange(height, dtype=np.float32) + origin[1] + 0.5 - y0) / max(y1 - y0, 1) * 2.0 - 1.0
    return np.broadcast_to(xs[None, :], (height, width)), np.broadcast_to(ys[:, None], (height, width))


def pixel_features(rgb: np.ndarray, frame: tuple[int, int, int, int] | None = None,
                   origin: tuple[int, int] = (0, 0)) -> np.ndarray:
    """(H, W, 9) float32 features of a scene-linear (H, W, 3) image.

    Args:
        rgb: scene-linear ACEScg colour.
        frame: the display window (x0, y0, x1, y1) that positions are measured in; the image when None.
        origin: the image's top-left pixel in the coordinates of `frame` (its data window origin).
    """
    rgb = np.ascontiguousarray(rgb, dtype=np.float32)
    height, width = rgb.shape[:2]
    out = np.empty((height, width, FEATURES), np.float32)
    colour = lin_to_cct(rgb)
    out[..., 0:3] = colour
    blurred = cv2.blur(rgb, (CONTEXT_SIZE, CONTEXT_SIZE), borderType=cv2.BORDER_REFLECT)
    out[..., 3:6] = lin_to_cct(blurred) - colour
    x, y = positions(height, width, frame, origin)
    out[..., 6] = x
    out[..., 7] = y
    out[..., 8] = (x * x + y * y) * 0.5
    return out


def neutral_features(cct_colours: np.ndarray) -> np.ndarray:
    """(N, 9) features of ACEScct colours with no local contrast, at the centre of frame."""
    colours = np.asarray(cct_colours, np.float32).reshape(-1, 3)
    out = np.zeros((colours.shape[0], FEATURES), np.float32)
    out[:, 0:3] = colours
    return out
