import numpy as np

from nodecomp.api import RGBA, Box, Image
from nodecomp.nodes.transform.warp import crop_image, integer_offset, transformed_window, warp_image, warp_pixels
from tests.nodes.image_asserts import random_rgba


def translation(dx, dy):
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def test_integer_offset_only_for_whole_pixel_shifts():
    assert integer_offset(translation(3, -2)) == (3, -2)
    assert integer_offset(translation(3.5, 0)) is None
    assert integer_offset(np.diag([2.0, 1.0, 1.0])) is None


def test_transformed_window_rounds_outward_and_absorbs_rounding():
    assert transformed_window(Box(0, 0, 10, 10), np.diag([2.0, 2.0, 1.0])) == Box(0, 0, 20, 20)
    assert transformed_window(Box(0, 0, 10, 10), translation(0.5, 0.25)) == Box(0, 0, 11, 11)
    assert transformed_window(Box(0, 0, 10, 10), translation(0.5, 0), margin=0.5) == Box(0, -1, 11, 11)


def test_half_pixel_translate_averages_neighbours_with_pixel_centres():
    row = np.array([[[1.0], [3.0], [5.0]]], np.float32)
    out = warp_pixels(row, Box(0, 0, 3, 1), translation(0.5, 0), Box(0, 0, 4, 1), "bilinear")
    np.testing.assert_allclose(out[0, :, 0], [0.5, 2.0, 4.0, 2.5])  # black beyond the edges
    out = warp_pixels(row, Box(0, 0, 3, 1), translation(0.5, 0), Box(0, 0, 4, 1), "bilinear", extend_edges=True)
    np.testing.assert_allclose(out[0, :, 0], [1.0, 2.0, 4.0, 5.0])


def test_data_window_offsets_are_honoured():
    x = random_rgba(4, 5, seed=1)
    moved = warp_pixels(x, Box(10, 20, 15, 24), translation(0.0, 0.0), Box(10, 20, 15, 24), "cubic")
    np.testing.assert_allclose(moved, x, atol=1e-6)


def test_more_than_four_channels_go_through_in_groups():
    x = random_rgba(6, 6, seed=2, channels=9)
    out = warp_pixels(x, Box(0, 0, 6, 6), translation(0.3, 0.7), Box(0, 0, 7, 7), "lanczos")
    singles = np.concatenate([warp_pixels(x[..., c:c + 1], Box(0, 0, 6, 6), translation(0.3, 0.7), Box(0, 0, 7, 7),
                                          "lanczos") for c in range(9)], -1)
    np.testing.assert_allclose(out, singles, atol=1e-6)


def test_crop_and_singular_matrices():
    x = random_rgba(4, 4, seed=3)
    img = Image(x, RGBA, Box(0, 0, 4, 4), Box(0, 0, 4, 4))
    assert crop_image(img, Box(2, 2, 6, 6), Box(0, 0, 4, 4)).data_window == Box(2, 2, 4, 4)
    flat = warp_image(img, np.diag([0.0, 1.0, 1.0]), "bilinear", Box(0, 0, 4, 4))
    assert flat.data_window.is_empty and flat.pixels.shape[2] == 4
