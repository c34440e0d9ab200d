import cv2
import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.core.format import PRESETS as CORE_PRESETS
from nodecomp.nodes.transform.reformat import PRESETS, Reformat, reformat_scale
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def reformat(img, doc=None, **params):
    doc = doc or make_document()
    return evaluate(doc, doc.add("Reformat", source(doc, img), **params))[0]


def test_presets_mirror_the_core_list():
    assert PRESETS == {name: (f.width, f.height, f.pixel_aspect) for name, f in CORE_PRESETS.items()}


@pytest.mark.parametrize("mode, expected", [
    ("none", (1.0, 1.0)), ("width", (2.0, 2.0)), ("height", (4.0, 4.0)), ("fit", (2.0, 2.0)),
    ("fill", (4.0, 4.0)), ("distort", (2.0, 4.0)),
])
def test_scale_per_mode(mode, expected):
    assert reformat_scale(mode, (100, 50, 1.0), (200, 200, 1.0)) == pytest.approx(expected)


def test_scale_accounts_for_pixel_aspect():
    sx, sy = reformat_scale("width", (1920, 1080, 1.0), (720, 576, 1.0667))
    assert sx == pytest.approx(0.375) and sy == pytest.approx(0.375 * 1.0667)
    sx, sy = reformat_scale("height", (720, 576, 1.0667), (1920, 1080, 1.0))
    assert sy == pytest.approx(1080 / 576) and sx == pytest.approx(1080 / 576 * 1.0667)


X = random_rgba(50, 100, seed=1)
CUSTOM = {"format": "custom", "width": 200, "height": 200}


def test_none_centres_without_filtering():
    result = reformat(image(X), resize="none", **CUSTOM)
    assert result.display_window == Box(0, 0, 200, 200)
    assert result.data_window == Box(50, 75, 150, 125)
    np.testing.assert_array_equal(result.pixels, X)
    odd = reformat(image(X), resize="none", format="custom", width=201, height=201)
    assert odd.data_window == Box(50, 75, 150, 125)  # offsets rounded down to whole pixels
    corner = reformat(image(X), resize="none", center=False, **CUSTOM)
    assert corner.data_window == Box(0, 0, 100, 50)


@pytest.mark.parametrize("mode", ["width", "fit"])
def test_width_and_fit_scale_to_the_width_and_centre_vertically(mode):
    result = reformat(image(X), resize=mode, filter="bilinear", **CUSTOM)
    assert result.data_window == Box(0, 50, 200, 150)
    np.testing.assert_array_equal(result.pixels, cv2.resize(X, (200, 100), interpolation=cv2.INTER_LINEAR))


@pytest.mark.parametrize("mode", ["height", "fill"])
def test_height_and_fill_scale_to_the_height_and_crop_the_sides(mode):
    result = reformat(image(X), resize=mode, filter="bilinear", **CUSTOM)
    assert result.data_window == Box(0, 0, 200, 200)
    full = cv2.resize(X, (400, 200), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(result.pixels, full[:, 100:300])


def test_distort_stretches_both_axes():
    result = reformat(image(X), resize="distort", filter="lanczos", **CUSTOM)
    assert result.data_window == Box(0, 0, 200, 200)
    np.testing.assert_array_equal(result.pixels, cv2.resize(X, (200, 200), interpolation=cv2.INTER_LANCZOS4))


def test_uncentred_aligns_to_the_top_left():
    result = reformat(image(X), resize="width", center=False, **CUSTOM)
    assert result.data_window == Box(0, 0, 200, 100)


def test_downscale_by_two_with_nearest_picks_whole_pixels():
    result = reformat(image(X), resize="width", filter="nearest", format="custom", width=50, height=25)
    assert result.data_window == Box(0, 0, 50, 25)
    np.testing.assert_array_equal(result.pixels, X[1::2, 1::2])


def test_offset_data_window_scales_with_the_picture():
    img = image(X[:10, :20], data_window=Box(40, 20, 60, 30), display_window=Box(0, 0, 100, 50))
    result = reformat(img, resize="width", filter="bilinear", **CUSTOM)
    assert result.data_window == Box(80, 90, 120, 110)
    np.testing.assert_array_equal(result.pixels, cv2.resize(X[:10, :20], (40, 20), interpolation=cv2.INTER_LINEAR))


def test_non_aligned_scale_warps_with_extended_edges():
    flat = np.full((34, 64, 4), 0.5, np.float32)  # 64x34 fit into 60x34: scale 0.9375, height 31.875
    result = reformat(image(flat), resize="fit", format="custom", width=60, height=34)
    assert result.display_window == Box(0, 0, 60, 34)
    assert result.data_window == Box(0, 1, 60, 33)  # y offset (34 - 31.875) / 2 = 1.0625
    np.testing.assert_allclose(result.pixels, 0.5, atol=1e-6)  # no darkened border


def test_presets_document_format_and_pixel_aspect():
    doc = make_document()
    src = source(doc, image(np.ones((1080, 1920, 4), np.float32)))
    node = doc.add("Reformat", src, format="PAL")
    result, _ = evaluate(doc, node)
    assert result.display_window == Box(0, 0, 720, 576)
    assert result.pixel_aspect == pytest.approx(1.0667)
    # 1080 rows * 0.375 * 1.0667 = 432.01 rows, centred at 71.99: the window covers the partial rows too
    assert result.data_window == Box(0, 71, 720, 505)
    follows = doc.add("Reformat", src)
    from nodecomp.engine.evaluator import Evaluator

    evaluator = Evaluator(doc)
    first_key = evaluator.hash(follows, 1)
    assert evaluator.evaluate(follows, 1).display_window == Box(0, 0, 1920, 1080)
    doc.format = "HD_720"
    assert evaluator.hash(follows, 1) != first_key  # the document format is part of the cache key
    assert evaluator.evaluate(follows, 1).display_window == Box(0, 0, 1280, 720)


def test_same_format_shares_the_pixels():
    doc = make_document()
    src = source(doc, image(X, display_window=Box(0, 0, 100, 50)))
    result, evaluator = evaluate(doc, doc.add("Reformat", src, format="custom", width=100, height=50))
    assert np.shares_memory(result.pixels, evaluator.evaluate(src, 1).pixels)


@pytest.mark.parametrize("nchannels, channels", [(1, ("A",)), (6, (*RGBA, "depth.Z", "id.R"))])
def test_one_and_six_channels(nchannels, channels):
    x = random_rgba(10, 20, seed=2, channels=nchannels)
    for params in ({"resize": "width"}, {"resize": "fit", "width": 30, "height": 17, "filter": "lanczos"}):
        result = reformat(image(x, channels), **{**CUSTOM, **params})
        assert result.channels == channels and result.pixels.shape[2] == nchannels


def test_read_only_results_untouched_inputs_and_nan():
    x = random_rgba(10, 20, seed=3)
    x[2, 2] = np.nan
    x[4, 4] = np.inf
    before = x.copy()
    for params in ({"resize": "width"}, {"resize": "fit", "width": 30, "height": 17}, {"resize": "none"}):
        result = reformat(image(x), **{**CUSTOM, **params})
        assert result.pixels.flags.writeable is False
    np.testing.assert_array_equal(x, before)


def test_schema_is_documented():
    assert Reformat.__doc__ and all(spec.doc for spec in Reformat.params)
