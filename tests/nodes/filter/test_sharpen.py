import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.nodes.filter.sharpen import Sharpen, sharpen_pixels
from tests.nodes.filter.test_blur import smooth_rgba
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


def sharpen(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("Sharpen", source(doc, img), **params))[0]


def test_pixels_follow_the_unsharp_mask_formula():
    x = random_rgba(20, 30, seed=1)
    blurred = cv2.GaussianBlur(x, (0, 0), 1.5, borderType=cv2.BORDER_REPLICATE)
    np.testing.assert_allclose(sharpen_pixels(x, 1.5, 0.7, 0.0), x + 0.7 * (x - blurred), atol=1e-6)
    detail = x - blurred
    kept = np.where(np.abs(detail) > 0.1, detail, 0)
    np.testing.assert_allclose(sharpen_pixels(x, 1.5, 2.0, 0.1), x + 2.0 * kept, atol=1e-6)


@pytest.mark.parametrize("sigma, threshold", [(1.0, 0.0), (2.0, 0.0), (2.0, 0.01)])
def test_close_to_imagebufalgo_unsharp_mask(tmp_path, sigma, threshold):
    """OIIO's gaussian of width 4 sigma is cut at 2 sigma (OpenCV's reaches 4): on a smooth [0, 1]
    image with amount 1.5 the results differ by at most 0.03 per pixel and 0.006 on average,
    edges included (both repeat the edge pixels)."""
    x = smooth_rgba(40, 50)
    expected = from_imagebuf(IBA.unsharp_mask(to_imagebuf(x), "gaussian", 4 * sigma, 1.5, threshold), Box(0, 0, 50, 40))
    result = sharpen(image(x), size=sigma, amount=1.5, threshold=threshold, channels="rgba")
    assert np.abs(result.pixels - expected).mean() < 0.006
    assert_images_close(result.pixels, expected, tmp_path, atol=0.03, name=f"sharpen_vs_oiio_{sigma}_{threshold}")


def test_threshold_is_strict_like_imagebufalgo():
    x = np.zeros((21, 21, 1), np.float32)
    x[10, 10] = 0.5
    detail = 0.5 - cv2.GaussianBlur(x, (0, 0), 1.0, borderType=cv2.BORDER_REPLICATE)[10, 10]
    assert sharpen_pixels(x, 1.0, 1.0, float(detail))[10, 10, 0] == pytest.approx(0.5)
    assert sharpen_pixels(x, 1.0, 1.0, float(detail) * 0.99)[10, 10, 0] == pytest.approx(0.5 + detail)


def test_frame_edges_get_no_rim_and_alpha_is_left_by_default():
    x = np.full((16, 16, 4), 0.4, np.float32)
    x[..., 3] = 1.0
    result = sharpen(image(x), size=2.0, amount=3.0)
    np.testing.assert_allclose(result.pixels, x, atol=1e-6)
    y = random_rgba(16, 16, seed=2)
    result = sharpen(image(y), size=1.0, amount=1.0)
    np.testing.assert_array_equal(result.pixels[..., 3], y[..., 3])
    assert result.data_window == Box(0, 0, 16, 16)


def test_offset_data_window_keeps_its_window():
    x = random_rgba(8, 9, seed=3)
    result = sharpen(image(x, data_window=Box(-3, 4, 6, 12), display_window=Box(0, 0, 5, 5)), size=1.0)
    assert result.data_window == Box(-3, 4, 6, 12)
    np.testing.assert_allclose(result.pixels[..., :3], sharpen_pixels(x[..., :3], 1.0, 1.0, 0.0), atol=1e-6)


def test_identity_settings_pass_through():
    assert Sharpen.pass_through({"amount": 0.0, "size": 3.0}) == "source"
    assert Sharpen.pass_through({"amount": 1.0, "size": 0.0}) == "source"
    assert Sharpen.pass_through({"amount": 1.0, "size": 0.5}) is None
