"""Tiled inference with overlap: large frames run through a network one tile at a time.

A 4K frame does not fit a network's memory in one piece (and on a CPU one piece is no faster),
so the frame is cut into tiles that overlap by `overlap` pixels. Each tile is padded (edge
reflection) to a multiple of what the network needs, predicted, and blended into the result:
the outer quarter of each overlap (where the network saw padding) is dropped and the rest
cross-faded linearly, so tile seams do not show. A callback runs
after every tile (progress, and a chance to cancel between tiles).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of tiles of size `tile` covering `length` with at least `overlap` shared pixels."""
    if length <= tile:
        return [0]
    step = max(1, tile - overlap)
    starts = list(range(0, length - tile, step))
    starts.append(length - tile)
    return starts


def _ramp(size: int, overlap: int, lead: bool, trail: bool) -> np.ndarray:
    """1-D blend weights of one tile: 0 over the outer quarter of an overlap, then a linear rise to 1.

    A network's output is unreliable within its receptive field of a tile's edge (it sees padding
    there), so that strip gets no weight at all; across the rest of the overlap the two tiles'
    weights cross-fade and sum to exactly 1.
    """
    weight = np.ones(size, np.float32)
    if overlap <= 0:
        return weight
    margin = overlap // 4
    positions = np.arange(min(overlap, size), dtype=np.float32) + 0.5
    ramp = np.clip((positions - margin) / max(overlap - 2 * margin, 1), 0.0, 1.0)
    if lead:
        weight[: ramp.size] = np.minimum(weight[: ramp.size], ramp)
    if trail:
        weight[size - ramp.size:] = np.minimum(weight[size - ramp.size:], ramp[::-1])
    return weight


def _pad_to(planes: np.ndarray, multiple: int) -> np.ndarray:
    height, width = planes.shape[:2]
    pad_y, pad_x = (-height) % multiple, (-width) % multiple
    if not pad_y and not pad_x:
        return planes
    mode = "reflect" if height > pad_y and width > pad_x else "edge"
    return np.pad(planes, ((0, pad_y), (0, pad_x), (0, 0)), mode=mode)


def run_tiled(predict: Callable[[np.ndarray], np.ndarray], planes: np.ndarray, *, tile: int, overlap: int,
              multiple: int = 1, after_tile: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Predict a (H, W) map from (H, W, C) planes tile by tile, blending overlaps.

    Args:
        predict: maps a (h, w, C) float32 tile (h, w multiples of `multiple`) to (h, w).
        planes: the network input for the whole frame.
        tile: tile size in pixels (rounded up to a multiple of `multiple`).
        overlap: pixels shared by neighbouring tiles (clamped to half a tile).
        multiple: the size multiple the network needs.
        after_tile: called with (tiles done, tiles in all) after each tile; may raise to stop.

    Returns:
        (H, W) float32.
    """
    height, width = planes.shape[:2]
    tile = max(multiple, -(-tile // multiple) * multiple)
    overlap = max(0, min(overlap, tile // 2))
    ys, xs = tile_starts(height, tile, overlap), tile_starts(width, tile, overlap)
    result = np.zeros((height, width), np.float32)
    weights = np.zeros((height, width), np.float32)
    total, done = len(ys) * len(xs), 0
    for row, y0 in enumerate(ys):
        y1 = min(height, y0 + tile)
        wy = _ramp(y1 - y0, overlap, row > 0, row < len(ys) - 1)
        for column, x0 in enumerate(xs):
            x1 = min(width, x0 + tile)
            piece = _pad_to(np.ascontiguousarray(planes[y0:y1, x0:x1]), multiple)
            out = np.asarray(predict(piece), np.float32)[: y1 - y0, : x1 - x0]
            wx = _ramp(x1 - x0, overlap, column > 0, column < len(xs) - 1)
            weight = wy[:, None] * wx[None, :]
            result[y0:y1, x0:x1] += out * weight
            weights[y0:y1, x0:x1] += weight
            done += 1
            if after_tile is not None:
                after_tile(done, total)
    np.divide(result, np.maximum(weights, 1e-12), out=result)
    return result
