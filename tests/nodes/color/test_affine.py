import numpy as np

from nodecomp.nodes.color.affine import affine_pixels, embed, is_identity, main_rgb, mix_affine
from tests.nodes.image_asserts import random_rgba


def reference(pixels, matrix, offset):
    """Sum over non-zero coefficients only, in float64."""
    x = pixels.astype(np.float64)
    out = np.empty_like(x)
    with np.errstate(invalid="ignore", over="ignore"):
        for row in range(matrix.shape[0]):
            terms = np.flatnonzero(matrix[row])
            out[..., row] = (x[..., terms] * matrix[row, terms]).sum(axis=-1) + offset[row]
    return out


def test_matches_the_matrix_product_on_four_channels():
    x = random_rgba(5, 7, seed=1)
    m = np.array([[0.5, 0.2, 0.1, 0.0], [0.1, 0.9, 0.0, 0.0], [0.0, 0.3, 0.7, 0.0], [0.0, 0.0, 0.0, 1.0]])
    b = np.array([0.01, -0.02, 0.0, 0.0])
    np.testing.assert_allclose(affine_pixels(x, m, b), x @ m.T + b, rtol=1e-6, atol=1e-7)


def test_many_channels_sparse_rows_match_and_copy_identity_rows_bit_for_bit():
    x = random_rgba(4, 6, seed=2, channels=9)
    block = np.array([[0.4, 0.5, 0.1], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]])
    m = embed(block, [0, 1, 2], 9)
    out = affine_pixels(x, m, np.zeros(9))
    np.testing.assert_allclose(out, reference(x, m, np.zeros(9)), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(out[..., 3:], x[..., 3:])


def test_nan_and_inf_stay_in_the_rows_that_read_them():
    x = random_rgba(3, 3, seed=3)
    x[0, 0, 3] = np.nan       # alpha NaN must not reach R, G, B
    x[1, 1, 0] = np.inf       # R inf reaches G and B (they read R) but not A
    x[2, 2, 1] = -np.inf
    m = embed(np.full((3, 3), 1 / 3), [0, 1, 2], 4)
    out = affine_pixels(x, m, np.zeros(4))
    np.testing.assert_allclose(out, reference(x, m, np.zeros(4)), rtol=1e-6, equal_nan=True)
    assert np.isfinite(out[0, 0, :3]).all() and np.isnan(out[0, 0, 3])
    assert np.isinf(out[1, 1, :3]).all() and out[1, 1, 3] == x[1, 1, 3]


def test_one_channel_and_empty_images():
    x = np.full((2, 3, 1), 0.5, np.float32)
    np.testing.assert_allclose(affine_pixels(x, np.array([[2.0]]), np.array([0.25])), 1.25)
    assert affine_pixels(np.zeros((0, 4, 4), np.float32), np.eye(4), np.zeros(4)).shape == (0, 4, 4)


def test_input_is_not_written_and_output_is_new():
    x = random_rgba(4, 4, seed=4)
    x.flags.writeable = False
    out = affine_pixels(x, np.eye(4) * 2, np.zeros(4))
    assert out.flags.c_contiguous and out is not x


def test_mix_and_identity_helpers():
    m, b, reads = mix_affine(np.eye(2) * 3, np.array([1.0, 0.0]), 0.5)
    np.testing.assert_allclose(m, np.eye(2) * 2)
    np.testing.assert_allclose(b, [0.5, 0.0])
    np.testing.assert_array_equal(reads, np.eye(2, dtype=bool))


def test_an_output_that_reads_its_input_with_a_zero_coefficient_keeps_nan():
    x = np.array([[[np.nan, 0.25, 0.0, 1.0]]], np.float32)
    m, b, reads = mix_affine(np.diag([-1.0, -1.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0, 0.0]), 0.5)
    out = affine_pixels(x, m, b, reads)
    assert np.isnan(out[0, 0, 0])
    np.testing.assert_allclose(out[0, 0, 1:], [0.5, 0.0, 1.0])
    assert is_identity(np.eye(3), np.zeros(3)) and not is_identity(np.eye(3), np.array([0, 0, 1e-9]))
    assert main_rgb(("B", "G", "R", "A")) == [2, 1, 0]
    assert main_rgb(("R", "G", "A")) is None


def test_diagonal_maps_use_scalars_or_rows_and_a_zero_row_reads_nothing():
    x = random_rgba(3, 4, seed=6)
    x[0, 0, 0] = np.nan
    out = affine_pixels(x, np.diag([2.0, 2.0, 2.0, 2.0]), np.full(4, 0.5))
    np.testing.assert_allclose(out, x * 2 + 0.5, rtol=1e-6, equal_nan=True)
    out = affine_pixels(x, np.diag([0.0, 1.0, 3.0, 1.0]), np.array([0.25, 0.0, 0.0, 0.0]))
    np.testing.assert_array_equal(out[..., 0], 0.25)  # R reads nothing: the NaN does not survive
    np.testing.assert_allclose(out[..., 2], x[..., 2] * 3, rtol=1e-6)
