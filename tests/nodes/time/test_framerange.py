import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.time.framerange import FrameRange
from tests.nodes.time.clips import clip_document, value


def test_inside_the_range_the_input_is_forwarded():
    doc = clip_document()
    clip = doc.add("FrameClip")
    limited = doc.add("FrameRange", clip, first_frame=3, last_frame=5)
    ev = Evaluator(doc)
    for frame in (3, 4, 5):
        assert ev.evaluate(limited, frame) is ev.evaluate(clip, frame)


def test_outside_is_black_in_the_document_format_and_never_renders_the_input():
    doc = clip_document()
    limited = doc.add("FrameRange", doc.add("FrameClip"), first_frame=3, last_frame=5)
    ev = Evaluator(doc)
    images = [ev.evaluate(limited, f) for f in (1, 2, 6, 50)]
    assert all(image is images[0] for image in images)  # one black frame for every frame outside
    black = images[0]
    assert black.display_window == black.data_window == Box(0, 0, doc.format.width, doc.format.height)
    assert black.channels == RGBA and not np.any(black.pixels)
    assert ev.stats.computes == {"FrameRange1": 1}


def test_hold_shows_the_nearest_end():
    doc = clip_document()
    limited = doc.add("FrameRange", doc.add("FrameClip"), first_frame=3, last_frame=5, outside="hold")
    ev = Evaluator(doc)
    assert [value(ev.evaluate(limited, f)) for f in (1, 3, 4, 5, 9)] == [3, 3, 4, 5, 5]
    assert ev.stats.computes == {"FrameClip1": 3}


def test_a_range_ending_before_it_starts_is_an_error():
    doc = clip_document()
    limited = doc.add("FrameRange", doc.add("FrameClip"), first_frame=5, last_frame=3)
    with pytest.raises(EvaluationError, match="FrameRange1.*5-3 ends before it starts"):
        Evaluator(doc).evaluate(limited, 4)


def test_schema_is_documented():
    assert FrameRange.__doc__ and all(spec.doc for spec in FrameRange.params)
