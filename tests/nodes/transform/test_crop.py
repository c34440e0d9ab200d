import numpy as np
import OpenImageIO as oiio
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.crop import Crop, edge_weights
from tests.nodes.image_asserts import from_imagebuf, image, make_document, random_rgba, source, to_imagebuf

FORMAT = Box(0, 0, 40, 30)


def crop(img, **params):
    doc = make_document()
    src = source(doc, img)
    ev = Evaluator(doc)
    return ev.evaluate(doc.add("Crop", src, **params), 1), ev.evaluate(src, 1)


def test_whole_pixel_box_matches_imagebufalgo_crop():
    x = random_rgba(30, 40, seed=1)
    result, _ = crop(image(x), top_left=(5.0, 3.0), bottom_right=(25.0, 20.0))
    assert result.data_window == Box(5, 3, 25, 20) and result.display_window == FORMAT
    oracle = IBA.crop(to_imagebuf(x), oiio.ROI(5, 25, 3, 20))
    roi = oracle.roi
    assert (roi.xbegin, roi.ybegin, roi.xend, roi.yend) == (5, 3, 25, 20)
    np.testing.assert_array_equal(result.pixels, from_imagebuf(oracle, result.data_window))


def test_box_beyond_the_data_window_keeps_the_data_window():
    x = random_rgba(10, 10, seed=2)
    img = image(x, data_window=Box(10, 10, 20, 20), display_window=FORMAT)
    result, upstream = crop(img, top_left=(0.0, 0.0), bottom_right=(40.0, 30.0))
    assert result is upstream  # nothing to cut: the input itself
    cut, _ = crop(img, top_left=(15.0, -5.0), bottom_right=(100.0, 12.0))
    assert cut.data_window == Box(15, 10, 20, 12)
    np.testing.assert_array_equal(cut.pixels, x[:2, 5:])


def test_fractional_edges_are_weighted_by_coverage():
    x = np.ones((10, 10, 1), np.float32)
    result, _ = crop(image(x, channels=("A",)), top_left=(2.25, 3.0), bottom_right=(6.5, 5.0))
    assert result.data_window == Box(2, 3, 7, 5)
    np.testing.assert_allclose(result.pixels[0, :, 0], [0.75, 1, 1, 1, 0.5])


def test_softness_ramps_with_smoothstep():
    weights = edge_weights(0.0, 20.0, 0, 20, 4.0)
    t = np.clip(np.minimum(np.arange(20) + 0.5, 20 - np.arange(20) - 0.5) / 4.0, 0, 1)
    np.testing.assert_allclose(weights, t * t * (3 - 2 * t), rtol=1e-6)
    x = np.ones((20, 20, 4), np.float32)
    result, _ = crop(image(x), top_left=(0.0, 0.0), bottom_right=(20.0, 20.0), softness=4.0)
    np.testing.assert_allclose(result.pixels[..., 0], np.outer(weights, weights), rtol=1e-6)
    np.testing.assert_allclose(result.pixels[10, 10], 1.0)


def test_reformat_makes_the_box_the_format():
    x = random_rgba(30, 40, seed=3)
    result, _ = crop(image(x), top_left=(5.0, 3.0), bottom_right=(25.0, 20.0), reformat=True)
    assert result.display_window == Box(0, 0, 20, 17) and result.data_window == Box(0, 0, 20, 17)
    np.testing.assert_array_equal(result.pixels, x[3:20, 5:25])


def test_without_black_outside_the_edges_extend_to_the_format():
    x = random_rgba(30, 40, seed=4)
    result, _ = crop(image(x), top_left=(5.0, 3.0), bottom_right=(25.0, 20.0), black_outside=False)
    assert result.data_window == FORMAT
    np.testing.assert_array_equal(result.pixels[0, 0], x[3, 5])
    np.testing.assert_array_equal(result.pixels[29, 39], x[19, 24])
    np.testing.assert_array_equal(result.pixels[3:20, 5:25], x[3:20, 5:25])


def test_many_channels_one_channel_and_nan():
    x = random_rgba(8, 8, seed=5, channels=6)
    x[4, 4, 5] = np.nan
    channels = (*RGBA, "depth.Z", "id.R")
    result, _ = crop(image(x, channels), top_left=(1.0, 1.0), bottom_right=(7.0, 7.0), black_outside=False,
                     softness=1.0)
    assert result.channels == channels and result.pixels.shape == (8, 8, 6)
    finite = np.isfinite(result.pixels)
    assert not finite[4, 4, 5]
    finite[4, 4, 5] = True
    assert finite.all()
    assert result.pixels.flags.writeable is False
    alpha, _ = crop(image(x[..., :1], ("A",)), top_left=(1.0, 1.0), bottom_right=(3.0, 3.0))
    assert alpha.pixels.shape == (2, 2, 1)


def test_an_empty_box_gives_an_empty_window_and_a_reversed_box_an_error():
    x = random_rgba(8, 8, seed=6)
    empty, _ = crop(image(x), top_left=(3.0, 3.0), bottom_right=(3.0, 6.0))
    assert empty.data_window.is_empty
    doc = make_document()
    node = doc.add("Crop", source(doc, image(x)), top_left=(5.0, 5.0), bottom_right=(2.0, 8.0))
    with pytest.raises(EvaluationError, match="Crop1.*ends before it starts"):
        Evaluator(doc).evaluate(node, 1)


def test_schema_is_documented():
    assert Crop.__doc__ and all(spec.doc for spec in Crop.params)
