import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.color.clamp import clamp_pixels
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


def test_default_clamps_rgba_to_0_1_like_imagebufalgo(tmp_path):
    x = random_rgba(8, 8, seed=1) * 3 - 1
    expected = from_imagebuf(IBA.clamp(to_imagebuf(x), (0.0,) * 4, (1.0,) * 4), Box(0, 0, 8, 8))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Clamp", source(doc, image(x))))
    assert_images_close(result.pixels, expected, tmp_path, name="clamp_vs_oiio")


def test_per_component_bounds_and_disabled_sides():
    x = random_rgba(5, 5, seed=2) * 4 - 2
    doc = make_document()
    node = doc.add("Clamp", source(doc, image(x)), minimum=(-0.5, 0.0, 0.1, 0.0), maximum=(0.5, 2.0, 0.9, 1.0),
                   maximum_enable=False, channels="rgb")
    result, _ = evaluate(doc, node)
    np.testing.assert_array_equal(result.pixels[..., :3], np.maximum(x[..., :3], np.float32([-0.5, 0.0, 0.1])))
    np.testing.assert_array_equal(result.pixels[..., 3], x[..., 3])


def test_clamp_to_values_replace_outliers():
    x = np.array([[[-0.5, 0.5, 1.5, 2.0]]], np.float32)
    out = clamp_pixels(x, np.zeros(4), np.ones(4), low_to=np.full(4, 7.0), high_to=np.full(4, -7.0))
    np.testing.assert_array_equal(out[0, 0], [7.0, 0.5, -7.0, -7.0])
    doc = make_document()
    node = doc.add("Clamp", source(doc, image(x)), min_clamp_to=(1, 0, 0, 1), min_clamp_to_enable=True)
    result, _ = evaluate(doc, node)
    np.testing.assert_array_equal(result.pixels[0, 0], [1.0, 0.5, 1.0, 1.0])


def test_nan_stays_and_infinities_clamp():
    x = np.array([[[np.nan, np.inf, -np.inf, 0.5]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Clamp", source(doc, image(x))))
    assert np.isnan(result.pixels[0, 0, 0])
    np.testing.assert_array_equal(result.pixels[0, 0, 1:], [1.0, 0.0, 0.5])


def test_many_channels_and_one_channel():
    x = random_rgba(3, 3, seed=3, channels=7) * 10
    channels = ("R", "G", "B", "A", "depth.Z", "n.X", "n.Y")
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Clamp", source(doc, image(x, channels)), channels="n", maximum=(2, 3, 4, 5)))
    np.testing.assert_array_equal(result.pixels[..., :5], x[..., :5])
    np.testing.assert_array_equal(result.pixels[..., 5], np.minimum(x[..., 5], 2))
    np.testing.assert_array_equal(result.pixels[..., 6], np.minimum(x[..., 6], 3))
    matte = source(doc, image(np.full((2, 2, 1), 3.0), channels=("A",)))
    result, _ = evaluate(doc, doc.add("Clamp", matte))
    np.testing.assert_array_equal(result.pixels, 1.0)


def test_pass_through_and_bad_range():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("Clamp", src, minimum_enable=False, maximum_enable=False))
    assert result is evaluator.evaluate(src, 1)
    with pytest.raises(EvaluationError, match="minimum 2 is above maximum 1 for channel R"):
        evaluate(doc, doc.add("Clamp", src, minimum=(2, 0, 0, 0)))
