import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.color.premult import premult_pixels
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


def _straight(height, width, seed):
    x = np.random.default_rng(seed).random((height, width, 4), dtype=np.float32)
    x[0, 0, 3] = 0.0
    x[0, 1, 3] = 1.0
    return x


def test_premult_matches_imagebufalgo(tmp_path):
    x = _straight(6, 7, 1)
    expected = from_imagebuf(IBA.premult(to_imagebuf(x)), Box(0, 0, 7, 6))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Premult", source(doc, image(x))))
    assert_images_close(result.pixels, expected, tmp_path, name="premult_vs_oiio")


def test_unpremult_matches_imagebufalgo_and_skips_zero_alpha(tmp_path):
    x = random_rgba(6, 7, seed=2)
    x[0, 0] = (0.3, 0.2, 0.1, 0.0)  # additive colour with alpha 0 is kept
    expected = from_imagebuf(IBA.unpremult(to_imagebuf(x)), Box(0, 0, 7, 6))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Unpremult", source(doc, image(x))))
    assert_images_close(result.pixels, expected, tmp_path, rtol=1e-6, name="unpremult_vs_oiio")
    np.testing.assert_array_equal(result.pixels[0, 0], x[0, 0])


def test_round_trip_restores_premultiplied_pixels():
    x = random_rgba(5, 5, seed=3)
    doc = make_document()
    back = doc.add("Premult", doc.add("Unpremult", source(doc, image(x))))
    result, _ = evaluate(doc, back)
    np.testing.assert_allclose(result.pixels, x, rtol=1e-6, atol=1e-7)


def test_other_alpha_channel_and_layers():
    x = random_rgba(3, 3, seed=4, channels=6)
    channels = ("R", "G", "B", "A", "matte.A", "depth.Z")
    doc = make_document()
    src = source(doc, image(x, channels))
    result, _ = evaluate(doc, doc.add("Premult", src, channels="rgba depth", alpha="matte.A"))
    np.testing.assert_allclose(result.pixels[..., :4], x[..., :4] * x[..., 4:5], rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., 4], x[..., 4])
    np.testing.assert_allclose(result.pixels[..., 5], x[..., 5] * x[..., 4], rtol=1e-6)


def test_alpha_itself_is_never_changed_and_nan_follows():
    x = np.array([[[np.nan, np.inf, 0.5, 0.5], [0.2, 0.2, 0.2, np.nan]]], np.float32)
    out = premult_pixels(x, [0, 1, 2, 3], 3)
    assert np.isnan(out[0, 0, 0]) and out[0, 0, 1] == np.inf and out[0, 0, 2] == 0.25 and out[0, 0, 3] == 0.5
    assert np.isnan(out[0, 1, :3]).all() and np.isnan(out[0, 1, 3])
    back = premult_pixels(x, [0, 1, 2], 3, divide=True)
    assert back[0, 0, 2] == 1.0 and np.isnan(back[0, 1, :3]).all()


def test_without_alpha_passes_and_missing_named_alpha_is_an_error():
    doc = make_document()
    rgb = source(doc, image(np.ones((2, 2, 3)), ("R", "G", "B")))
    result, _ = evaluate(doc, doc.add("Unpremult", rgb))
    np.testing.assert_array_equal(result.pixels, 1.0)
    with pytest.raises(EvaluationError, match="alpha: no channel 'matte.A'"):
        evaluate(doc, doc.add("Premult", rgb, alpha="matte.A"))
