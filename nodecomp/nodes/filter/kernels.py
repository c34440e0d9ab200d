"""Kernels and convolution shared by the filter nodes, with defined NaN and infinity handling.

OpenCV's `filter2D` switches to a DFT for kernels of 11x11 and more, which is what makes a
large disc fast, but a DFT spreads one NaN or infinity over the whole image. `convolve` keeps
the result local: non-finite inputs are set aside, the finite picture is filtered, and each
non-finite value is put back over its kernel footprint with IEEE's rules (+inf spreads as
+inf, -inf as -inf, NaN, or +inf meeting -inf, as NaN). That is what a direct convolution
with a kernel of positive taps gives, at the DFT's speed.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

# Samples per tap side when integrating a disc over a kernel tap: 16x16 puts each tap's
# weight within about 1/256 of its exact area, far below what a bokeh needs.
_DISC_SAMPLES = 16


def disc_kernel(radius: float) -> np.ndarray:
    """A normalised, antialiased disc: each tap weighs the area of its pixel inside the disc.

    Args:
        radius: disc radius in pixels; 0.5 or less is the identity (a single tap).

    Returns:
        A (2R+1, 2R+1) float32 kernel summing to 1, R = ceil(radius - 0.5).
    """
    half = math.ceil(max(float(radius), 0.5) - 0.5)
    if half == 0:
        return np.ones((1, 1), np.float32)
    offsets = (np.arange(_DISC_SAMPLES) + 0.5) / _DISC_SAMPLES - 0.5
    taps = np.arange(-half, half + 1, dtype=np.float64)
    coords = (taps[:, None] + offsets[None, :]).ravel()  # sample positions along one axis
    inside = (coords[:, None] ** 2 + coords[None, :] ** 2) <= radius * radius
    size = 2 * half + 1
    weights = inside.reshape(size, _DISC_SAMPLES, size, _DISC_SAMPLES).mean(axis=(1, 3))
    return (weights / weights.sum()).astype(np.float32)


def ellipse_element(radius_x: int, radius_y: int) -> np.ndarray:
    """A uint8 elliptical structuring element of the given integer radii (OpenCV's ellipse)."""
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius_x + 1, 2 * radius_y + 1))


def convolve(pixels: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlate (H, W, C) float32 pixels with a centred kernel, black beyond the array's edge.

    Non-finite inputs spread over their kernel footprint as described in the module doc,
    instead of over the whole image as a DFT would spread them.

    Args:
        pixels: any channel count; only read.
        kernel: (2Ry+1, 2Rx+1) float32 taps, all >= 0 for the infinity rules to hold.

    Returns:
        A new (H, W, C) float32 array.
    """
    height, width, channels = pixels.shape
    bad = nonfinite_masks(pixels)
    source = np.where(np.isfinite(pixels), pixels, np.float32(0.0)) if bad is not None else pixels
    result = cv2.filter2D(source, cv2.CV_32F, kernel, borderType=cv2.BORDER_CONSTANT)
    result = result.reshape(height, width, channels)
    if bad is not None:
        restore_nonfinite(result, bad, kernel > 0)
    return result


def nonfinite_masks(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(NaN, +inf, -inf) masks of `pixels`, or None when every value is finite (the usual case).

    The check is the array's minimum and maximum (SIMD reductions that propagate NaN), about
    2.5 ms at 2K RGBA, so a clean image costs little.
    """
    if pixels.size == 0 or (np.isfinite(pixels.min()) and np.isfinite(pixels.max())):
        return None
    return np.isnan(pixels), np.isposinf(pixels), np.isneginf(pixels)


def nan_mask(pixels: np.ndarray) -> np.ndarray | None:
    """Where `pixels` is NaN, or None when nothing is (one max reduction; NaN propagates through it)."""
    if pixels.size == 0 or not np.isnan(pixels.max()):
        return None
    return np.isnan(pixels)


def footprint(mask: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Where a kernel with nonzero taps `support` (centred) reads at least one True of `mask`.

    Args:
        mask: (H, W, C) bool.
        support: (kh, kw) bool, True where the kernel has a tap.

    Returns:
        (H, W, C) bool.
    """
    if not mask.any():
        return np.zeros_like(mask)
    height, width, channels = mask.shape
    element = np.ascontiguousarray(support[::-1, ::-1]).astype(np.uint8)  # correlation reads the mirror
    grown = cv2.dilate(mask.astype(np.uint8), element, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return grown.reshape(height, width, channels).astype(bool)


def restore_nonfinite(
    result: np.ndarray, masks: tuple[np.ndarray, np.ndarray, np.ndarray], support: np.ndarray
) -> None:
    """Write the IEEE outcome of non-finite inputs over their footprints into `result`, in place."""
    nan, pos, neg = (footprint(mask, support) for mask in masks)
    result[pos] = np.inf
    result[neg] = -np.inf
    result[nan | (pos & neg)] = np.nan


def propagate_nan(result: np.ndarray, nan: np.ndarray, support: np.ndarray) -> None:
    """Rank filters' rule: an output whose window holds a NaN is NaN (in place)."""
    result[footprint(nan, support)] = np.nan
