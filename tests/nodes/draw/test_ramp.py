import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.core.format import Format
from nodecomp.nodes.draw.ramp import ramp_pixels
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_horizontal_ramp_is_linear_between_the_points_and_flat_beyond():
    pixels = ramp_pixels(Box(0, 0, 20, 3), (4.5, 0.0), (14.5, 0.0), (0, 0, 0, 1), (1, 1, 1, 1), "linear")
    np.testing.assert_allclose(pixels[1, 4:15, 0], np.linspace(0, 1, 11), atol=1e-6)
    assert (pixels[:, :5, 0] == 0).all() and (pixels[:, 14:, 0] == 1).all()
    np.testing.assert_array_equal(pixels[0], pixels[2])  # perpendicular lines hold one colour
    assert (pixels[..., 3] == 1).all()


def test_diagonal_and_smooth():
    pixels = ramp_pixels(Box(0, 0, 10, 10), (0.0, 0.0), (10.0, 10.0), (0, 0, 0, 0), (2, 2, 2, 2), "smooth")
    np.testing.assert_allclose(pixels[3, 6], pixels[6, 3])
    t = 0.5
    assert pixels[4, 5, 0] == pytest.approx(2 * (3 * t * t - 2 * t ** 3), abs=1e-6)


def test_node_draws_over_a_source_and_refuses_equal_points():
    doc = make_document()
    doc.format = Format(16, 8)
    x = random_rgba(8, 16, seed=1)
    node = doc.add("Ramp", source(doc, image(x)), point0=(0.0, 0.0), point1=(16.0, 0.0),
                   color0=(0, 0, 0, 0), color1=(1, 0, 0, 1), opacity=0.5)
    result = evaluate(doc, node)[0]
    t = 8.5 / 16 * 0.5
    np.testing.assert_allclose(result.pixels[3, 8], np.array([t, 0, 0, t]) + x[3, 8] * (1 - t), rtol=1e-5)
    bad = doc.add("Ramp", point0=(3.0, 3.0), point1=(3.0, 3.0))
    with pytest.raises(EvaluationError, match="same point"):
        evaluate(doc, bad)
