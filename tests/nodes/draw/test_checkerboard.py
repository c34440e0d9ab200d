import numpy as np

from nodecomp.core.format import Format
from nodecomp.nodes.draw.checkerboard import checker_pixels
from tests.nodes.image_asserts import evaluate, make_document


def test_squares_alternate_from_the_offset():
    pixels = checker_pixels(8, 4, 2, (0.0, 0.0), (0, 0, 0, 1), (1, 1, 1, 1))
    np.testing.assert_array_equal(pixels[..., 0], [[0, 0, 1, 1, 0, 0, 1, 1]] * 2 + [[1, 1, 0, 0, 1, 1, 0, 0]] * 2)
    shifted = checker_pixels(8, 4, 2, (1.0, 0.0), (0, 0, 0, 1), (1, 1, 1, 1))
    np.testing.assert_array_equal(shifted[0, :, 0], [1, 0, 0, 1, 1, 0, 0, 1])


def test_node_fills_the_format():
    doc = make_document()
    doc.format = Format(20, 10)
    result = evaluate(doc, doc.add("CheckerBoard", size=5, color0=(0.2, 0.2, 0.2, 1), color1=(0.8, 0.8, 0.8, 1)))[0]
    assert result.pixels.shape == (10, 20, 4) and (result.pixels[..., 3] == 1).all()
    np.testing.assert_allclose(result.pixels[0, 0], [0.2, 0.2, 0.2, 1])
    np.testing.assert_allclose(result.pixels[0, 5], [0.8, 0.8, 0.8, 1])
    np.testing.assert_allclose(result.pixels[5, 5], [0.2, 0.2, 0.2, 1])
