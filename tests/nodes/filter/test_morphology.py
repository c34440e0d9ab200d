import math

import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import ParamError
from nodecomp.nodes.filter.morphology import Dilate, Erode, element, minmax_pixels, soft_thresholds
from tests.nodes.image_asserts import evaluate, from_imagebuf, image, make_document, random_rgba, source, to_imagebuf


def run(node, img, **params):
    doc = make_document()
    return evaluate(doc, doc.add(node, source(doc, img), **params))[0]


def disc_matte(size, radius, centre=None):
    cy, cx = centre or (size / 2, size / 2)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    return (np.hypot(xx - cx, yy - cy) <= radius).astype(np.float32)[..., None]


@pytest.mark.parametrize("shape", ["box", "disc"])
def test_minmax_equals_opencv(shape):
    x = random_rgba(20, 26, seed=1)
    kernel = element((2, 1), shape)
    eroded = run("Erode", image(x), size=(2.0, 1.0), shape=shape)
    np.testing.assert_array_equal(eroded.pixels, cv2.erode(x, kernel))
    dilated = run("Dilate", image(x), size=(2.0, 1.0), shape=shape, crop=False)
    assert dilated.data_window == Box(-2, -1, 28, 21)
    np.testing.assert_array_equal(dilated.pixels[1:-1, 2:-2], cv2.dilate(x, kernel))


def test_minmax_equals_imagebufalgo_erode_and_dilate():
    x = random_rgba(18, 22, seed=2)
    buffer = to_imagebuf(x)
    window = Box(0, 0, 22, 18)
    eroded = run("Erode", image(x), size=(1.0, 2.0))
    np.testing.assert_array_equal(eroded.pixels, from_imagebuf(IBA.erode(buffer, 3, 5), window))
    dilated = run("Dilate", image(x), size=(1.0, 2.0))
    np.testing.assert_array_equal(dilated.pixels, from_imagebuf(IBA.dilate(buffer, 3, 5), window))


def test_dilate_grows_the_window_with_only_reachable_values():
    x = np.zeros((5, 5, 1), np.float32)
    x[0, 0] = 1.0
    result = run("Dilate", image(x, ("A",), display_window=Box(-10, -10, 20, 20)), size=(2.0, 2.0), shape="disc")
    assert result.data_window == Box(-2, -2, 7, 7)
    expected = cv2.dilate(np.pad(x[..., 0], 2), element((2, 2), "disc"))
    np.testing.assert_array_equal(result.pixels[..., 0], expected)


def test_dilate_margin_stays_black_with_a_nan_inside():
    x = np.zeros((5, 5, 1), np.float32)
    x[0, 0], x[4, 4] = 1.0, np.nan
    result = run("Dilate", image(x, ("A",), display_window=Box(-10, -10, 20, 20)), size=(2.0, 2.0), shape="disc")
    alpha = result.pixels[..., 0]
    assert alpha[0, 0] == 0.0 and alpha[0, 2] == 1.0 and np.isnan(alpha[6, 6])
    assert np.isfinite(alpha[:3]).all() and np.nanmin(alpha) >= 0.0


def test_erode_ignores_pixels_outside_the_data_window():
    full = np.ones((12, 12, 1), np.float32)
    result = run("Erode", image(full, ("A",)), size=(3.0, 3.0))
    np.testing.assert_array_equal(result.pixels, full)
    soft = run("Erode", image(full, ("A",)), size=(3.0, 3.0), mode="filter")
    np.testing.assert_allclose(soft.pixels, full, atol=1e-6)


def test_soft_thresholds_put_a_straight_edge_size_pixels_away():
    low, middle, high = soft_thresholds((4.0, 4.0), 0.0, dilate=False)
    assert middle == pytest.approx(0.97725, abs=1e-5)  # Phi(2): 2 sigma = 4 px inside the edge
    assert low < middle < high
    step = np.zeros((8, 200, 1), np.float32)
    step[:, 100:] = 1.0  # edge at x = 100
    for node, size, edge in (("Erode", 4.0, 104.0), ("Dilate", 4.0, 96.0), ("Erode", 2.5, 102.5)):
        result = run(node, image(step, ("A",), display_window=Box(-50, 0, 250, 8)), size=(size, size), mode="filter")
        row = result.pixels[4, :, 0]
        xs = np.arange(result.data_window.x0, result.data_window.x1) + 0.5
        crossing = np.interp(0.5, row[(xs > 80) & (xs < 120)], xs[(xs > 80) & (xs < 120)])
        assert crossing == pytest.approx(edge, abs=0.2), node  # sampling the blur costs < 0.2 px
        assert row.min() >= 0 and row.max() <= 1


@pytest.mark.parametrize("node, radius", [("Erode", 35.0), ("Dilate", 45.0)])
def test_soft_erode_and_dilate_move_a_disc_edge(node, radius):
    matte = disc_matte(128, 40.0)
    result = run(node, image(matte, ("A",)), size=(5.0, 5.0), mode="filter", softness=0.5)
    assert result.pixels.sum() == pytest.approx(math.pi * radius ** 2, rel=0.015)


def test_nan_makes_its_window_nan():
    x = random_rgba(10, 10, seed=3)
    x[5, 5, 0] = np.nan
    result = minmax_pixels(x, (1, 1), "box", dilate=False)
    assert np.isnan(result[4:7, 4:7, 0]).all() and np.isnan(result[..., 0]).sum() == 9
    assert np.isfinite(result[..., 1:]).all()


def test_identity_and_bad_sizes():
    assert Erode.pass_through({"mode": "minmax", "size": (0.4, 0.4)}) == "source"
    assert Dilate.pass_through({"mode": "filter", "size": (0.0, 0.0)}) == "source"
    assert Dilate.pass_through({"mode": "filter", "size": (0.4, 0.0)}) is None
    doc = make_document()
    with pytest.raises(ParamError, match="below the minimum"):
        doc.add("Erode", size=(-1.0, 2.0))


def test_many_channels_erode_each_channel():
    x = random_rgba(9, 11, seed=4, channels=6)
    result = minmax_pixels(x, (1, 2), "disc", dilate=False)
    for channel in range(6):
        np.testing.assert_array_equal(result[..., channel], cv2.erode(x[..., channel], element((1, 2), "disc")))
