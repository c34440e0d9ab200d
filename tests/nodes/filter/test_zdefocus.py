import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.filter.kernels import convolve, disc_kernel
from nodecomp.nodes.filter.zdefocus import ZDefocus, circle_of_confusion, level_radii, zdefocus_pixels
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source

CHANNELS = ("R", "G", "B", "A", "depth.Z")


def zdefocus(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("ZDefocus", source(doc, img), **params))[0]


def with_depth(rgba, depth):
    return np.concatenate([rgba, np.broadcast_to(np.float32(depth), rgba.shape[:2])[..., None]], -1)


def test_blur_radius_per_depth():
    depth = np.array([0.0, 4.0, 5.0, 5.5, 7.0, 100.0, np.nan], np.float32)
    coc = circle_of_confusion(depth, focal_plane=5.0, depth_of_field=1.0, size=2.0, max_size=8.0)
    np.testing.assert_allclose(coc, [8.0, 1.0, 0.0, 0.0, 3.0, 8.0, 0.0])
    assert level_radii(6.0, 4) == [0.0, 2.0, 4.0, 6.0]


def test_pixels_blend_the_two_levels_around_their_radius():
    x = random_rgba(30, 30, seed=1)
    radii = level_radii(6.0, 4)
    coc = np.full((30, 30), 3.0, np.float32)  # halfway between the levels of radius 2 and 4
    expected = 0.5 * convolve(x, disc_kernel(2.0)) + 0.5 * convolve(x, disc_kernel(4.0))
    np.testing.assert_allclose(zdefocus_pixels(x, coc, radii), expected, atol=1e-6)
    coc[:] = 4.0
    np.testing.assert_allclose(zdefocus_pixels(x, coc, radii), convolve(x, disc_kernel(4.0)), atol=1e-6)


def test_in_focus_is_untouched_and_far_is_a_full_defocus():
    x = random_rgba(40, 40, seed=2)
    sharp = zdefocus(image(with_depth(x, 5.0), CHANNELS), focal_plane=5.0)
    np.testing.assert_array_equal(sharp.pixels[..., :4], x)
    far = zdefocus(image(with_depth(x, 50.0), CHANNELS), focal_plane=5.0, size=1.0, max_size=6.0, crop=False)
    reach = len(disc_kernel(6.0)) // 2
    assert far.data_window == Box(-reach, -reach, 40 + reach, 40 + reach)
    padded = np.pad(x, ((reach, reach), (reach, reach), (0, 0)))
    np.testing.assert_allclose(far.pixels[..., :4], convolve(padded, disc_kernel(6.0)), atol=1e-6)


def test_split_depth_keeps_the_focused_half_sharp_and_depth_unblurred():
    x = random_rgba(32, 64, seed=3)
    depth = np.where(np.arange(64) < 32, 5.0, 20.0).astype(np.float32)[None, :].repeat(32, 0)
    img = image(np.concatenate([x, depth[..., None]], -1), CHANNELS)
    result = zdefocus(img, focal_plane=5.0, size=1.0, max_size=4.0, layers=3, channels="all")
    np.testing.assert_array_equal(result.pixels[:, :20, :4], x[:, :20])
    blurred = convolve(x, disc_kernel(4.0))
    np.testing.assert_allclose(result.pixels[:, 44:, :4], blurred[:, 44:], atol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., 4], depth)


def test_missing_depth_is_an_error_naming_the_channels():
    with pytest.raises(EvaluationError, match="no depth channel 'depth.Z' .channels: R, G, B, A"):
        zdefocus(image(random_rgba(4, 4)))
    result = zdefocus(image(with_depth(random_rgba(8, 8), 9.0), ("R", "G", "B", "A", "Z")), depth_channel="Z")
    assert result.pixels.shape == (8, 8, 5)


def test_identity_settings_pass_through():
    assert ZDefocus.pass_through({"size": 0.0, "max_size": 10.0}) == "source"
    assert ZDefocus.pass_through({"size": 1.0, "max_size": 0.5}) == "source"
    assert ZDefocus.pass_through({"size": 1.0, "max_size": 2.0}) is None
