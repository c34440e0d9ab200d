"""Antialiased edge profiles: the pixel-averaged value of a soft or hard edge, in closed form.

A shape's edge is a ramp r(u) = clamp(u / W, 0, 1) across the edge, u the distance inside in
pixels and W the softness width. A pixel sees the ramp averaged over its own 1-pixel width
(a box filter), which has the closed form R(u + 1/2) - R(u - 1/2) with R the ramp's
antiderivative. For W = 0 that is the exact area a straight hard edge covers, so shapes are
antialiased without supersampling, and a soft edge needs no special case.
"""

from __future__ import annotations

import numpy as np

FALLOFFS = ("linear", "smooth")


def _ramp_integral(u: np.ndarray, width: np.ndarray | float) -> np.ndarray:
    """Antiderivative of clamp(u / width, 0, 1) that is 0 for u <= 0."""
    u = np.asarray(u, dtype=np.float32)
    width = np.maximum(np.asarray(width, dtype=np.float32), np.float32(1e-12))
    inside = np.clip(u, 0.0, None)
    ramp_part = np.minimum(inside, width)
    return ramp_part * ramp_part / (2.0 * width) + np.maximum(inside - width, 0.0)


def edge_coverage(inside: np.ndarray, width: np.ndarray | float = 0.0) -> np.ndarray:
    """Pixel-averaged value of an edge ramp of `width` pixels, at `inside` pixels from the edge.

    Args:
        inside: signed distance of pixel centres from the edge, positive inside.
        width: ramp width in pixels (0 for a hard edge); scalar or per pixel.

    Returns:
        float32 values in 0..1: clamp(inside + 1/2, 0, 1) for a hard edge, the box-filtered
        ramp otherwise (0 at the edge's outer side, 1 once `width` inside).
    """
    return _ramp_integral(inside + np.float32(0.5), width) - _ramp_integral(inside - np.float32(0.5), width)


def apply_falloff(values: np.ndarray, falloff: str) -> np.ndarray:
    """Shape a 0..1 ramp: `linear` keeps it, `smooth` applies smoothstep 3t^2 - 2t^3 (in place)."""
    if falloff == "smooth":
        squared = values * values
        values *= np.float32(-2.0)
        values += np.float32(3.0)
        values *= squared
    return values


def interval_coverage(centres: np.ndarray, start: float, stop: float, softness: float) -> np.ndarray:
    """Pixel coverage of the interval [start, stop] along one axis, edges ramping inward by `softness`.

    cover = clamp(left + right - 1, 0, 1) with left and right the box-filtered ramps of the
    two edges. Exact area for hard edges at any width; for soft edges exact while the
    interval is at least 2 * softness wide (a narrower one never reaches 1).
    """
    left = edge_coverage(centres - np.float32(start), softness)
    right = edge_coverage(np.float32(stop) - centres, softness)
    return np.clip(left + right - 1.0, 0.0, 1.0)
