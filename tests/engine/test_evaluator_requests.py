"""Engine hooks for time nodes: several requests of one input, frame-dependent forwarding, params at other frames."""

import numpy as np
import pytest

from nodecomp.api import Float, Image, Input, Int, NodeType
from nodecomp.core.document import Document
from nodecomp.core.errors import EvaluationError
from nodecomp.core.format import Format
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.evaluator import Evaluator
from tests.engine.conftest import CALLS, Add, Gain, Offset, Ramp, Sink, Solid, _count


class Blend(NodeType):
    """Averages its input at frame and frame + 1: one input, two requests."""

    type_id = "test.Blend"
    inputs = (Input("source"),)

    @classmethod
    def input_requests(cls, request, params):
        return {"source": (request, request.at(request.frame + 1))}

    @staticmethod
    def compute(ctx, source):
        _count(ctx.node)
        first, second = source
        return first.with_pixels((first.pixels + second.pixels) / 2)


class Hold(NodeType):
    """Forwards its input at a fixed frame (a FrameHold)."""

    type_id = "test.Hold"
    inputs = (Input("source"),)
    params = (Int("at", default=1, doc="held frame"),)

    @classmethod
    def forward_input(cls, request, params):
        return "source"

    @classmethod
    def input_requests(cls, request, params):
        return {"source": request.at(params["at"]) if params["at"] > 0 else None}

    @staticmethod
    def compute(ctx, source, at):
        _count(ctx.node)
        assert source is None
        return Image.blank(ctx.format_box)


class Delta(NodeType):
    """Outputs its `value` at the frame minus its value at frame 1 (reads params at another frame)."""

    type_id = "test.Delta"
    params = (Float("value", default=0.0, doc="value"),)

    @classmethod
    def param_frames(cls, request, params):
        return (1.0,)

    @staticmethod
    def compute(ctx, value):
        _count(ctx.node)
        return Image.blank(ctx.format_box, value=value - ctx.params_at(1)["value"])


class Greedy(NodeType):
    """Reads params at a frame it did not declare (a node-author mistake)."""

    type_id = "test.Greedy"

    @staticmethod
    def compute(ctx):
        ctx.params_at(5)
        return Image.blank(ctx.format_box)


@pytest.fixture
def doc():
    CALLS.clear()
    Sink.seen.clear()
    document = Document(NodeRegistry([Solid, Ramp, Gain, Add, Offset, Sink, Blend, Hold, Delta, Greedy]))
    document.format = Format(8, 4)
    return document


def test_a_tuple_of_requests_gives_compute_a_tuple_of_images(doc):
    ramp = doc.add("Ramp")
    blend = doc.add("Blend", ramp)
    ev = Evaluator(doc)
    assert ev.evaluate(blend, 3).pixels[0, 0, 0] == pytest.approx(3.5)
    assert CALLS == {"Ramp1": 2, "Blend1": 1}
    ev.evaluate(blend, 4)  # frame 4 was computed for frame 3's blend: a cache hit
    assert CALLS == {"Ramp1": 3, "Blend1": 2}


def test_the_key_of_a_multi_request_depends_on_every_request(doc):
    ramp = doc.add("Ramp")
    blend = doc.add("Blend", ramp)
    ev = Evaluator(doc)
    assert ev.hash(blend, 3) != ev.hash(blend, 4)
    assert ev.hash(blend, 3) == ev.hash(blend, 3)
    plan = ev.plan(blend, 3)
    assert [sub.request.frame for sub in plan.inputs["source"]] == [3.0, 4.0]


def test_forwarding_at_another_frame_shares_the_upstream_key(doc):
    ramp = doc.add("Ramp")
    hold = doc.add("Hold", ramp, at=2)
    gain = doc.add("Gain", hold, gain=3.0)
    ev = Evaluator(doc)
    assert {ev.hash(hold, f) for f in range(1, 6)} == {ev.hash(ramp, 2)}
    for frame in range(1, 6):
        assert ev.evaluate(gain, frame).pixels[0, 0, 0] == 6.0
    assert CALLS == {"Ramp1": 1, "Gain1": 1}  # one upstream render, one downstream compute, Hold never


def test_forwarding_with_no_request_computes_the_node(doc):
    hold = doc.add("Hold", doc.add("Ramp"), at=0)
    ev = Evaluator(doc)
    ev.evaluate(hold, 3)
    assert CALLS == {"Hold1": 1}


def test_disabled_time_node_forwards_the_same_frame(doc):
    ramp = doc.add("Ramp")
    hold = doc.add("Hold", ramp, at=2)
    doc.set_disabled(hold, True)
    assert Evaluator(doc).evaluate(hold, 5).pixels[0, 0, 0] == 5.0


def test_params_at_another_frame_are_resolved_and_hashed(doc):
    delta = doc.add("Delta")
    delta.set_key("value", 1, 1.0, interp="linear")
    delta.set_key("value", 11, 3.0, interp="linear")
    ev = Evaluator(doc)
    assert ev.evaluate(delta, 6).pixels[0, 0, 0] == pytest.approx(1.0)
    key = ev.hash(delta, 6)
    delta.set_key("value", 1, 2.0, interp="linear")  # the reference frame's value changes...
    delta.set_key("value", 11, 4.0, interp="linear")  # ...and the value at frame 6 becomes 3.0
    assert ev.hash(delta, 6) != key
    np.testing.assert_allclose(ev.evaluate(delta, 6).pixels[0, 0, 0], 1.0)


def test_params_at_an_undeclared_frame_is_a_clear_error(doc):
    with pytest.raises(EvaluationError, match="Greedy1.*frame 5 were not requested"):
        Evaluator(doc).evaluate(doc.add("Greedy"), 1)
