import numpy as np
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
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


def test_rgba_matches_imagebufalgo_invert(tmp_path):
    x = random_rgba(7, 5, seed=1) * 2 - 0.5
    expected = from_imagebuf(IBA.invert(to_imagebuf(x)), Box(0, 0, 5, 7))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Invert", source(doc, image(x))))
    assert_images_close(result.pixels, expected, tmp_path, name="invert_vs_oiio")


def test_alpha_only_with_clamp_and_mix():
    x = np.array([[[0.2, 0.4, 0.6, 1.5], [0.1, 0.1, 0.1, 0.25]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Invert", source(doc, image(x)), channels="alpha", clamp=True, mix=0.5))
    np.testing.assert_array_equal(result.pixels[..., :3], x[..., :3])
    np.testing.assert_allclose(result.pixels[0, :, 3], [1.5 + (0.0 - 1.5) * 0.5, 0.25 + (0.75 - 0.25) * 0.5])


def test_mix_without_clamp_and_nan_inf():
    x = np.array([[[np.nan, np.inf, 0.25, 1.0]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Invert", source(doc, image(x)), mix=0.5))
    assert np.isnan(result.pixels[0, 0, 0])
    assert np.isnan(result.pixels[0, 0, 1])  # inf + (1 - inf - inf) * 0.5 is inf - inf
    np.testing.assert_allclose(result.pixels[0, 0, 2:], [0.5, 0.5])
    result, _ = evaluate(doc, doc.add("Invert", source(doc, image(x))))
    assert result.pixels[0, 0, 1] == -np.inf


def test_layer_selection_and_pass_through():
    x = random_rgba(2, 2, seed=2, channels=5)
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B", "A", "matte.A")))
    result, _ = evaluate(doc, doc.add("Invert", src, channels="matte"))
    np.testing.assert_array_equal(result.pixels[..., :4], x[..., :4])
    np.testing.assert_allclose(result.pixels[..., 4], 1 - x[..., 4])
    result, evaluator = evaluate(doc, doc.add("Invert", src, mix=0.0))
    assert result is evaluator.evaluate(src, 1)


def test_one_channel_matte():
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.25), ("A",)))
    result, _ = evaluate(doc, doc.add("Invert", matte))
    np.testing.assert_array_equal(result.pixels, 0.75)
