import numpy as np
import pytest

from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.time.retime import Retime, input_frame
from tests.nodes.time.clips import clip_document, value

DEFAULTS = {spec.name: spec.default for spec in Retime.params}


@pytest.mark.parametrize("frame, params, expected", [
    (1, {}, 1.0),
    (5, {"speed": 0.5}, 3.0),
    (4, {"speed": 0.5}, 2.5),
    (3, {"speed": 2.0, "input_start": 10}, 14.0),
    (3, {"speed": -1.0, "input_start": 10}, 8.0),
    (7, {"speed": 0.0, "input_start": 4}, 4.0),
    (12, {"speed": 0.5, "input_start": 1, "output_start": 10}, 2.0),
    (9, {"timing": "source_frame", "source_frame": 2.25}, 2.25),
    (4, {"speed": 0.1}, 1.3),  # 1 + 3 * 0.1 is 1.3000000000000003 in floats
])
def test_input_frame(frame, params, expected):
    assert input_frame(frame, {**DEFAULTS, **params}) == pytest.approx(expected, abs=1e-12)


def test_whole_float_rounding_snaps_to_the_frame():
    assert input_frame(11, {**DEFAULTS, "speed": 0.1}) == 2.0  # 1 + 10 * 0.1 = 2.0000000000000004


def test_half_speed_blends_neighbours_and_renders_each_input_frame_once():
    doc = clip_document()
    retime = doc.add("Retime", doc.add("FrameClip"), speed=0.5)
    ev = Evaluator(doc)
    assert [value(ev.evaluate(retime, f)) for f in range(1, 6)] == pytest.approx([1.0, 1.5, 2.0, 2.5, 3.0])
    assert ev.stats.computes == {"FrameClip1": 3, "Retime1": 2}  # only the in-between frames are computed


def test_blend_weights_follow_the_fraction():
    doc = clip_document()
    retime = doc.add("Retime", doc.add("FrameClip"), timing="source_frame", source_frame=4.25)
    result, = (Evaluator(doc).evaluate(retime, 1),)
    np.testing.assert_allclose(result.pixels, 4.25, rtol=1e-6)
    assert result.metadata["frame"] == 4.0  # metadata and windows come from the earlier frame


def test_whole_source_frames_are_forwarded_untouched():
    doc = clip_document()
    clip = doc.add("FrameClip")
    retime = doc.add("Retime", clip, speed=2.0, input_start=3)
    ev = Evaluator(doc)
    assert ev.evaluate(retime, 2) is ev.evaluate(clip, 5)
    assert "Retime1" not in ev.stats.computes


def test_nearest_filter_rounds_halves_up():
    doc = clip_document()
    retime = doc.add("Retime", doc.add("FrameClip"), speed=0.5, filter="nearest")
    ev = Evaluator(doc)
    assert [value(ev.evaluate(retime, f)) for f in range(1, 6)] == [1, 2, 2, 3, 3]
    assert "Retime1" not in ev.stats.computes


def test_keyed_source_frame_ramps_speed():
    doc = clip_document()
    retime = doc.add("Retime", doc.add("FrameClip"), timing="source_frame")
    retime.set_key("source_frame", 1, 1.0, interp="linear")
    retime.set_key("source_frame", 5, 3.0, interp="linear")
    ev = Evaluator(doc)
    assert [value(ev.evaluate(retime, f)) for f in range(1, 6)] == pytest.approx([1.0, 1.5, 2.0, 2.5, 3.0])


def test_identity_is_a_pass_through():
    doc = clip_document()
    clip = doc.add("FrameClip")
    retime = doc.add("Retime", clip)
    ev = Evaluator(doc)
    assert ev.hash(retime, 3) == ev.hash(clip, 3)


def test_blend_keys_change_with_the_fraction_only():
    doc = clip_document()
    retime = doc.add("Retime", doc.add("FrameClip"), speed=0.5)
    ev = Evaluator(doc)
    assert ev.hash(retime, 2) != ev.hash(retime, 4)  # 1.5 and 2.5
    other = doc.add("Retime", doc["FrameClip1"], speed=0.5, input_start=2, output_start=3)
    assert ev.hash(other, 4) != ev.hash(retime, 2)  # also 1.5 ... but other params, so another key


def test_schema_is_documented():
    assert Retime.__doc__ and all(spec.doc for spec in Retime.params)
