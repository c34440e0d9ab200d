"""Projective (3x3 homography) resampling, shared by CornerPin and Tracker.

Same coordinates as `warp.py`: continuous EXR positions, pixel (i, j) centred at
(i + 0.5, j + 0.5), a matrix mapping source positions to output positions. An affine matrix
goes through `warp_image` (cv2.warpAffine, and whole-pixel moves that copy nothing); a true
perspective goes through cv2.warpPerspective with the half-pixel shifts folded into its map.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from nodecomp.api import Box, Image
from nodecomp.nodes.transform.warp import INTERPOLATIONS, SUPPORT, channel_groups, warp_image

# A homogeneous w below this (a corner at or behind the horizon line) has no finite image.
_MIN_W = 1e-9


def is_affine(matrix: np.ndarray) -> bool:
    """True when the bottom row is (0, 0, 1): no perspective division is needed."""
    return bool(np.array_equal(matrix[2], [0.0, 0.0, 1.0]))


def normalised(matrix: np.ndarray) -> np.ndarray:
    """`matrix` scaled so its bottom-right element is 1 (homographies are defined up to scale)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix[2, 2] != 0.0 and matrix[2, 2] != 1.0:
        matrix = matrix / matrix[2, 2]
    return matrix


def perspective_window(box: Box, matrix: np.ndarray, margin: float = 0.0) -> Box | None:
    """Floor/ceil bounding box of `box` grown by `margin` after `matrix`.

    None when a corner maps to or behind the horizon (w <= 0): the image then reaches
    infinitely far and only the clip window bounds it.
    """
    x0, y0, x1, y1 = box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin
    corners = matrix @ np.array([[x0, x1, x0, x1], [y0, y0, y1, y1], [1.0, 1.0, 1.0, 1.0]])
    if np.any(corners[2] <= _MIN_W):
        return None
    xs, ys = corners[0] / corners[2], corners[1] / corners[2]
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        return None
    eps = 1e-9
    return Box(
        math.floor(xs.min() + eps), math.floor(ys.min() + eps),
        math.ceil(xs.max() - eps), math.ceil(ys.max() - eps),
    )


def index_map(matrix: np.ndarray, data_window: Box, window: Box) -> np.ndarray:
    """The 3x3 map from output pixel indices (of `window`) to source indices (of `data_window`).

    index_out -> position: + (window origin + 0.5); position_out -> position_src: matrix^-1;
    position_src -> index: - (data origin + 0.5). This is what cv2 wants with WARP_INVERSE_MAP.
    """
    out_shift = np.array([[1.0, 0.0, window.x0 + 0.5], [0.0, 1.0, window.y0 + 0.5], [0.0, 0.0, 1.0]])
    src_shift = np.array([[1.0, 0.0, -data_window.x0 - 0.5], [0.0, 1.0, -data_window.y0 - 0.5], [0.0, 0.0, 1.0]])
    return src_shift @ np.linalg.inv(matrix) @ out_shift


def warp_perspective_pixels(
    pixels: np.ndarray, data_window: Box, matrix: np.ndarray, window: Box, filter: str
) -> np.ndarray:
    """Resample `pixels` through the homography `matrix` onto `window` (black beyond the data).

    Any channel count: channels go to OpenCV in groups of 1, 3 or 4 (see `channel_groups`).
    Returns a new float32 array.
    """
    mapping = index_map(matrix, data_window, window)
    flags = INTERPOLATIONS[filter] | cv2.WARP_INVERSE_MAP
    size = (window.width, window.height)
    nchannels = pixels.shape[2]
    if nchannels in (1, 3, 4):
        warped = cv2.warpPerspective(pixels, mapping, size, flags=flags, borderMode=cv2.BORDER_CONSTANT)
        return warped.reshape(window.height, window.width, nchannels)
    out = np.empty((window.height, window.width, nchannels), dtype=np.float32)
    for group in channel_groups(nchannels):
        warped = cv2.warpPerspective(np.ascontiguousarray(pixels[..., group]), mapping, size, flags=flags,
                                     borderMode=cv2.BORDER_CONSTANT)
        out[..., group] = warped.reshape(window.height, window.width, group.stop - group.start)
    return out


def warp_homography(
    source: Image, matrix: np.ndarray, filter: str, clip: Box, *, inside: tuple[float, float] | None = None
) -> Image:
    """`source` moved by the homography `matrix`, its data window clipped to `clip`.

    A homography is defined up to scale, sign included; the sign is chosen so the source
    point `inside` (the centre of the data window by default) lies in front of the horizon.
    The output data window is the moved data window's bounding box, grown by the filter's
    reach, clipped to `clip` (all of `clip` when the picture crosses the horizon; output
    pixels whose source lies behind it are black). Affine matrices take the affine path; a
    singular matrix gives an empty image.
    """
    matrix = normalised(matrix)
    if is_affine(matrix):
        return warp_image(source, matrix, filter, clip)
    if inside is None:
        box = source.data_window
        inside = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    if matrix[2, 0] * inside[0] + matrix[2, 1] * inside[1] + matrix[2, 2] < 0.0:
        matrix = -matrix
    data = source.data_window
    moved: Box | None = None
    if not np.all(np.isfinite(matrix)) or abs(np.linalg.det(matrix)) < 1e-12:
        window = Box(clip.x0, clip.y0, clip.x0, clip.y0)
    else:
        moved = perspective_window(data, matrix, SUPPORT[filter])
        window = clip if moved is None else moved.intersect(clip)
    if window.is_empty or data.is_empty:
        empty = np.zeros((window.height, window.width, len(source.channels)), dtype=np.float32)
        return source.with_pixels(empty, data_window=window)
    pixels = warp_perspective_pixels(source.pixels, data, matrix, window, filter)
    if moved is None:  # output points whose source lies behind the horizon would show a mirrored picture
        mapping = index_map(matrix, data, window)
        rows, cols = np.mgrid[0:window.height, 0:window.width]
        behind = mapping[2, 0] * cols + mapping[2, 1] * rows + mapping[2, 2] <= _MIN_W
        pixels[behind] = 0.0
    return source.with_pixels(pixels, data_window=window)
