"""Polygon rasterisation with unbiased antialiasing, and outward feathering by distance.

`polygon_coverage` samples a polygon on `SCANLINES` horizontal lines per pixel row and, along
each line, integrates it exactly over each pixel's width: the spans where the winding number
is nonzero are found from the sorted edge crossings, and their ends, split between the two
pixels around each end, are summed along the row into the covered fraction of each pixel.
Averaging the lines gives the coverage. Sampling happens at exact positions (OpenCV's
`fillPoly` includes every pixel an edge touches, which grows a shape by about half a sample),
and the dense cost is one pass over the box, in plain numpy.
"""

from __future__ import annotations

import cv2
import numpy as np

from nodecomp.api import Box
from nodecomp.nodes.draw.profiles import apply_falloff

SCANLINES = 8  # sample lines per pixel row: coverage steps of 1/8 along y, exact along x
_STRIP_ROWS = 64  # pixel rows rasterised at a time (bounds the edge x scanline table)


def polygon_coverage(polygon: np.ndarray, box: Box) -> np.ndarray:
    """Covered fraction of each pixel of `box` by a closed polygon (nonzero winding rule).

    Along each sample line the crossings are sorted and the winding number is followed
    through them; every span where it is nonzero adds +1 at its start and -1 at its end to
    its pixel row, split between the two pixels around each end by where the end falls. A
    running sum along the row then gives the covered length in each pixel, summed over the
    row's lines. Dense work is one pass over the box, however many lines are sampled.

    Args:
        polygon: (M, 2) float vertices in absolute pixel coordinates; the last joins the first.
        box: the pixels to compute.

    Returns:
        (box.height, box.width) float32 in 0..1.
    """
    coverage = np.zeros((box.height, box.width), np.float32)
    if box.is_empty or len(polygon) < 2:
        return coverage
    start = np.asarray(polygon, np.float64)
    end = np.roll(start, -1, axis=0)
    sloped = start[:, 1] != end[:, 1]
    start, end = start[sloped], end[sloped]
    top, bottom = np.minimum(start[:, 1], end[:, 1]), np.maximum(start[:, 1], end[:, 1])
    winding = np.where(end[:, 1] > start[:, 1], 1, -1)
    inverse_slope = (end[:, 0] - start[:, 0]) / (end[:, 1] - start[:, 1])
    for row0 in range(0, box.height, _STRIP_ROWS):
        rows = min(_STRIP_ROWS, box.height - row0)
        lines = box.y0 + row0 + (np.arange(rows * SCANLINES) + 0.5) / SCANLINES
        near = np.flatnonzero((top < lines[-1] + 1) & (bottom > lines[0] - 1))
        if near.size == 0:
            continue
        crosses = (top[near, None] <= lines[None, :]) & (lines[None, :] < bottom[near, None])
        edge, line = np.nonzero(crosses)
        if edge.size == 0:
            continue
        edge = near[edge]
        x = start[edge, 0] + (lines[line] - start[edge, 1]) * inverse_slope[edge] - box.x0
        order = np.lexsort((x, line))
        line, x, sign = line[order], x[order], winding[edge][order]
        after = np.cumsum(sign)
        first = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])
        after -= np.repeat(after[first] - sign[first], np.diff(np.r_[first, line.size]))
        before = after - sign
        opens, closes = (before == 0) & (after != 0), (before != 0) & (after == 0)
        ends = opens | closes
        _deposit(coverage[row0:row0 + rows], line[ends] // SCANLINES, x[ends], np.where(opens[ends], 1.0, -1.0))
    return coverage


def _deposit(rows: np.ndarray, row: np.ndarray, x: np.ndarray, sign: np.ndarray) -> None:
    """Add span starts (+1) and ends (-1) at positions `x` of `rows`, then integrate along x, in place."""
    height, width = rows.shape
    column = np.floor(x)
    fraction = x - column
    column = column.astype(np.int64)
    before_box = column < 0  # an end left of the box counts for its whole row
    fraction[before_box], column[before_box] = 0.0, 0
    keep = column < width  # ends right of the box change nothing inside it
    column, fraction, row, sign = column[keep], fraction[keep], row[keep], sign[keep]
    cells = height * (width + 1)
    index = row * (width + 1) + column
    steps = np.bincount(index, sign * (1.0 - fraction), minlength=cells)
    steps += np.bincount(index + 1, sign * fraction, minlength=cells)
    covered = np.cumsum(steps.reshape(height, width + 1)[:, :width], axis=1)
    rows[...] = np.clip(covered / SCANLINES, 0.0, 1.0)


def feathered(coverage: np.ndarray, feather: float, falloff: str = "linear") -> np.ndarray:
    """`coverage` with a ramp from 1 at the shape's edge to 0 at `feather` pixels outside it.

    The distance d of each outside pixel centre to the edge is estimated from the Euclidean
    distance transform to the nearest pixel whose centre is inside (minus half a pixel), and
    from the coverage for pixels the edge crosses (d = 0.5 - coverage). The result is
    max(coverage, falloff(clamp(1 - d / feather, 0, 1))).

    Args:
        coverage: (H, W) float32 in 0..1; the box must reach `feather` pixels beyond the shape.
        feather: ramp width in pixels, > 0.
        falloff: `linear` or `smooth` (smoothstep) shape of the ramp.

    Returns:
        A new (H, W) float32 array.
    """
    outside = (coverage < 0.5).astype(np.uint8)
    distance = cv2.distanceTransform(outside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE) - np.float32(0.5)
    partial = (coverage > 0.0) & (coverage < 0.5)
    distance[partial] = 0.5 - coverage[partial]
    ramp = apply_falloff(np.clip(1.0 - distance / np.float32(feather), 0.0, 1.0), falloff)
    return np.maximum(coverage, ramp)
