"""Filling unknown pixels from known ones: a push-pull pyramid (normalised convolution).

Both the clean plate (the screen behind the performer) and the edge colour estimate (the
performer's colour just outside where it is solid) need values where they are not seen. A
push-pull pyramid spreads known values outward smoothly at every scale in O(pixels), about
ten times faster than OpenCV's inpainting at 2K, and its result varies slowly, as screen
lighting does.
"""

from __future__ import annotations

import cv2
import numpy as np

_EPS = 1e-6


def push_pull(values: np.ndarray, weight: np.ndarray, *, min_size: int = 2) -> np.ndarray:
    """Fill pixels of low `weight` with a smooth blend of the known ones around them.

    Args:
        values: (H, W, C) float32; only pixels with weight > 0 are read.
        weight: (H, W) float32 confidence in 0..1 (1 known, 0 unknown).
        min_size: stop shrinking the pyramid at this many pixels on the short side.

    Returns:
        (H, W, C) float32: `values` where weight is 1, filled elsewhere; zeros when nothing is known.
    """
    values = np.asarray(values, np.float32)
    weight = np.clip(np.asarray(weight, np.float32), 0.0, 1.0)
    if not np.any(weight > 0):
        return np.zeros_like(values)
    sums = [values * weight[..., None]]
    weights = [weight]
    while min(weights[-1].shape) > min_size:
        sums.append(_as3d(cv2.pyrDown(sums[-1])))
        weights.append(cv2.pyrDown(weights[-1]))
    result = sums[-1] / np.maximum(weights[-1], _EPS)[..., None]
    for level in range(len(sums) - 2, -1, -1):
        height, width = weights[level].shape
        up = _as3d(cv2.pyrUp(result, dstsize=(width, height)))
        known = weights[level]
        local = sums[level] / np.maximum(known, _EPS)[..., None]
        trust = np.minimum(known * 4.0, 1.0)[..., None] if level else known[..., None]
        result = up + (local - up) * trust
    return result.astype(np.float32, copy=False)


def _as3d(array: np.ndarray) -> np.ndarray:
    """cv2 drops the channel axis of one-channel images; put it back."""
    return array[..., None] if array.ndim == 2 else array
