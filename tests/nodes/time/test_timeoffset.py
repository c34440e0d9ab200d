from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.time.timeoffset import TimeOffset
from tests.nodes.time.clips import clip_document, value


def test_output_frame_f_shows_input_frame_f_minus_offset():
    doc = clip_document()
    clip = doc.add("FrameClip")
    later = doc.add("TimeOffset", clip, offset=10)
    earlier = doc.add("TimeOffset", clip, offset=-3)
    ev = Evaluator(doc)
    assert value(ev.evaluate(later, 11)) == 1.0
    assert value(ev.evaluate(earlier, 1)) == 4.0
    assert ev.evaluate(later, 15) is ev.evaluate(clip, 5)


def test_shifted_frames_share_the_input_cache():
    doc = clip_document()
    clip = doc.add("FrameClip")
    shifted = doc.add("TimeOffset", clip, offset=2)
    merge = doc.add("Merge", shifted, clip, operation="plus")
    ev = Evaluator(doc)
    for frame in range(3, 9):
        assert value(ev.evaluate(merge, frame)) == (frame - 2) + frame
    assert ev.stats.computes["FrameClip1"] == 8  # frames 1..8, each once, though both branches read it
    assert "TimeOffset1" not in ev.stats.computes
    assert ev.hash(shifted, 5) == ev.hash(clip, 3)


def test_zero_offset_is_a_pass_through():
    doc = clip_document()
    clip = doc.add("FrameClip")
    node = doc.add("TimeOffset", clip)
    ev = Evaluator(doc)
    assert ev.hash(node, 4) == ev.hash(clip, 4)


def test_schema_is_documented():
    assert TimeOffset.__doc__ and all(spec.doc for spec in TimeOffset.params)
