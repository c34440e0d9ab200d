import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box, Request
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import crop, reduce
from nodecomp.nodes.filter.blur import Blur, blur_pixels, blur_radius, box_kernel, gaussian_radius
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


def blur_node(doc, img, **params):
    return evaluate(doc, doc.add("Blur", source(doc, img), **params))[0]


def smooth_rgba(height, width):
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack([np.sin(xx / 7.0) * 0.5 + 0.5, np.cos(yy / 5.0) * 0.5 + 0.5, (xx + yy) / (height + width),
                     np.ones_like(xx)], -1).astype(np.float32)


def test_gaussian_radius_is_opencvs_float_kernel():
    for sigma in (0.1, 0.5, 1.0, 1.2, 2.5, 4.0, 10.06):
        impulse = np.zeros((201, 201), np.float32)
        impulse[100, 100] = 1
        spread = np.nonzero(cv2.GaussianBlur(impulse, (0, 0), sigma, borderType=cv2.BORDER_CONSTANT)[100])[0]
        assert (spread.max() - spread.min()) // 2 <= gaussian_radius(sigma)
    assert gaussian_radius(4.0) == 16 and gaussian_radius(0.0) == 0


def test_full_frame_blur_equals_cv2_gaussianblur_exactly():
    x = random_rgba(54, 96, seed=1)
    doc = make_document()
    result = blur_node(doc, image(x), size=(4.0, 4.0))
    expected = cv2.GaussianBlur(x, (0, 0), sigmaX=4.0, sigmaY=4.0, borderType=cv2.BORDER_CONSTANT)
    assert result.data_window == Box(0, 0, 96, 54)  # grown, then cropped back to the format
    np.testing.assert_array_equal(result.pixels, expected)


def test_matches_imagebufalgo_convolve_with_the_same_kernel(tmp_path):
    x = random_rgba(20, 30, seed=2)
    sigma = 2.0
    r = gaussian_radius(sigma)
    taps = cv2.getGaussianKernel(2 * r + 1, sigma).astype(np.float32)[:, 0]
    kernel = to_imagebuf(np.outer(taps, taps), -r, -r)
    window = Box(-r, -r, 30 + r, 20 + r)
    padded = np.zeros((window.height, window.width, 4), np.float32)
    padded[r:-r, r:-r] = x
    # OIIO's convolve reads correctly only where the full window covers the data, so set it
    expected = np.concatenate([
        from_imagebuf(IBA.convolve(to_imagebuf(padded[..., c], -r, -r, full=window), kernel), window)
        for c in range(4)  # a one-channel kernel only convolves channel 0, so go channel by channel
    ], -1)
    doc = make_document()
    result = blur_node(doc, image(x, display_window=Box(-50, -50, 100, 100)), size=(sigma, sigma))
    assert result.data_window == window
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-6, name="blur_vs_oiio_same_kernel")


@pytest.mark.parametrize("sigma", [2.0, 4.0])
def test_close_to_imagebufalgo_make_kernel_gaussian(tmp_path, sigma):
    """OIIO's gaussian of width w has sigma w/4 but is cut at 2 sigma and renormalised (std 3.41 px
    for sigma 4), against OpenCV's 4 sigma. On a smooth [0, 1] image that differs by at most 0.08
    per pixel and 0.012 on average, which is the tolerance here."""
    x = smooth_rgba(40, 50)
    r = gaussian_radius(sigma)
    window = Box(-r, -r, 50 + r, 40 + r)
    padded = np.zeros((window.height, window.width, 4), np.float32)
    padded[r:-r, r:-r] = x
    kernel = IBA.make_kernel("gaussian", 4 * sigma, 4 * sigma)
    expected = np.concatenate([
        from_imagebuf(IBA.convolve(to_imagebuf(padded[..., c], -r, -r, full=window), kernel), window)
        for c in range(4)
    ], -1)
    doc = make_document()
    result = blur_node(doc, image(x), size=(sigma, sigma), crop=False)
    assert result.data_window == window
    assert np.abs(result.pixels - expected).mean() < 0.012
    assert_images_close(result.pixels, expected, tmp_path, atol=0.08, name=f"blur_vs_oiio_make_kernel_{sigma}")


def test_zero_size_passes_through():
    doc = make_document()
    src = source(doc, image(random_rgba(4, 4)))
    node = doc.add("Blur", src)
    result, evaluator = evaluate(doc, node)
    assert result is evaluator.evaluate(src, 1)
    assert "Blur1" not in evaluator.stats.computes
    assert Blur.pass_through({"size": (1.0, 0.5), "filter": "box"}) == "source"
    assert Blur.pass_through({"size": (0.0, 0.5), "filter": "gaussian"}) is None


def test_crop_on_and_off_data_windows():
    x = random_rgba(10, 10, seed=3)
    img = image(x, data_window=Box(5, 0, 15, 10), display_window=Box(0, 0, 40, 30))
    doc = make_document()
    r = gaussian_radius(1.5)
    assert r == 6
    cropped = blur_node(doc, img, size=(1.5, 1.5))
    assert cropped.data_window == Box(0, 0, 15 + r, 10 + r)
    grown = blur_node(doc, img, size=(1.5, 1.5), crop=False)
    assert grown.data_window == Box(5 - r, -r, 15 + r, 10 + r)
    # the cropped result is the uncropped one, cut
    np.testing.assert_allclose(cropped.pixels, grown.pixels[r:, 1:], atol=1e-7)
    # and both equal a blur of the zero-padded data
    padded = np.zeros((10 + 2 * r, 10 + 2 * r, 4), np.float32)
    padded[r:-r, r:-r] = x
    np.testing.assert_allclose(grown.pixels, blur_pixels(padded, (1.5, 1.5), "gaussian"), atol=1e-7)


def test_data_window_larger_than_the_format_is_blurred_then_cropped():
    x = random_rgba(30, 30, seed=4)
    img = image(x, data_window=Box(-10, -10, 20, 20), display_window=Box(0, 0, 10, 10))
    doc = make_document()
    result = blur_node(doc, img, size=(2.0, 2.0))
    assert result.data_window == Box(0, 0, 10, 10)
    full = cv2.GaussianBlur(x, (0, 0), 2.0, borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(result.pixels, full[10:20, 10:20], atol=1e-6)


def test_data_window_outside_the_format_gives_an_empty_image():
    img = image(random_rgba(4, 4), data_window=Box(100, 100, 104, 104), display_window=Box(0, 0, 10, 10))
    result = blur_node(make_document(), img, size=(1.0, 1.0))
    assert result.data_window.is_empty and result.pixels.size == 0


def test_zero_on_one_axis_blurs_only_the_other():
    impulse = np.zeros((21, 21, 4), np.float32)
    impulse[10, 10] = 1
    doc = make_document()
    along_x = blur_node(doc, image(impulse), size=(2.0, 0.0))
    assert along_x.data_window == Box(0, 0, 21, 21)
    rows = np.nonzero(along_x.pixels[..., 0].sum(axis=1))[0]
    np.testing.assert_array_equal(rows, [10])
    taps = cv2.getGaussianKernel(17, 2.0)[:, 0]
    np.testing.assert_allclose(along_x.pixels[10, 2:19, 0], taps, rtol=1e-5)
    along_y = blur_node(doc, image(impulse), size=(0.0, 2.0))
    np.testing.assert_array_equal(np.nonzero(along_y.pixels[..., 0].sum(axis=0))[0], [10])
    np.testing.assert_allclose(along_y.pixels[2:19, 10, 0], taps, rtol=1e-5)


def test_box_filter():
    assert blur_radius((3.0, 4.0), "box") == (1, 2)
    np.testing.assert_allclose(box_kernel(4), [0.125, 0.25, 0.25, 0.25, 0.125])
    np.testing.assert_allclose(box_kernel(2.5), [0.3, 0.4, 0.3])
    np.testing.assert_allclose(box_kernel(0.5), [1.0])
    x = random_rgba(12, 14, seed=5)
    odd = blur_pixels(x, (3.0, 5.0), "box")
    np.testing.assert_allclose(odd, cv2.blur(x, (3, 5), borderType=cv2.BORDER_CONSTANT), atol=1e-6)
    even = blur_pixels(x, (4.0, 4.0), "box")
    k = box_kernel(4)
    np.testing.assert_allclose(even, cv2.sepFilter2D(x, -1, k, k, borderType=cv2.BORDER_CONSTANT), atol=1e-6)
    # a centred box keeps the centre of mass of an impulse where it was
    impulse = np.zeros((9, 9, 1), np.float32)
    impulse[4, 4] = 1
    spread = blur_pixels(impulse, (4.0, 2.5), "box")[..., 0]
    ys, xs = np.mgrid[0:9, 0:9]
    assert (spread * xs).sum() == pytest.approx(4.0) and (spread * ys).sum() == pytest.approx(4.0)
    assert spread.sum() == pytest.approx(1.0)


def test_channels_choice_and_layers():
    x = random_rgba(8, 8, seed=6, channels=6)
    channels = (*RGBA, "depth.Z", "id.R")
    img = image(x, channels, display_window=Box(-20, -20, 30, 30))
    doc = make_document()
    r = gaussian_radius(1.0)
    reference = blur_pixels(np.pad(x, ((r, r), (r, r), (0, 0))), (1.0, 1.0), "gaussian")
    rgb = blur_node(doc, img, size=(1.0, 1.0), channels="rgb")
    assert rgb.data_window == Box(-r, -r, 8 + r, 8 + r)
    np.testing.assert_allclose(rgb.pixels[..., :3], reference[..., :3], atol=1e-6)
    np.testing.assert_array_equal(rgb.pixels[r:-r, r:-r, 3:], x[..., 3:])  # copied
    np.testing.assert_array_equal(rgb.pixels[:r, :, 3:], 0)  # black in the grown margin
    everything = blur_node(doc, img, size=(1.0, 1.0), channels="all")
    np.testing.assert_allclose(everything.pixels, reference, atol=1e-6)
    alpha = blur_node(doc, img, size=(1.0, 1.0), channels="alpha")
    np.testing.assert_allclose(alpha.pixels[..., 3], reference[..., 3], atol=1e-6)
    np.testing.assert_array_equal(alpha.pixels[r:-r, r:-r, :3], x[..., :3])


def test_one_channel_images():
    matte = random_rgba(6, 6, seed=7, channels=1)
    doc = make_document()
    alpha = blur_node(doc, image(matte, channels=("A",)), size=(1.0, 1.0))
    np.testing.assert_allclose(alpha.pixels[..., 0], cv2.GaussianBlur(matte[..., 0], (0, 0), 1.0,
                                                                      borderType=cv2.BORDER_CONSTANT), atol=1e-6)
    depth = blur_node(doc, image(matte, channels=("depth.Z",)), size=(1.0, 1.0))  # not in "rgba": unchanged
    np.testing.assert_array_equal(depth.pixels, matte)
    assert blur_node(doc, image(matte, channels=("depth.Z",)), size=(1.0, 1.0), channels="all").pixels.shape \
        == (6, 6, 1)


def test_read_only_results_untouched_inputs_and_nan():
    x = random_rgba(6, 6, seed=8)
    x[2, 2] = np.nan
    x[4, 4] = np.inf
    before = x.copy()
    doc = make_document()
    for params in ({"size": (1.0, 1.0)}, {"size": (2.0, 3.0), "filter": "box"}, {"size": (1.0, 1.0), "crop": False}):
        result = blur_node(doc, image(x), **params)
        assert result.pixels.flags.writeable is False
        assert np.isnan(result.pixels).any()
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("params", [{"size": (4.0, 2.0)}, {"size": (3.0, 3.0), "filter": "box"},
                                    {"size": (2.5, 6.0), "crop": False, "channels": "rgb"}])
@pytest.mark.parametrize("region", [Box(20, 10, 50, 30), Box(-10, -10, 12, 8), Box(60, 30, 120, 90)])
def test_a_region_blur_equals_the_full_blur_on_the_region(params, region):
    doc = make_document()
    node = doc.add("Blur", source(doc, image(random_rgba(40, 72, seed=6), data_window=Box(2, 1, 74, 41),
                                             display_window=Box(0, 0, 80, 48))), **params)
    full = Evaluator(doc).evaluate(node, 1)
    evaluator = Evaluator(doc)
    roi = evaluator.evaluate(node, Request(1.0, region=region))
    assert roi.data_window == full.data_window.intersect(region)
    np.testing.assert_array_equal(roi.pixels, crop(full, region).pixels)


def test_a_proxy_blur_scales_its_size():
    doc = make_document()
    smooth = image(smooth_rgba(64, 96), display_window=Box(0, 0, 96, 64))
    node = doc.add("Blur", source(doc, smooth), size=(8.0, 4.0))
    full = Evaluator(doc).evaluate(node, 1)
    evaluator = Evaluator(doc)
    half = evaluator.evaluate(node, Request(1.0, scale=0.5))
    assert evaluator.plan(node, Request(1.0, scale=0.5)).params["size"] == (4.0, 2.0)
    expected = reduce(full, 2)
    assert half.data_window == expected.data_window and half.display_window == Box(0, 0, 48, 32)
    np.testing.assert_allclose(half.pixels, expected.pixels, rtol=0, atol=0.01)
