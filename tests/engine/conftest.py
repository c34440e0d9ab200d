"""Fake node types that count their computes (Gaffer's AddNode idea) for engine tests."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from nodecomp.api import RGBA, Color, Float, Image, Input, Int, NodeType
from nodecomp.core.document import Document
from nodecomp.core.format import Format
from nodecomp.core.registry import NodeRegistry

CALLS: dict[str, int] = {}
_lock = threading.Lock()


def _count(name: str) -> None:
    with _lock:
        CALLS[name] = CALLS.get(name, 0) + 1


class Solid(NodeType):
    """A constant colour the size of the format."""

    type_id = "test.Solid"
    params = (Color("color", default=(0.5, 0.5, 0.5, 1.0), doc="colour"),)

    @staticmethod
    def compute(ctx, color):
        _count(ctx.node)
        return Image.blank(ctx.format_box, RGBA, color)


class Ramp(NodeType):
    """A frame-dependent source: every pixel equals the frame number."""

    type_id = "test.Ramp"
    frame_dependent = True
    params = (Float("delay", default=0.0, doc="seconds to sleep in compute"),)

    @staticmethod
    def compute(ctx, delay):
        _count(ctx.node)
        steps = int(delay / 0.01)
        for _ in range(steps):
            ctx.check_cancelled()
            time.sleep(0.01)
        return Image.blank(ctx.format_box, RGBA, float(ctx.frame))


class Gain(NodeType):
    """Multiplies; identity gain passes through."""

    type_id = "test.Gain"
    inputs = (Input("source"),)
    params = (Float("gain", default=1.0, doc="factor"),)

    @classmethod
    def pass_through(cls, params):
        return "source" if params["gain"] == 1.0 else None

    @staticmethod
    def compute(ctx, source, gain):
        _count(ctx.node)
        return source.with_pixels(source.pixels * np.float32(gain))


class Add(NodeType):
    """a + b."""

    type_id = "test.Add"
    inputs = (Input("a"), Input("b"))

    @staticmethod
    def compute(ctx, a, b):
        _count(ctx.node)
        return a.with_pixels(a.pixels + b.pixels)


class Offset(NodeType):
    """Reads its input at frame + shift (a time node)."""

    type_id = "test.Offset"
    inputs = (Input("source"),)
    params = (Int("shift", default=0, doc="frames"),)

    @classmethod
    def input_requests(cls, request, params):
        return {"source": request.at(request.frame + params["shift"])}

    @staticmethod
    def compute(ctx, source, shift):
        _count(ctx.node)
        return source


class Fail(NodeType):
    """Fails on frames listed in `bad` (a bitmask over frames 0..30)."""

    type_id = "test.Fail"
    inputs = (Input("source"),)
    params = (Int("bad", default=0, doc="bitmask of failing frames"),)
    frame_dependent = True

    @staticmethod
    def compute(ctx, source, bad):
        if bad & (1 << int(ctx.frame)):
            raise ValueError("boom")
        return source


class Sink(NodeType):
    """An output that records the frames it saw."""

    type_id = "test.Sink"
    inputs = (Input("source"),)
    is_output = True
    cacheable = False
    seen: list[float] = []

    @staticmethod
    def compute(ctx, source):
        _count(ctx.node)
        Sink.seen.append(ctx.frame)
        return source


@pytest.fixture
def registry() -> NodeRegistry:
    return NodeRegistry([Solid, Ramp, Gain, Add, Offset, Fail, Sink])


@pytest.fixture
def doc(registry) -> Document:
    CALLS.clear()
    Sink.seen.clear()
    document = Document(registry)
    document.format = Format(64, 32)
    return document


@pytest.fixture
def calls() -> dict[str, int]:
    return CALLS
