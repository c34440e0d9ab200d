import numpy as np

from nodecomp.api import Box
from nodecomp.nodes.transform.perspective import index_map, is_affine, perspective_window, warp_homography
from nodecomp.nodes.transform.transform import transform_matrix
from nodecomp.nodes.transform.warp import channel_groups, warp_image, warp_pixels
from tests.nodes.image_asserts import image, random_rgba


def test_channel_groups_use_only_one_three_or_four_channels():
    for count in range(1, 13):
        groups = channel_groups(count)
        assert [i for g in groups for i in range(g.start, g.stop)] == list(range(count))
        assert all(g.stop - g.start in (1, 3, 4) for g in groups)


def test_two_channel_bilinear_warps_match_one_channel_warps():
    """OpenCV rounds positions to 1/32 pixel for 2-channel bilinear warps; the groups avoid that path."""
    x = random_rgba(30, 40, seed=1, channels=2)
    matrix = transform_matrix((0.3, 0.2), 17.0, (1.1, 0.9), (20, 15))
    window = Box(0, 0, 40, 30)
    together = warp_pixels(x, window, matrix, window, "bilinear")
    apart = [warp_pixels(x[..., c:c + 1], window, matrix, window, "bilinear") for c in range(2)]
    np.testing.assert_allclose(together, np.concatenate(apart, -1), atol=1e-6)


def test_index_map_includes_the_half_pixel_shifts():
    mapping = index_map(np.eye(3), Box(3, 4, 10, 10), Box(0, 0, 5, 5))
    np.testing.assert_allclose(mapping @ [0, 0, 1], [-3, -4, 1])


def test_perspective_window_refuses_corners_behind_the_horizon():
    matrix = np.array([[1.0, 0, 0], [0, 1.0, 0], [-0.01, 0, 1.0]])  # w = 0 at x = 100
    assert perspective_window(Box(0, 0, 50, 50), matrix) is not None
    assert perspective_window(Box(0, 0, 150, 50), matrix) is None


def test_affine_homographies_take_the_affine_path():
    x = random_rgba(10, 10, seed=2)
    img = image(x)
    matrix = transform_matrix((1.5, 0.0), 0.0, (1.0, 1.0), (0, 0)) * 2.0  # any scale of a homography
    assert not is_affine(matrix)
    result = warp_homography(img, matrix, "bilinear", Box(0, 0, 20, 20))
    expected = warp_image(img, transform_matrix((1.5, 0.0), 0.0, (1.0, 1.0), (0, 0)), "bilinear", Box(0, 0, 20, 20))
    assert result.data_window == expected.data_window
    np.testing.assert_array_equal(result.pixels, expected.pixels)


def test_a_singular_homography_gives_an_empty_image():
    img = image(random_rgba(4, 4))
    matrix = np.array([[1.0, 0, 0], [0, 0.0, 0], [0.001, 0, 1.0]])
    assert warp_homography(img, matrix, "cubic", Box(0, 0, 8, 8)).data_window.is_empty
