import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.nodes.filter.median import Median, median_pixels
from tests.nodes.image_asserts import evaluate, from_imagebuf, image, make_document, random_rgba, source, to_imagebuf


def median(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("Median", source(doc, img), **params))[0]


def brute_force_median(pixels, radius):
    padded = np.pad(pixels, ((radius, radius), (radius, radius), (0, 0)), mode="edge")
    size = 2 * radius + 1
    windows = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(0, 1))
    return np.median(windows.reshape(*pixels.shape, -1), axis=-1)


@pytest.mark.parametrize("radius", [1, 2])
def test_small_windows_are_opencv_median_blur(radius):
    x = random_rgba(15, 17, seed=radius)
    np.testing.assert_array_equal(median(image(x), size=radius).pixels, cv2.medianBlur(x, 2 * radius + 1))


@pytest.mark.parametrize("radius", [1, 2, 3, 4])
def test_every_size_is_the_exact_median_with_repeated_edges(radius):
    x = random_rgba(13, 16, seed=10 + radius)
    np.testing.assert_array_equal(median_pixels(x, radius), brute_force_median(x, radius))


@pytest.mark.parametrize("radius", [1, 3])
def test_equals_imagebufalgo_median_filter_away_from_the_edges(radius):
    """At the edges OIIO takes the upper median of the pixels inside the image only, where this
    node (like OpenCV) repeats the edge pixels; elsewhere the two are identical."""
    x = random_rgba(14, 18, seed=20)
    expected = from_imagebuf(IBA.median_filter(to_imagebuf(x), 2 * radius + 1, 2 * radius + 1), Box(0, 0, 18, 14))
    inner = (slice(radius, -radius), slice(radius, -radius))
    np.testing.assert_array_equal(median(image(x), size=radius).pixels[inner], expected[inner])
    corner = np.sort(x[:radius + 1, :radius + 1, 1].ravel())
    assert expected[0, 0, 1] == corner[len(corner) // 2]


def test_removes_specks_and_keeps_corners():
    flat = np.full((20, 20, 4), 0.5, np.float32)
    specks = flat.copy()
    specks[3, 4], specks[10, 10], specks[0, 0] = 10.0, -3.0, 7.0
    np.testing.assert_array_equal(median(image(specks), size=1).pixels, flat)
    np.testing.assert_array_equal(median(image(specks), size=3).pixels, flat)


def test_nan_makes_its_window_nan_and_inf_sorts():
    x = random_rgba(12, 12, seed=5)
    x[6, 6, 1] = np.nan
    x[2, 2, 2] = np.inf
    for radius in (1, 3):
        result = median_pixels(x, radius)
        window = slice(6 - radius, 7 + radius)
        assert np.isnan(result[window, window, 1]).all()
        assert np.isnan(result[..., 1]).sum() == (2 * radius + 1) ** 2
        assert np.isfinite(result[..., 2]).all()  # a single inf is an outlier like any other


def test_many_channels_and_offset_windows():
    x = random_rgba(10, 11, seed=6, channels=6)
    img = image(x, ("R", "G", "B", "A", "Z", "id.R"), data_window=Box(-4, 7, 7, 17), display_window=Box(0, 0, 4, 4))
    result = median(img, size=2, channels="all")
    assert result.data_window == Box(-4, 7, 7, 17)
    np.testing.assert_array_equal(result.pixels, brute_force_median(x, 2))
    rgba_only = median(img, size=2)
    np.testing.assert_array_equal(rgba_only.pixels[..., 4:], x[..., 4:])


def test_size_zero_passes_through():
    assert Median.pass_through({"size": 0}) == "source"
    assert Median.pass_through({"size": 1}) is None
