import numpy as np

from nodecomp.api import Box
from nodecomp.testing import image
from plugins.generators.imaging import generation_size, mask_plane, resample, rgba


def test_generation_sizes_are_the_nearest_multiples_of_eight():
    assert generation_size(64, 64) == (64, 64)
    assert generation_size(1920, 1080) == (1920, 1080)
    assert generation_size(2048, 858) == (2048, 856)
    assert generation_size(3, 5) == (8, 8)


def test_resample_keeps_exact_sizes_and_clips():
    pixels = np.random.default_rng(0).random((8, 8, 3), dtype=np.float32)
    assert resample(pixels, 8, 8) is pixels
    up = resample(pixels, 13, 11)
    assert up.shape == (11, 13, 3) and up.dtype == np.float32
    assert up.min() >= 0.0 and up.max() <= 1.0
    assert resample(pixels[..., :1], 4, 4).shape == (4, 4, 1)


def test_mask_plane_prefers_alpha_then_a_single_channel_then_rgb():
    rgba_mask = image(np.dstack([np.zeros((2, 2, 3)), np.full((2, 2), 0.5)]))
    assert np.allclose(mask_plane(rgba_mask, Box(0, 0, 2, 2)), 0.5)
    single = image(np.full((2, 2, 1), 2.0), channels=("Y",))
    assert np.allclose(mask_plane(single, Box(0, 0, 2, 2)), 1.0)  # clipped to 0..1
    rgb = image(np.dstack([np.ones((2, 2)), np.zeros((2, 2)), np.zeros((2, 2))]))
    assert np.allclose(mask_plane(rgb, Box(0, 0, 2, 2)), 1 / 3)


def test_mask_outside_its_data_window_keeps_the_plate():
    small = image(np.ones((2, 2, 1)), channels=("A",), x=1, y=1)
    plane = mask_plane(small, Box(0, 0, 4, 4))
    assert plane.sum() == 4 and plane[0, 0] == 0 and plane[1, 1] == 1


def test_rgba_adds_alpha():
    out = rgba(np.zeros((2, 3, 3), np.float32), np.full((2, 3), 0.25, np.float32))
    assert out.shape == (2, 3, 4) and np.all(out[..., 3] == 0.25)
