import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.format import Format
from nodecomp.nodes.draw.rectangle import Rectangle, rectangle_coverage
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def draw(params, background=None):
    doc = make_document()
    doc.format = Format(40, 30)
    src = source(doc, background) if background is not None else None
    return evaluate(doc, doc.add("Rectangle", src, **params))[0]


def test_hard_edges_hold_each_pixels_exact_area():
    coverage = rectangle_coverage(Box(0, 0, 40, 30), (10.3, 5.75), (30.1, 20.2), 0.0, "linear")
    xs = np.arange(40) + 0.5
    ys = np.arange(30) + 0.5
    fx = np.clip(np.minimum(xs + 0.5, 30.1) - np.maximum(xs - 0.5, 10.3), 0, None)
    fy = np.clip(np.minimum(ys + 0.5, 20.2) - np.maximum(ys - 0.5, 5.75), 0, None)
    np.testing.assert_allclose(coverage, np.outer(fy, fx), atol=1e-6)
    assert coverage.sum() == pytest.approx((30.1 - 10.3) * (20.2 - 5.75), rel=1e-5)


def test_corners_in_any_order_and_colour_opacity():
    a = draw({"corner0": (30.0, 20.0), "corner1": (10.0, 5.0), "color": (1, 0.5, 0.25, 1), "opacity": 0.5})
    b = draw({"corner0": (10.0, 5.0), "corner1": (30.0, 20.0), "color": (1, 0.5, 0.25, 1), "opacity": 0.5})
    np.testing.assert_array_equal(a.pixels, b.pixels)
    np.testing.assert_allclose(a.pixels[10, 20], [0.5, 0.25, 0.125, 0.5])
    assert not a.pixels[0, 0].any() and a.data_window == Box(0, 0, 40, 30)


def test_softness_ramps_inward_with_the_chosen_falloff():
    linear = draw({"corner0": (0.0, 0.0), "corner1": (40.0, 30.0), "softness": 8.0})
    row = linear.pixels[15, :, 3]
    assert row[0] == pytest.approx(1 / 16, abs=1e-6) and row[4] == pytest.approx(4.5 / 8, abs=1e-6)
    assert row[8:32].min() == 1.0
    smooth = draw({"corner0": (0.0, 0.0), "corner1": (40.0, 30.0), "softness": 8.0, "falloff": "smooth"})
    t = row[4]
    assert smooth.pixels[15, 4, 3] == pytest.approx(3 * t * t - 2 * t ** 3, abs=1e-6)


def test_invert_and_over_a_source():
    x = random_rgba(30, 40, seed=1)
    result = draw({"corner0": (10.0, 10.0), "corner1": (20.0, 20.0), "color": (0, 0, 0, 1), "invert": True}, image(x))
    np.testing.assert_array_equal(result.pixels[15, 15], x[15, 15])
    np.testing.assert_array_equal(result.pixels[2, 2], [0, 0, 0, 1])


def test_nothing_to_draw_passes_through():
    assert Rectangle.pass_through({"opacity": 0.0, "color": (1, 1, 1, 1)}) == "source"
    assert Rectangle.pass_through({"opacity": 1.0, "color": (0, 0, 0, 0)}) == "source"
    assert Rectangle.pass_through({"opacity": 1.0, "color": (0, 0, 0, 1)}) is None
    off = draw({"corner0": (100.0, 100.0), "corner1": (120.0, 120.0)})
    assert not off.pixels.any()
