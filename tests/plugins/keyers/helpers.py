"""Graph helpers for the keyer tests: documents that know the keyer nodes, shots as source nodes."""

from __future__ import annotations

import numpy as np

import nodecomp as nc
from nodecomp.core.registry import NodeRegistry
from nodecomp.nodes import NODE_TYPES
from plugins.keyers import plugin
from plugins.keyers.synthetic import Shot
from tests.nodes.image_asserts import ImageSource, evaluate, image, source

__all__ = ["evaluate", "image", "keyer_document", "plate_node", "rgba", "source"]


def keyer_document() -> nc.Document:
    """A document with the built-in nodes, the test ImageSource and the keyer plugin's nodes."""
    return nc.Document(NodeRegistry([*NODE_TYPES, ImageSource, *plugin.node_types]))


def rgba(rgb: np.ndarray, alpha: np.ndarray | float = 1.0) -> np.ndarray:
    """(H, W, 4) from (H, W, 3) colour and an alpha plane or constant."""
    out = np.empty(rgb.shape[:2] + (4,), np.float32)
    out[..., :3] = rgb
    out[..., 3] = alpha
    return out


def plate_node(doc: nc.Document, shot: Shot, name: str | None = None):
    """A source node producing the shot's plate as an opaque RGBA image."""
    return source(doc, image(rgba(shot.plate)), name=name)
