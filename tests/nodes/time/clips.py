"""A frame-dependent test source for time nodes: every pixel of frame f holds f."""

from __future__ import annotations

from typing import Any

import nodecomp as nc
from nodecomp.api import RGBA, Box, Image, Int, NodeType
from nodecomp.core.registry import NodeRegistry
from nodecomp.nodes import NODE_TYPES
from tests.nodes.image_asserts import ImageSource


class FrameClip(NodeType):
    """RGBA frames whose pixels equal the frame number (plus `base`), 6x4 at (1, 2)."""

    type_id = "test.FrameClip"
    frame_dependent = True
    params = (Int("base", default=0, doc="Added to the frame number."),)

    @staticmethod
    def compute(ctx: Any, base: int) -> Image:
        image = Image.blank(Box(0, 0, 8, 8), RGBA, float(ctx.frame) + base, data_window=Box(1, 2, 7, 6))
        return image.replace(metadata={"frame": ctx.frame})


def clip_document() -> nc.Document:
    """A document knowing the built-in nodes, ImageSource and FrameClip."""
    return nc.Document(NodeRegistry([*NODE_TYPES, ImageSource, FrameClip]))


def value(image: Image) -> float:
    """The (uniform) value of the first pixel."""
    return float(image.pixels[0, 0, 0])
