"""Documents that know the LED-wall nodes, and canvases fed in as source nodes."""

from __future__ import annotations

import numpy as np

import nodecomp as nc
from nodecomp.core.registry import NodeRegistry
from nodecomp.nodes import NODE_TYPES
from plugins.led_wall import plugin
from tests.nodes.image_asserts import ImageSource, evaluate, image, source

__all__ = ["evaluate", "led_document", "canvas_node", "image", "source"]


def led_document() -> nc.Document:
    """A document with the built-in nodes, the test ImageSource and the LED-wall plugin's nodes."""
    return nc.Document(NodeRegistry([*NODE_TYPES, ImageSource, *plugin.node_types]))


def canvas_node(doc: nc.Document, width: int, height: int, value=(1.0, 1.0, 1.0), name: str | None = None):
    """A source node producing an opaque RGBA canvas of a constant colour (scene-linear)."""
    pixels = np.empty((height, width, 4), np.float32)
    pixels[..., :3] = value
    pixels[..., 3] = 1.0
    return source(doc, image(pixels), name=name)
