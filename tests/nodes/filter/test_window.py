import numpy as np

from nodecomp.api import RGBA, Box
from nodecomp.nodes.filter.window import filter_channels, output_window, region_pixels
from tests.nodes.image_asserts import image, random_rgba


def test_gathered_pixels_fill_outside_the_data_window_and_share_full_frames():
    x = random_rgba(4, 5, seed=1)
    img = image(x, data_window=Box(2, 3, 7, 7)).freeze()
    assert region_pixels(img, img.data_window, [0, 1, 2, 3]) is img.pixels
    region = region_pixels(img, Box(0, 0, 8, 8), [3, 0], fill=-1.0)
    assert region.shape == (8, 8, 2)
    np.testing.assert_array_equal(region[3:7, 2:7], x[..., [3, 0]])
    assert (region[:3] == -1).all() and (region[:, 7] == -1).all()


def test_output_window_grows_and_crops():
    img = image(random_rgba(4, 4), data_window=Box(0, 0, 4, 4), display_window=Box(0, 0, 5, 5))
    assert output_window(img, (2, 1), grow=True, crop=False) == Box(-2, -1, 6, 5)
    assert output_window(img, (2, 1), grow=True, crop=True) == Box(0, 0, 5, 5)
    assert output_window(img, (2, 1), grow=False, crop=False) == Box(0, 0, 4, 4)


def test_fn_sees_the_reach_and_unselected_channels_are_copied():
    x = random_rgba(6, 6, seed=2, channels=5)
    img = image(x, (*RGBA, "depth.Z"), display_window=Box(-10, -10, 20, 20))
    shapes = []

    def double(pixels):
        shapes.append(pixels.shape)
        return pixels * 2

    result = filter_channels(img, "rgb", double, reach=(1, 2), grow=True, crop=True)
    assert shapes == [(10, 8, 3)] and result.data_window == Box(-1, -2, 7, 8)
    np.testing.assert_array_equal(result.pixels[2:8, 1:7, :3], x[..., :3] * 2)
    np.testing.assert_array_equal(result.pixels[2:8, 1:7, 3:], x[..., 3:])
    assert not result.pixels[:2].any()  # black in the grown margin


def test_infinite_fill_left_in_a_grown_margin_becomes_black():
    x = np.ones((3, 3, 1), np.float32)
    img = image(x, ("A",), display_window=Box(-5, -5, 10, 10))
    result = filter_channels(img, "alpha", lambda p: p.copy(), reach=(1, 1), grow=True, fill=-np.inf)
    assert result.data_window == Box(-1, -1, 4, 4)
    assert np.isfinite(result.pixels).all() and result.pixels.sum() == 9


def test_guide_channel_is_read_not_written():
    x = random_rgba(3, 3, seed=3, channels=5)
    img = image(x, (*RGBA, "depth.Z"))
    seen = []

    def use_guide(pixels):
        seen.append(pixels[..., -1].copy())
        return pixels[..., :-1] + pixels[..., -1:]

    result = filter_channels(img, "rgba", use_guide, guide="depth.Z")
    np.testing.assert_array_equal(seen[0], x[..., 4])
    np.testing.assert_allclose(result.pixels[..., :4], x[..., :4] + x[..., 4:5])
    np.testing.assert_array_equal(result.pixels[..., 4], x[..., 4])


def test_no_selected_channel_or_empty_window():
    img = image(random_rgba(3, 3, channels=1), ("depth.Z",))
    assert filter_channels(img, "rgba", lambda p: p * 0) is img
    off = image(random_rgba(2, 2), data_window=Box(50, 50, 52, 52), display_window=Box(0, 0, 10, 10))
    result = filter_channels(off, "rgba", lambda p: p, reach=(1, 1), grow=True, crop=True)
    assert result.data_window.is_empty and result.pixels.size == 0


def test_repeat_guide_extends_the_guide_with_its_edge_values():
    x = np.zeros((2, 3, 2), np.float32)
    x[..., 1] = [[1, 2, 3], [4, 5, 6]]
    img = image(x, ("A", "depth.Z"), display_window=Box(-5, -5, 10, 10))
    seen = []

    def keep(pixels):
        seen.append(pixels[..., -1].copy())
        return pixels[..., :-1]

    filter_channels(img, "alpha", keep, reach=(1, 1), grow=True, guide="depth.Z", repeat_guide=True)
    np.testing.assert_array_equal(seen[0], [[1, 1, 2, 3, 3], [1, 1, 2, 3, 3], [4, 4, 5, 6, 6], [4, 4, 5, 6, 6]])
