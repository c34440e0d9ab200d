import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
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


def test_stops_per_channel_match_imagebufalgo_mul(tmp_path):
    x = random_rgba(6, 7, seed=1)
    stops = (1.0, -0.5, 0.25, 0.0)
    expected = from_imagebuf(IBA.mul(to_imagebuf(x), tuple(2.0 ** s for s in stops)), Box(0, 0, 7, 6))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Exposure", source(doc, image(x)), stops=stops))
    assert_images_close(result.pixels, expected, tmp_path, rtol=1e-6, name="exposure_vs_oiio")


def test_channels_choose_what_changes_and_other_layers_use_their_position():
    x = random_rgba(2, 3, seed=2, channels=6)
    channels = ("R", "G", "B", "A", "depth.Z", "motion.u")
    doc = make_document()
    node = doc.add("Exposure", source(doc, image(x, channels)), stops=(1.0, 2.0, 3.0, 4.0), channels="alpha depth")
    result, _ = evaluate(doc, node)
    np.testing.assert_array_equal(result.pixels[..., :3], x[..., :3])
    np.testing.assert_allclose(result.pixels[..., 3], x[..., 3] * 16, rtol=1e-6)
    np.testing.assert_allclose(result.pixels[..., 4], x[..., 4] * 2, rtol=1e-6)  # depth.Z: first in its layer
    np.testing.assert_array_equal(result.pixels[..., 5], x[..., 5])


def test_zero_stops_pass_through_and_nan_inf_multiply():
    doc = make_document()
    src = source(doc, image(np.array([[[np.nan, np.inf, -1.0, 0.5]]], np.float32)))
    result, evaluator = evaluate(doc, doc.add("Exposure", src))
    assert result is evaluator.evaluate(src, 1)
    result, _ = evaluate(doc, doc.add("Exposure", src, stops=1.0))
    assert np.isnan(result.pixels[0, 0, 0]) and result.pixels[0, 0, 1] == np.inf
    assert result.pixels[0, 0, 2] == -2.0 and result.pixels[0, 0, 3] == 0.5


def test_unknown_channel_is_a_clear_error():
    doc = make_document()
    node = doc.add("Exposure", source(doc, image(random_rgba(2, 2))), stops=1.0, channels="depth.Z")
    with pytest.raises(EvaluationError, match=r"Exposure1.*channels: no channel or layer 'depth.Z'"):
        evaluate(doc, node)


def test_one_channel_matte_and_many_channels():
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("Exposure", matte, stops=1.0, channels="rgba"))
    np.testing.assert_allclose(result.pixels, 1.0)
    x = random_rgba(2, 2, seed=3, channels=9)
    src = source(doc, image(x, ("R", "G", "B", "A", *(f"aov.{c}" for c in "RGBAX"))))
    result, _ = evaluate(doc, doc.add("Exposure", src, stops=(1.0, 2.0, 0.0, 0.0), channels="aov"))
    np.testing.assert_array_equal(result.pixels[..., :4], x[..., :4])
    np.testing.assert_allclose(result.pixels[..., 4:6], x[..., 4:6] * [2, 4], rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., 6:], x[..., 6:])
