import numpy as np
import pytest

from nodecomp.api import RGBA, Box, Request
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.draw.constant import Constant, constant_pixels
from tests.nodes.image_asserts import evaluate, make_document


def test_constant_pixels_fills_every_pixel_with_the_colour():
    pixels = constant_pixels(3, 2, (0.1, 0.2, 0.3, 0.4))
    assert pixels.shape == (2, 3, 4) and pixels.dtype == np.float32
    np.testing.assert_array_equal(pixels, np.broadcast_to(np.float32([0.1, 0.2, 0.3, 0.4]), (2, 3, 4)))


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (1, 1), (1, 7)])
def test_constant_pixels_edge_sizes(shape):
    height, width = shape
    pixels = constant_pixels(width, height, (1, 2, 3, 4))
    assert pixels.shape == (height, width, 4)
    assert (pixels == np.float32([1, 2, 3, 4])).all()


def test_default_is_transparent_black_at_the_document_format():
    doc = make_document()
    doc.format = "HD_720"
    result, _ = evaluate(doc, doc.add("Constant"))
    assert result.channels == RGBA
    assert result.data_window == result.display_window == Box(0, 0, 1280, 720)
    assert result.pixels.shape == (720, 1280, 4)
    assert not result.pixels.any()
    assert result.pixel_aspect == 1.0


def test_size_and_colour():
    doc = make_document()
    node = doc.add("Constant", color=(0.25, 0.5, 2.0, 1.0), width=64, height=32)
    result, _ = evaluate(doc, node)
    assert result.data_window == result.display_window == Box(0, 0, 64, 32)
    np.testing.assert_array_equal(result.pixels[17, 40], np.float32([0.25, 0.5, 2.0, 1.0]))
    assert (result.pixels == result.pixels[0, 0]).all()


def test_zero_width_only_takes_the_format_width():
    doc = make_document()
    doc.format = "PAL"
    result, _ = evaluate(doc, doc.add("Constant", height=10))
    assert result.data_window == Box(0, 0, 720, 10)
    assert result.pixel_aspect == pytest.approx(1.0667)


def test_result_is_read_only_and_follows_the_document_format():
    doc = make_document()
    node = doc.add("Constant", color=(1, 1, 1, 1))
    from nodecomp.engine.evaluator import Evaluator

    evaluator = Evaluator(doc)
    first = evaluator.evaluate(node, 1)
    assert first.pixels.flags.writeable is False
    with pytest.raises(ValueError):
        first.pixels[0, 0, 0] = 2.0
    doc.format = "HD_720"
    second = evaluator.evaluate(node, 1)
    assert second.data_window == Box(0, 0, 1280, 720)
    assert evaluator.stats.computes["Constant1"] == 2


def test_schema_documents_every_param():
    assert Constant.__doc__ and all(spec.doc for spec in Constant.params)


def test_a_constant_fills_only_the_region_at_the_proxy_scale():
    doc = make_document()
    doc.format = "HD_720"
    node = doc.add("Constant", color=(0.1, 0.2, 0.3, 1.0))
    evaluator = Evaluator(doc)
    result = evaluator.evaluate(node, Request(1.0, region=Box(100, 50, 300, 450), scale=0.25))
    assert result.display_window == Box(0, 0, 320, 180)
    assert result.data_window == Box(25, 12, 75, 113)
    assert (result.pixels == np.float32([0.1, 0.2, 0.3, 1.0])).all()
    assert evaluator.stats.pixels == {node.name: 50 * 101}
    sized = doc.add("Constant", width=101, height=33)
    assert Evaluator(doc).evaluate(sized, Request(1.0, scale=0.5)).display_window == Box(0, 0, 51, 17)
