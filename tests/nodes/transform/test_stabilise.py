import math

import numpy as np
import pytest

from nodecomp.nodes.transform.stabilise import model_for, motion_matrix, similarity_parts
from nodecomp.nodes.transform.transform import transform_matrix


def apply(matrix, points):
    points = np.asarray(points, dtype=np.float64)
    mapped = (matrix @ np.hstack([points, np.ones((len(points), 1))]).T).T
    return mapped[:, :2] / mapped[:, 2:]


def test_auto_model_by_count():
    assert [model_for(n, "auto") for n in (1, 2, 3, 4, 7)] == ["translate", "similarity", "affine", "perspective",
                                                               "perspective"]
    assert model_for(4, "translate") == "translate"


def test_translate_is_the_mean_displacement():
    matrix = motion_matrix([(0, 0), (10, 0)], [(1, 2), (13, 2)], "translate")
    np.testing.assert_allclose(matrix[:2, 2], [2, 2])


def test_two_points_give_the_exact_similarity_matching_transform():
    truth = transform_matrix((3.0, -2.0), 25.0, (1.3, 1.3), (40.0, 30.0))
    src = np.array([(10.0, 20.0), (70.0, 45.0)])
    matrix = motion_matrix(src, apply(truth, src))
    np.testing.assert_allclose(matrix, truth, atol=1e-9)
    scale, rotate = similarity_parts(matrix)
    assert scale == pytest.approx(1.3) and rotate == pytest.approx(25.0)


def test_least_squares_similarity_with_more_points():
    truth = transform_matrix((1.0, 1.0), -10.0, (0.8, 0.8), (0.0, 0.0))
    src = np.array([(0.0, 0.0), (50.0, 0.0), (50.0, 40.0), (0.0, 40.0)])
    np.testing.assert_allclose(motion_matrix(src, apply(truth, src), "similarity"), truth, atol=1e-9)


def test_three_points_give_the_exact_affine_and_four_the_homography():
    affine = np.array([[1.1, 0.2, 3.0], [-0.1, 0.9, 4.0], [0, 0, 1.0]])
    src = np.array([(0.0, 0.0), (30.0, 5.0), (10.0, 40.0)])
    np.testing.assert_allclose(motion_matrix(src, apply(affine, src)), affine, atol=1e-9)
    homography = np.array([[1.0, 0.1, 2.0], [0.05, 1.0, -1.0], [1e-3, 2e-4, 1.0]])
    quad = np.array([(0.0, 0.0), (60.0, 0.0), (60.0, 50.0), (0.0, 50.0)])
    np.testing.assert_allclose(motion_matrix(quad, apply(homography, quad)), homography, atol=1e-9)


@pytest.mark.parametrize("points, model, message", [
    ([(1, 1), (1, 1)], "similarity", "coincide"),
    ([(0, 0), (1, 1), (2, 2)], "affine", "one line"),
    ([(0, 0)], "affine", "needs 3 points"),
    ([(0, 0)] * 5, "perspective", "exactly 4"),
    ([(0, 0)], "warp", "unknown motion model"),
])
def test_undefined_motions_raise(points, model, message):
    with pytest.raises(ValueError, match=message):
        motion_matrix(points, points, model)


def test_rotation_angle_sign_matches_transform():
    _, rotate = similarity_parts(transform_matrix((0, 0), 90.0, (1, 1), (0, 0)))
    assert math.isclose(rotate, 90.0)
