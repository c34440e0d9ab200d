"""Curves over the hue circle, written as text: `"0:1 60:1.4 120:1"` (degrees:value pairs).

A param holding such a string round-trips through `.ncomp` as it is, diffs as one readable
line, and can be typed in a script. The curve is periodic (360 wraps to 0): `smooth` is a
periodic Catmull-Rom spline through the points, `linear` joins them with straight lines. An
empty curve is flat at 1 (no change); one point is flat at its value.
"""

from __future__ import annotations

import math
import re

import numpy as np

SMOOTH = "smooth"
LINEAR = "linear"
INTERPOLATIONS = (SMOOTH, LINEAR)
_SAMPLES = 3600  # a lookup table every 0.1 degree
_PAIR = re.compile(r"^([-+0-9.eE]+):([-+0-9.eE]+)$")


class CurveSyntaxError(ValueError):
    """A curve string that does not parse."""


def parse(text: str) -> list[tuple[float, float]]:
    """The (hue in [0, 360), value) points of a curve string, sorted by hue.

    Raises:
        CurveSyntaxError: a pair is not `hue:value`, a number is not finite, or two points share
            a hue (after wrapping into 0..360).
    """
    points: dict[float, float] = {}
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        match = _PAIR.match(token)
        if match is None:
            raise CurveSyntaxError(f"{token!r} is not a hue:value pair (e.g. 120:1.5)")
        try:
            hue, value = float(match.group(1)), float(match.group(2))
        except ValueError:
            raise CurveSyntaxError(f"{token!r} is not a hue:value pair of numbers") from None
        if not (math.isfinite(hue) and math.isfinite(value)):
            raise CurveSyntaxError(f"{token!r} holds a number that is not finite")
        hue %= 360.0
        if hue in points:
            raise CurveSyntaxError(f"two points at hue {hue:g}")
        points[hue] = value
    return sorted(points.items())


def format_points(points: list[tuple[float, float]]) -> str:
    """The canonical text of a curve (what `parse` reads back)."""
    return " ".join(f"{hue:g}:{value:g}" for hue, value in points)


def is_flat_one(points: list[tuple[float, float]]) -> bool:
    """True when the curve is 1 at every hue."""
    return all(value == 1.0 for _, value in points)


def sample(points: list[tuple[float, float]], interpolation: str = SMOOTH,
           samples: int = _SAMPLES) -> np.ndarray:
    """The curve at hues 0, 360/samples, ... 360 (samples + 1 values; the last equals the first)."""
    hues = np.linspace(0.0, 360.0, samples + 1)
    if not points:
        return np.ones(samples + 1)
    if len(points) == 1:
        return np.full(samples + 1, points[0][1])
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    n = len(xs)
    # segment i runs from point i to point i+1 (the last one wraps to the first, 360 later)
    start = np.searchsorted(xs, hues, side="right") - 1  # -1: before the first point
    start = np.where(start < 0, n - 1, start)
    x0 = xs[start]
    x1 = np.where(start + 1 < n, xs[(start + 1) % n], xs[0] + 360.0)
    offset = np.where(hues < xs[0], hues + 360.0, hues)
    t = (offset - x0) / (x1 - x0)
    y0, y1 = ys[start], ys[(start + 1) % n]
    if interpolation == LINEAR:
        return y0 + (y1 - y0) * t
    return _catmull_rom(xs, ys, start, t, y0, y1)


def _catmull_rom(xs: np.ndarray, ys: np.ndarray, start: np.ndarray, t: np.ndarray, y0: np.ndarray,
                 y1: np.ndarray) -> np.ndarray:
    """Cubic Hermite with periodic Catmull-Rom tangents (non-uniform spacing, in value per degree)."""
    n = len(xs)
    prev_x = np.concatenate(([xs[-1] - 360.0], xs[:-1]))
    next_x = np.concatenate((xs[1:], [xs[0] + 360.0]))
    tangents = (np.roll(ys, -1) - np.roll(ys, 1)) / (next_x - prev_x)
    width = np.where(start + 1 < n, xs[(start + 1) % n], xs[0] + 360.0) - xs[start]
    m0, m1 = tangents[start] * width, tangents[(start + 1) % n] * width
    t2, t3 = t * t, t * t * t
    return ((2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * m1)


def lookup(table: np.ndarray, hue: np.ndarray) -> np.ndarray:
    """Values of a sampled curve at `hue` degrees (float32, linear between samples)."""
    samples = table.shape[0] - 1
    position = hue * np.float32(samples / 360.0)
    index = np.clip(position.astype(np.int32), 0, samples - 1)
    frac = position - index
    low = table[index]
    return low + (table[index + 1] - low) * frac
