"""Tiles for generating images larger than a model's comfortable size, blended across overlaps.

Diffusion models are trained at one size (512 for SD 1.x, 1024 for SDXL) and their memory grows
with the square of the side; plates are bigger. Upscale and Outpaint therefore work in tiles of
`tile` pixels that overlap by `overlap` pixels. Where tiles overlap, each contributes with a
weight that ramps linearly from 0 at its edge to 1 `overlap` pixels inside it, so seams fade
instead of showing. Image borders get no ramp (nothing is there to blend with).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tile:
    """One tile: its half-open pixel box [x0, x1) x [y0, y1) in the image."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        """Columns."""
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        """Rows."""
        return self.y1 - self.y0

    @property
    def slices(self) -> tuple[slice, slice]:
        """(rows, columns) slices into an (H, W, ...) array."""
        return slice(self.y0, self.y1), slice(self.x0, self.x1)


def _starts(length: int, tile: int, overlap: int) -> list[int]:
    if length <= tile:
        return [0]
    step = max(1, tile - overlap)
    starts = list(range(0, length - tile, step))
    starts.append(length - tile)  # the last tile is flush with the edge, so every tile is full size
    return starts


def tiles(width: int, height: int, tile: int, overlap: int) -> list[Tile]:
    """Tiles covering a width x height image, row by row, each at most tile x tile.

    Raises:
        ValueError: the tile is not larger than the overlap.
    """
    if tile <= overlap:
        raise ValueError(f"tile size {tile} must be larger than the overlap {overlap}")
    return [
        Tile(x, y, min(x + tile, width), min(y + tile, height))
        for y in _starts(height, tile, overlap)
        for x in _starts(width, tile, overlap)
    ]


def _ramp(length: int, overlap: int, ramp_start: bool, ramp_end: bool) -> np.ndarray:
    weights = np.ones(length, np.float32)
    size = min(overlap, length // 2)
    if size > 0:
        ramp = (np.arange(size, dtype=np.float32) + 0.5) / size
        if ramp_start:
            weights[:size] = np.minimum(weights[:size], ramp)
        if ramp_end:
            weights[length - size:] = np.minimum(weights[length - size:], ramp[::-1])
    return weights


def tile_weights(tile: Tile, width: int, height: int, overlap: int) -> np.ndarray:
    """(tile.height, tile.width) blend weights: ramps on the sides that border other tiles."""
    across = _ramp(tile.width, overlap, tile.x0 > 0, tile.x1 < width)
    down = _ramp(tile.height, overlap, tile.y0 > 0, tile.y1 < height)
    return down[:, None] * across[None, :]


class Blender:
    """Accumulates tiles into a width x height image with overlap weights."""

    def __init__(self, width: int, height: int, channels: int, overlap: int) -> None:
        self.width, self.height, self.overlap = width, height, overlap
        self._sum = np.zeros((height, width, channels), np.float32)
        self._weight = np.zeros((height, width, 1), np.float32)

    def add(self, tile: Tile, pixels: np.ndarray) -> None:
        """Blend a tile's (tile.height, tile.width, channels) pixels in."""
        weights = tile_weights(tile, self.width, self.height, self.overlap)[..., None]
        rows, cols = tile.slices
        self._sum[rows, cols] += pixels * weights
        self._weight[rows, cols] += weights

    def covered(self) -> np.ndarray:
        """(H, W) True where at least one tile has contributed."""
        return self._weight[..., 0] > 0

    def region(self, tile: Tile, fill: np.ndarray) -> np.ndarray:
        """The blended pixels under `tile` so far; pixels no tile covered come from `fill` (full size)."""
        rows, cols = tile.slices
        weight = self._weight[rows, cols]
        out = np.where(weight > 0, self._sum[rows, cols] / np.maximum(weight, 1e-12), fill[rows, cols])
        return out.astype(np.float32, copy=False)

    def result(self, fill: np.ndarray | None = None) -> np.ndarray:
        """The blended image; pixels no tile covered come from `fill` (else zero)."""
        out = self._sum / np.maximum(self._weight, 1e-12)
        if fill is not None:
            out = np.where(self._weight > 0, out, fill)
        return out.astype(np.float32, copy=False)


def progress_spans(count: int) -> Iterator[tuple[float, float]]:
    """(start, end) fractions of a whole job for each of `count` equal parts."""
    for index in range(count):
        yield index / count, (index + 1) / count
