"""Crops and proxy reductions of full-resolution results, and scaling of pixel params."""

import numpy as np
import pytest

from nodecomp.api import Float, Int, Vec2, Vec3
from nodecomp.core.params import Color
from nodecomp.engine.image import RGBA, Box, Image, Region, conform
from nodecomp.engine.proxy import crop, fit_image, fit_region, reduce, scale_params
from nodecomp.engine.request import Request


def noise(window: Box, display: Box | None = None, channels=RGBA, seed: int = 0) -> Image:
    pixels = np.random.default_rng(seed).random((window.height, window.width, len(channels)), dtype=np.float32)
    return Image(pixels, channels, window, display or window).freeze()


def block_mean(pixels: np.ndarray, step: int) -> np.ndarray:
    h, w, c = pixels.shape
    return pixels.reshape(h // step, step, w // step, step, c).mean(axis=(1, 3))


def test_reduce_is_the_block_mean_on_the_proxy_grid():
    image = noise(Box(0, 0, 16, 8))
    half = reduce(image, 2)
    assert half.data_window == Box(0, 0, 8, 4) and half.display_window == Box(0, 0, 8, 4)
    np.testing.assert_allclose(half.pixels, block_mean(image.pixels, 2), rtol=0, atol=1e-6)


def test_reduce_pads_an_unaligned_data_window_with_black():
    image = noise(Box(-3, 1, 6, 7), display=Box(0, 0, 9, 9))
    quarter = reduce(image, 4)
    assert quarter.data_window == Box(-1, 0, 2, 2)  # floor of the start, ceil of the end
    assert quarter.display_window == Box(0, 0, 3, 3)
    expected = block_mean(conform(image, Box(-4, 0, 8, 8)), 4)
    np.testing.assert_allclose(quarter.pixels, expected, rtol=0, atol=1e-6)


def test_reduce_keeps_a_single_channel_axis_and_empty_windows():
    image = noise(Box(0, 0, 4, 4), channels=("depth.Z",))
    assert reduce(image, 2).pixels.shape == (2, 2, 1)
    empty = Image(np.zeros((0, 0, 4), np.float32), RGBA, Box(2, 2, 2, 2), Box(0, 0, 4, 4))
    assert reduce(empty, 2).pixels.shape == (0, 0, 4)


def test_crop_limits_the_data_window_and_copies_only_when_it_shrinks():
    image = noise(Box(0, 0, 10, 10))
    assert crop(image, Box(-5, -5, 20, 20)) is image and crop(image, None) is image
    cropped = crop(image, Box(2, 3, 6, 20))
    assert cropped.data_window == Box(2, 3, 6, 10)
    np.testing.assert_array_equal(cropped.pixels, image.pixels[3:10, 2:6])
    assert cropped.pixels.flags.c_contiguous


def test_cropping_then_reducing_equals_reducing_then_cropping():
    image = noise(Box(-5, -2, 37, 29), display=Box(0, 0, 32, 24))
    request = Request(1.0, region=Box(3, 5, 21, 14), scale=0.25)
    fitted = fit_image(image, request)
    whole = crop(reduce(image, 4), request.window)
    assert fitted.data_window == whole.data_window
    np.testing.assert_allclose(fitted.pixels, whole.pixels, rtol=0, atol=1e-6)
    assert fit_region(Region(image.data_window, image.display_window), request) == Region(
        fitted.data_window, fitted.display_window)


@pytest.mark.parametrize("scale", [0.5, 0.25])
def test_only_pixel_params_are_scaled(scale):
    specs = (
        Float("radius", pixels=True), Vec2("translate", pixels=True), Vec3("offset", pixels=True),
        Int("size", min=1, pixels=True), Float("gain"), Color("tint"),
    )
    params = {"radius": 8.0, "translate": (4.0, -6.0), "offset": (2.0, 2.0, 2.0), "size": 3,
              "gain": 2.0, "tint": (1.0, 1.0, 1.0, 1.0)}
    scaled = scale_params(specs, params, scale)
    assert scaled["radius"] == 8.0 * scale
    assert scaled["translate"] == (4.0 * scale, -6.0 * scale)
    assert scaled["offset"] == (2.0 * scale,) * 3
    assert scaled["size"] == max(1, round(3 * scale))  # an Int stays an int, at its minimum or above
    assert scaled["gain"] == 2.0 and scaled["tint"] == params["tint"]
    assert scale_params(specs, params, 1.0) == params


def test_torch_pixels_are_reduced_and_cropped_where_they_are():
    torch = pytest.importorskip("torch")
    image = noise(Box(-3, 1, 6, 7), display=Box(0, 0, 9, 9))
    on_torch = image.replace(pixels=torch.from_numpy(np.array(image.pixels)))
    request = Request(1.0, region=Box(0, 0, 8, 8), scale=0.5)
    fitted = fit_image(on_torch, request)
    expected = fit_image(image, request)
    assert isinstance(fitted.pixels, torch.Tensor) and fitted.data_window == expected.data_window
    np.testing.assert_allclose(fitted.pixels.numpy(), expected.pixels, rtol=0, atol=1e-6)
