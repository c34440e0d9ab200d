"""Building small comps around the generator nodes."""

from __future__ import annotations

from nodecomp.testing import make_document
from plugins.generators import plugin

SIZE = (64, 64)
FAST = {"steps": 2, "guidance": 5.0, "prompt": "the red sky"}


def generator_document(frames: tuple[int, int] = (1, 1)):
    """A 64x64 document knowing the built-in and generator nodes."""
    return make_document(plugins=[plugin], size=SIZE, frames=frames)


def add_text2image(doc, model, **params):
    """A Text2Image node on `model` with fast settings (overridable)."""
    return doc.add("generators.Text2Image", model=str(model), **{**FAST, **params})
