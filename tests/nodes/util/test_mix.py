import numpy as np

from nodecomp.api import Box
from nodecomp.nodes.util.mix import mix_images, on_window
from tests.nodes.image_asserts import image, random_rgba


def test_on_window_returns_the_array_itself_when_it_fits():
    img = image(random_rgba(3, 4))
    assert on_window(img, img.data_window, img.channels) is img.pixels


def test_missing_alpha_reads_zero_not_one():
    rgb = image(np.ones((2, 2, 3), np.float32), channels=("R", "G", "B"))
    out = on_window(rgb, Box(0, 0, 2, 2), ("R", "G", "B", "A"))
    np.testing.assert_array_equal(out[..., 3], 0.0)


def test_mix_with_many_channels_matches_numpy():
    a = image(random_rgba(5, 6, seed=1, channels=7), channels=tuple(f"c{i}" for i in range(7)))
    b = image(random_rgba(5, 6, seed=2, channels=7), channels=tuple(f"c{i}" for i in range(7)))
    result = mix_images(a, b, 0.4)
    np.testing.assert_allclose(result.pixels, a.pixels * 0.6 + b.pixels * 0.4, rtol=1e-6)


def test_one_channel_keeps_its_shape_and_empty_windows_work():
    a = image(np.ones((3, 3, 1), np.float32), channels=("A",))
    assert mix_images(a, a, 0.5).pixels.shape == (3, 3, 1)
    empty = image(np.zeros((0, 0, 1), np.float32), channels=("A",), data_window=Box(2, 2, 2, 2))
    assert mix_images(empty, empty, 0.5).pixels.shape == (0, 0, 1)
