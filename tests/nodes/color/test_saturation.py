import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.nodes.color.luma import WEIGHTS
from tests.nodes.image_asserts import (
    assert_images_close,
    evaluate,
    from_imagebuf,
    image,
    make_document,
    random_rgba,
    source,
    to_imagebuf,
)


def reference(x, saturation, weights, mix=1.0):
    x = x.astype(np.float64)
    out = x.copy()
    grey = (x[..., :3] * weights).sum(axis=-1, keepdims=True)
    sat = grey + saturation * (x[..., :3] - grey)
    out[..., :3] = x[..., :3] + (sat - x[..., :3]) * mix
    return out


@pytest.mark.parametrize("amount", [0.0, 0.5, 2.0])
def test_rec709_matches_imagebufalgo_saturate(tmp_path, amount):
    x = random_rgba(12, 10, seed=1)
    expected = from_imagebuf(IBA.saturate(to_imagebuf(x), amount), Box(0, 0, 10, 12))
    doc = make_document()
    node = doc.add("Saturation", source(doc, image(x)), saturation=amount, luminance_math="rec709")
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, expected, tmp_path, atol=2e-6, name="saturation_vs_oiio")


@pytest.mark.parametrize("mode", list(WEIGHTS))
def test_every_weighting_follows_the_formula_with_mix(mode):
    x = random_rgba(4, 5, seed=2) * 3 - 0.5
    doc = make_document()
    node = doc.add("Saturation", source(doc, image(x)), saturation=1.7, luminance_math=mode, mix=0.6)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, reference(x, 1.7, WEIGHTS[mode], 0.6), rtol=1e-5, atol=1e-6)


def test_maximum_mode_uses_the_largest_component():
    x = np.array([[[0.2, 0.8, 0.4, 1.0]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Saturation", source(doc, image(x)), saturation=0.0,
                                      luminance_math="maximum"))
    np.testing.assert_allclose(result.pixels[0, 0], [0.8, 0.8, 0.8, 1.0])
    result, _ = evaluate(doc, doc.add("Saturation", source(doc, image(x)), saturation=0.5,
                                      luminance_math="maximum", mix=0.5))
    np.testing.assert_allclose(result.pixels[0, 0, :3], [0.2 + (0.5 - 0.2) * 0.5, 0.8, 0.4 + 0.2 * 0.5], rtol=1e-6)


def test_identity_passes_through():
    doc = make_document()
    src = source(doc, image(random_rgba(3, 3)))
    for params in ({"saturation": 1.0}, {"saturation": 3.0, "mix": 0.0}):
        node = doc.add("Saturation", src, **params)
        result, evaluator = evaluate(doc, node)
        assert result is evaluator.evaluate(src, 1)
        assert node.name not in evaluator.stats.computes


def test_nan_in_alpha_does_not_reach_colour_and_extra_layers_are_copied():
    x = random_rgba(3, 4, seed=3, channels=6)
    x[1, 1, 3] = np.nan
    x[2, 2, 5] = np.inf
    doc = make_document()
    channels = ("R", "G", "B", "A", "depth.Z", "id.R")
    result, _ = evaluate(doc, doc.add("Saturation", source(doc, image(x, channels)), saturation=0.3))
    assert np.isfinite(result.pixels[..., :3]).all()
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])
    assert result.pixels.flags.writeable is False


def test_image_without_rgb_is_returned_unchanged():
    doc = make_document()
    src = source(doc, image(np.full((2, 2, 1), 0.5), channels=("A",)))
    result, _ = evaluate(doc, doc.add("Saturation", src, saturation=0.0))
    np.testing.assert_array_equal(result.pixels, 0.5)
