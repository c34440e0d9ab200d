"""A synthetic shot for tracking tests: soft blobs moving along a known sub-pixel path.

Every frame is rendered analytically (each Gaussian blob evaluated at pixel centres), so a
sub-pixel move is exact, with no resampling in the test data itself.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import nodecomp as nc
from nodecomp.api import RGBA, Box, Image, NodeType
from nodecomp.core.format import Format
from nodecomp.core.registry import NodeRegistry
from nodecomp.nodes import NODE_TYPES
from tests.nodes.image_asserts import ImageSource

WIDTH, HEIGHT = 200, 160
_rng = np.random.default_rng(7)
BLOBS = np.column_stack([
    _rng.uniform(-40, WIDTH + 40, 900),   # x
    _rng.uniform(-40, HEIGHT + 40, 900),  # y
    _rng.uniform(-1.0, 1.0, 900),         # amplitude
    _rng.uniform(1.5, 3.5, 900),          # sigma
])


def path(frame: float) -> tuple[float, float]:
    """The texture's offset at `frame`: a drift with sub-pixel wobble (0 at frame 1)."""
    def raw(f: float) -> tuple[float, float]:
        return 1.37 * f + 0.8 * math.sin(0.7 * f), 0.53 * f - 0.6 * math.cos(0.45 * f)
    x1, y1 = raw(1.0)
    x, y = raw(frame)
    return x - x1, y - y1


def render(offset: tuple[float, float], width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """(H, W) float32 texture moved by `offset`, plus 0.5 so it is positive."""
    out = np.full((height, width), 0.5, dtype=np.float64)
    for bx, by, amp, sigma in BLOBS:
        cx, cy = bx + offset[0], by + offset[1]
        reach = 4 * sigma
        x0, x1 = max(0, int(cx - reach)), min(width, int(cx + reach) + 1)
        y0, y1 = max(0, int(cy - reach)), min(height, int(cy + reach) + 1)
        if x0 >= x1 or y0 >= y1:
            continue
        xs = np.arange(x0, x1) + 0.5 - cx
        ys = np.arange(y0, y1) + 0.5 - cy
        out[y0:y1, x0:x1] += amp * np.exp(-(ys[:, None] ** 2) / (2 * sigma**2)) * np.exp(-(xs[None, :] ** 2) /
                                                                                         (2 * sigma**2))
    return out.astype(np.float32)


class MovingTexture(NodeType):
    """The synthetic shot: grey RGBA frames of the texture at `path(frame)`; blank after frame 900."""

    type_id = "test.MovingTexture"
    frame_dependent = True

    @staticmethod
    def compute(ctx: Any) -> Image:
        gray = render(path(ctx.frame)) if ctx.frame < 900 else np.zeros((HEIGHT, WIDTH), np.float32)
        pixels = np.repeat(gray[..., None], 4, axis=2)
        pixels[..., 3] = 1.0
        return Image(pixels, RGBA, Box(0, 0, WIDTH, HEIGHT))


def tracking_document() -> nc.Document:
    """A document with the built-in nodes and the synthetic shot, in a 200x160 format."""
    doc = nc.Document(NodeRegistry([*NODE_TYPES, ImageSource, MovingTexture]))
    doc.format = Format(WIDTH, HEIGHT)
    return doc
