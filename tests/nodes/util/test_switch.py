import numpy as np
import pytest

from nodecomp.core.errors import ParamError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.util.switch import Switch
from tests.nodes.time.clips import clip_document, value


def test_passes_the_chosen_input_and_never_touches_the_others():
    doc = clip_document()
    inputs = [doc.add("FrameClip", base=100 * i) for i in range(3)]
    switch = doc.add("Switch", *inputs, which=2)
    ev = Evaluator(doc)
    assert ev.evaluate(switch, 4) is ev.evaluate(inputs[2], 4)
    assert ev.hash(switch, 4) == ev.hash(inputs[2], 4)
    assert ev.stats.computes == {"FrameClip3": 1}
    plan = ev.plan(switch, 4)
    assert plan.forward is not None and plan.forward.node is inputs[2]


def test_which_can_be_animated():
    doc = clip_document()
    switch = doc.add("Switch", doc.add("FrameClip"), doc.add("FrameClip", base=100))
    switch.set_expression("which", "clamp(frame - 3, 0, 1)")
    ev = Evaluator(doc)
    assert [value(ev.evaluate(switch, f)) for f in range(1, 6)] == [1, 2, 3, 104, 105]
    assert ev.stats.computes == {"FrameClip1": 3, "FrameClip2": 2}


def test_an_unconnected_choice_is_black_in_the_document_format():
    doc = clip_document()
    switch = doc.add("Switch", doc.add("FrameClip"), which=5)
    image = Evaluator(doc).evaluate(switch, 1)
    assert image.data_window.width == doc.format.width and not np.any(image.pixels)


def test_which_out_of_range_is_refused():
    doc = clip_document()
    switch = doc.add("Switch")
    with pytest.raises(ParamError, match="above the maximum"):
        switch["which"] = 8


def test_schema_is_documented():
    assert Switch.__doc__ and all(spec.doc for spec in Switch.params)
