"""Groups render exactly as the same nodes ungrouped: same pixels, same cache keys."""

import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from tests.nodes.image_asserts import image, make_document, random_rgba, source


def comp():
    doc = make_document()
    plate = source(doc, image(random_rgba(24, 32, seed=3)))
    grade = doc.add("Grade", plate, multiply=(1.5, 1.2, 1.0, 1.0))
    blur = doc.add("Blur", grade, size=(3.0, 3.0))
    bg = doc.add("Constant", color=(0.1, 0.2, 0.3, 1.0))
    merge = doc.add("Merge", blur, bg)
    return doc, plate, grade, blur, merge


def test_grouped_graph_keeps_keys_and_pixels():
    doc, _plate, grade, blur, merge = comp()
    ev = Evaluator(doc)
    key, pixels = ev.hash(merge, 1), ev.evaluate(merge, 1).pixels.copy()
    blur_key = ev.hash(blur, 1)
    group = doc.group([grade, blur])
    ev = Evaluator(doc, ev.cache)
    assert ev.hash(group, 1) == blur_key
    assert ev.hash(merge, 1) == key
    np.testing.assert_array_equal(ev.evaluate(merge, 1).pixels, pixels)
    assert ev.stats.computes == {}  # everything came from the cache


def test_published_param_drives_the_inner_node():
    doc, _plate, grade, blur, _merge = comp()
    group = doc.group([grade, blur])
    doc.publish(group, blur, "size", "softness")
    ev = Evaluator(doc)
    before = ev.hash(group, 1)
    group["softness"] = (0.0, 0.0)
    assert ev.hash(group, 1) == ev.hash(grade, 1)  # a zero blur passes through
    assert ev.hash(group, 1) != before


def test_unconnected_group_input_is_blank_and_missing_output_is_named():
    doc = make_document()
    group = doc.add("Group")
    with doc.inside(group):
        gi = doc.add("GroupInput")
    with pytest.raises(EvaluationError, match="Group1.*no GroupOutput"):
        Evaluator(doc).evaluate(group, 1)
    with doc.inside(group):
        doc.add("GroupOutput", gi)
    result = Evaluator(doc).evaluate(group, 1)
    assert not result.pixels.any()


def test_disabled_group_passes_its_first_input():
    doc, plate, grade, blur, _merge = comp()
    group = doc.group([grade, blur])
    doc.set_disabled(group, True)
    ev = Evaluator(doc)
    assert ev.hash(group, 1) == ev.hash(plate, 1)


def test_nested_groups_evaluate():
    doc, _plate, grade, blur, merge = comp()
    ev = Evaluator(doc, ImageCache())
    key = ev.hash(merge, 1)
    inner = doc.group([grade])
    doc.group([inner, blur])
    assert Evaluator(doc).hash(merge, 1) == key


def test_write_inside_a_group_is_an_output():
    doc, _plate, _grade, blur, _merge = comp()
    write = doc.add("Write", blur, file="/tmp/never.exr")
    doc.group([write])
    assert write in doc.outputs()
