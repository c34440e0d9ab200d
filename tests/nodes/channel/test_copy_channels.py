import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.channel.copy_channels import copy_routes, output_window
from nodecomp.nodes.channel.mapping import Route
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_default_copies_b_alpha_into_a():
    a, b = random_rgba(3, 4, seed=1), random_rgba(3, 4, seed=2)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Copy", source(doc, image(a)), source(doc, image(b))))
    np.testing.assert_array_equal(result.pixels[..., :3], a[..., :3])
    np.testing.assert_array_equal(result.pixels[..., 3], b[..., 3])


def test_layers_are_appended_and_renames_work():
    a = random_rgba(2, 3, seed=3)
    b = random_rgba(2, 3, seed=4, channels=7)
    b_channels = ("R", "G", "B", "A", "depth.Z", "matte.A", "id.R")
    doc = make_document()
    node = doc.add("Copy", source(doc, image(a)), source(doc, image(b, b_channels)), channels="depth, A=matte.A, G=0")
    result, _ = evaluate(doc, node)
    assert result.channels == ("R", "G", "B", "A", "depth.Z")
    np.testing.assert_array_equal(result.pixels[..., 0], a[..., 0])
    np.testing.assert_array_equal(result.pixels[..., 1], 0.0)
    np.testing.assert_array_equal(result.pixels[..., 3], b[..., 5])
    np.testing.assert_array_equal(result.pixels[..., 4], b[..., 4])


@pytest.mark.parametrize("mode", ["a", "b", "union", "intersection"])
def test_bbox_and_zero_outside_each_input(mode):
    a_box, b_box = Box(0, 0, 4, 4), Box(2, 2, 6, 5)
    window = output_window(mode, a_box, b_box)
    a, b = random_rgba(4, 4, seed=5), random_rgba(3, 4, seed=6)
    doc = make_document()
    node = doc.add("Copy", source(doc, image(a, data_window=a_box, display_window=Box(0, 0, 10, 10))),
                   source(doc, image(b, data_window=b_box)), bbox=mode)
    result, _ = evaluate(doc, node)
    assert result.data_window == window and result.display_window == Box(0, 0, 10, 10)
    for y in range(window.y0, window.y1):
        for x in range(window.x0, window.x1):
            pixel = result.pixels[y - window.y0, x - window.x0]
            in_a = a_box.x0 <= x < a_box.x1 and a_box.y0 <= y < a_box.y1
            in_b = b_box.x0 <= x < b_box.x1 and b_box.y0 <= y < b_box.y1
            np.testing.assert_array_equal(pixel[:3], a[y, x, :3] if in_a else 0.0)
            np.testing.assert_array_equal(pixel[3], b[y - 2, x - 2, 3] if in_b else 0.0)


def test_missing_b_or_empty_list_passes_a_and_unknown_channel_fails():
    doc = make_document()
    a = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("Copy", a))
    np.testing.assert_array_equal(result.pixels, evaluator.evaluate(a, 1).pixels)
    b = source(doc, image(random_rgba(2, 2, seed=1)))
    result, evaluator = evaluate(doc, doc.add("Copy", a, b, channels=""))
    assert result is evaluator.evaluate(a, 1)
    with pytest.raises(EvaluationError, match=r"Copy\d+.*channels: no channel or layer 'depth'"):
        evaluate(doc, doc.add("Copy", a, b, channels="depth"))


def test_copy_routes_detects_duplicates():
    assert copy_routes("A", ("R", "A")) == [Route("A", 1)]
    with pytest.raises(ValueError, match="written twice"):
        copy_routes("A A=R", ("R", "A"))
