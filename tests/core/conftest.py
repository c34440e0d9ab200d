"""Fake node types for the core tests; the core suite never depends on the built-in nodes."""

from __future__ import annotations

import pytest

from nodecomp.core.document import Document
from nodecomp.core.nodetype import Input, NodeType
from nodecomp.core.params import Bool, Choice, Color, Float, Int, String, Vec2
from nodecomp.core.registry import NodeRegistry


class Source(NodeType):
    """A generator with one param of each common kind."""

    type_id = "test.Source"
    category = "Test"
    params = (
        Float("gain", default=1.0, min=0.0, max=100.0, doc="Brightness."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="Fill colour."),
        Choice("mode", choices=("fill", "ramp", "noise"), doc="Pattern."),
        String("label", default="", doc="Free text."),
        Vec2("offset", default=(0.0, 0.0), doc="Translate."),
        Bool("invert", default=False, doc="Invert."),
        Int("count", default=3, min=0, max=1000, doc="Repeats."),
    )

    @staticmethod
    def compute(ctx, gain, color, mode, label, offset, invert, count):
        return ("source", gain)


class Filter(NodeType):
    """One input, one float param."""

    type_id = "test.Filter"
    category = "Test"
    inputs = (Input("source"),)
    params = (Float("size", default=0.0, doc="Filter size."), Bool("flag", default=False))

    @staticmethod
    def compute(ctx, source, size, flag):
        return ("filter", source, size)


class Merge2(NodeType):
    """Two inputs and an optional mask."""

    type_id = "test.Merge2"
    category = "Test"
    inputs = (Input("a"), Input("b"), Input("mask", optional=True))
    params = (Choice("operation", choices=("over", "plus", "multiply")), Float("mix", default=1.0, min=0, max=1))

    @staticmethod
    def compute(ctx, a, b, mask, operation, mix):
        return ("merge", a, b)


class Sink(NodeType):
    """An output node (like Write)."""

    type_id = "test.Sink"
    category = "Test"
    inputs = (Input("source"),)
    params = (String("file", default="out.exr"),)
    is_output = True
    cacheable = False

    @staticmethod
    def compute(ctx, source, file):
        return source


FAKE_TYPES = (Source, Filter, Merge2, Sink)


def make_registry(*types: type[NodeType]) -> NodeRegistry:
    """A registry with `types` (default: every fake type)."""
    return NodeRegistry(types or FAKE_TYPES)


@pytest.fixture
def registry() -> NodeRegistry:
    return make_registry()


@pytest.fixture
def doc(registry: NodeRegistry) -> Document:
    return Document(registry)


def build_rich(doc: Document) -> Document:
    """A document using every feature the file format stores."""
    src = doc.add("Source", gain=2.0, mode="ramp", label="plate", offset=(3, 4), invert=True, count=7)
    other = doc.add("Source", name="Bg", color=(0.5, 0.25, 0.125, 1.0))
    blur = doc.add("Filter", src, size=2.5)
    merge = doc.add("Merge2", blur, other, operation="plus")
    doc.add("Sink", merge, file="out/comp.####.exr")
    src.set_key("gain", 1, 0.5, interp="linear")
    src.set_key("gain", 10, 4.0)
    doc.set_key(other, "color", 5, 0.75, component=2, interp="constant")
    doc.set_expression(blur, "size", "frame * 2")
    doc.set_expression(merge, "mix", "clamp(Source1.gain / 10, 0, 1)")
    doc.set_expression(src, "offset", "frame + 1", component=1)
    doc.set_disabled(other, True)
    doc.set_ui(merge, "pos", [120, -40])
    doc.set_ui(merge, "color", "#ff8800")
    doc.frame_range = (1001, 1100)
    doc.fps = 25
    doc.format = "UHD_4K"
    doc.set_setting("working_space", "ACEScg")
    doc.metadata.update({"shot": "sq010_sh020", "artist": "kim", "tags": ["a", "b"]})
    doc.current_frame = 1001
    return doc


@pytest.fixture
def rich(doc: Document) -> Document:
    return build_rich(doc)
