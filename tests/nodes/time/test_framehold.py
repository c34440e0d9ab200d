import pytest

from nodecomp.core.errors import ParamError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.time.framehold import FrameHold, held_frame
from tests.nodes.time.clips import clip_document, value


@pytest.mark.parametrize("frame, first, increment, expected", [
    (1, 5, 0, 5), (100, 5, 0, 5), (-3, 5, 0, 5),
    (5, 5, 3, 5), (7, 5, 3, 5), (8, 5, 3, 8), (4, 5, 3, 2), (2, 5, 3, 2), (1, 5, 3, -1),
])
def test_held_frame(frame, first, increment, expected):
    assert held_frame(frame, first, increment) == expected


def test_holds_one_frame_and_renders_the_input_once():
    doc = clip_document()
    clip = doc.add("FrameClip")
    hold = doc.add("FrameHold", clip, first_frame=7)
    grade = doc.add("Grade", hold, multiply=2.0)
    ev = Evaluator(doc)
    for frame in range(1, 11):
        assert value(ev.evaluate(grade, frame)) == 14.0
    assert ev.stats.computes == {"FrameClip1": 1, "Grade1": 1}  # FrameHold is never computed
    assert {ev.hash(hold, f) for f in range(1, 11)} == {ev.hash(clip, 7)}


def test_increment_steps_and_each_held_frame_is_rendered_once():
    doc = clip_document()
    hold = doc.add("FrameHold", doc.add("FrameClip"), first_frame=1, increment=4)
    ev = Evaluator(doc)
    assert [value(ev.evaluate(hold, f)) for f in range(1, 11)] == [1, 1, 1, 1, 5, 5, 5, 5, 9, 9]
    assert ev.stats.computes == {"FrameClip1": 3}


def test_held_image_is_the_input_untouched():
    doc = clip_document()
    clip = doc.add("FrameClip")
    hold = doc.add("FrameHold", clip, first_frame=3)
    ev = Evaluator(doc)
    assert ev.evaluate(hold, 9) is ev.evaluate(clip, 3)


def test_animated_hold_frame_and_bad_increment():
    doc = clip_document()
    hold = doc.add("FrameHold", doc.add("FrameClip"))
    hold.set_key("first_frame", 1, 10, interp="constant")
    hold.set_key("first_frame", 5, 20, interp="constant")
    ev = Evaluator(doc)
    assert [value(ev.evaluate(hold, f)) for f in (1, 4, 5, 9)] == [10, 10, 20, 20]
    with pytest.raises(ParamError, match="below the minimum"):
        hold["increment"] = -1


def test_schema_is_documented():
    assert FrameHold.__doc__ and all(spec.doc for spec in FrameHold.params)
