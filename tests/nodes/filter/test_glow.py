import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.nodes.filter.blur import blur_pixels, blur_radius
from nodecomp.nodes.filter.glow import Glow, highlights
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def glow(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("Glow", source(doc, img), **params))[0]


def test_highlights_keep_hue_above_the_tolerance():
    rgb = np.array([[[2.0, 1.0, 0.5], [0.5, 0.5, 0.5], [0.0, 0.0, 0.0]]], np.float32)
    luma = 2.0 * 0.2126 + 1.0 * 0.7152 + 0.5 * 0.0722
    np.testing.assert_allclose(highlights(rgb, 1.0)[0, 0], rgb[0, 0] * (luma - 1.0) / luma, rtol=1e-6)
    assert not highlights(rgb, 1.0)[0, 1:].any()
    assert not highlights(rgb, -1.0)[0, 2].any()  # black stays black even with a negative tolerance


def test_adds_the_blurred_highlights_to_rgb_only():
    x = random_rgba(30, 40, seed=1)
    x[10:14, 10:14, :3] = 5.0
    result = glow(image(x), tolerance=1.0, brightness=0.5, size=(3.0, 2.0))
    expected = x[..., :3] + 0.5 * blur_pixels(highlights(x[..., :3], 1.0), (3.0, 2.0), "gaussian")
    np.testing.assert_allclose(result.pixels[..., :3], expected, atol=1e-5)
    np.testing.assert_array_equal(result.pixels[..., 3], x[..., 3])


def test_nothing_above_tolerance_changes_nothing():
    x = random_rgba(10, 10, seed=2)
    np.testing.assert_array_equal(glow(image(x), tolerance=2.0).pixels, x)


def test_effect_only_and_grown_window():
    x = np.zeros((10, 10, 4), np.float32)
    x[5, 5] = (8.0, 8.0, 8.0, 1.0)
    result = glow(image(x, display_window=Box(-30, -30, 40, 40)), size=(2.0, 2.0), tolerance=1.0, effect_only=True)
    rx, ry = blur_radius((2.0, 2.0), "gaussian")
    assert result.data_window == Box(-rx, -ry, 10 + rx, 10 + ry)
    assert not result.pixels[..., 3].any()
    assert result.pixels[..., 0].sum() == pytest.approx(7.0, rel=1e-4)  # luma 8 - tolerance 1, energy kept
    assert result.pixels[ry + 5, rx + 5, 0] < 7.0


def test_images_without_colour_and_identity():
    matte = image(np.ones((4, 4, 1), np.float32), ("A",))
    assert glow(matte).pixels.shape == (4, 4, 1)
    assert Glow.pass_through({"brightness": 0.0, "effect_only": False}) == "source"
    assert Glow.pass_through({"brightness": 0.0, "effect_only": True}) is None
