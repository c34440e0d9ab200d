import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.time.appendclip import AppendClip, clip_at
from tests.nodes.time.clips import clip_document, value

DEFAULTS = {spec.name: spec.default for spec in AppendClip.params}


def edit(doc, **params):
    first = doc.add("FrameClip")
    second = doc.add("FrameClip", base=100)
    ranges = {"clip1_first": 1, "clip1_last": 3, "clip2_first": 10, "clip2_last": 12}
    return doc.add("AppendClip", first, second, **{**ranges, **params})


def test_clip_at_walks_the_clips():
    params = {**DEFAULTS, "first_frame": 5, "clip1_first": 1, "clip1_last": 3, "clip2_first": 10, "clip2_last": 11}
    assert [clip_at(f, params) for f in range(4, 11)] == [None, (1, 1), (1, 2), (1, 3), (2, 10), (2, 11), None]
    assert clip_at(2, {**params, "outside": "hold"}) == (1, 1.0)
    assert clip_at(20, {**params, "outside": "hold"}) == (2, 11.0)


def test_clips_play_one_after_another_and_only_the_playing_one_renders():
    doc = clip_document()
    node = edit(doc)
    ev = Evaluator(doc)
    assert [value(ev.evaluate(node, f)) for f in range(1, 7)] == [1, 2, 3, 110, 111, 112]
    assert ev.stats.computes == {"FrameClip1": 3, "FrameClip2": 3}
    assert ev.hash(node, 4) == ev.hash(doc["FrameClip2"], 10)


def test_outside_the_edit_black_or_hold():
    doc = clip_document()
    node = edit(doc, first_frame=11)
    ev = Evaluator(doc)
    black = ev.evaluate(node, 10)
    assert not np.any(black.pixels) and black.data_window.width == doc.format.width
    assert ev.evaluate(node, 17) is black
    node["outside"] = "hold"
    assert value(ev.evaluate(node, 10)) == 1.0 and value(ev.evaluate(node, 30)) == 112.0


def test_an_unconnected_clip_is_a_black_gap_of_its_length():
    doc = clip_document()
    node = edit(doc, clips=3, clip2_first=1, clip2_last=2, clip3_first=1, clip3_last=1)
    doc.disconnect(node, "clip2")
    doc.connect(doc["FrameClip2"], node, "clip3")
    ev = Evaluator(doc)
    values = [value(ev.evaluate(node, f)) for f in range(1, 7)]
    assert values == [1, 2, 3, 0, 0, 101]


def test_a_clip_range_ending_before_it_starts_is_an_error():
    doc = clip_document()
    node = edit(doc, clip2_first=5, clip2_last=4)
    with pytest.raises(EvaluationError, match="AppendClip1.*clip2 range 5-4 ends before it starts"):
        Evaluator(doc).evaluate(node, 1)


def test_schema_is_documented():
    assert AppendClip.__doc__ and all(spec.doc for spec in AppendClip.params)
