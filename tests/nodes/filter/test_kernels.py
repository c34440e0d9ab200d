import math

import cv2
import numpy as np
import pytest

from nodecomp.nodes.filter.kernels import convolve, disc_kernel, footprint, nonfinite_masks


@pytest.mark.parametrize("radius", [0.0, 0.3, 0.5])
def test_tiny_discs_are_the_identity(radius):
    np.testing.assert_array_equal(disc_kernel(radius), [[1.0]])


@pytest.mark.parametrize("radius", [1.0, 2.5, 3.0, 7.3, 20.0])
def test_disc_kernel_is_a_normalised_symmetric_disc(radius):
    kernel = disc_kernel(radius)
    half = math.ceil(radius - 0.5)
    assert kernel.shape == (2 * half + 1, 2 * half + 1) and kernel.dtype == np.float32
    assert kernel.sum() == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(kernel, kernel.T, atol=1e-9)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1], atol=1e-9)
    # flat inside (a bokeh disc has no falloff), zero where a tap's pixel is wholly outside
    centre = kernel[half, half]
    assert np.allclose(kernel[kernel > centre * 0.999], centre)
    ys, xs = np.mgrid[-half:half + 1, -half:half + 1]
    nearest = np.hypot(np.maximum(np.abs(xs) - 0.5, 0), np.maximum(np.abs(ys) - 0.5, 0))
    assert not kernel[nearest > radius].any()
    # a uniform disc of radius r has variance r^2 / 4 per axis, plus 1/12 from integrating over pixels
    if radius >= 3:  # (small discs are too coarse for the continuous formula)
        assert (kernel * xs ** 2).sum() == pytest.approx(radius ** 2 / 4 + 1 / 12, rel=0.02)


def test_convolve_equals_a_direct_sum_small_and_dft_sized():
    rng = np.random.default_rng(0)
    pixels = rng.random((40, 50, 3), dtype=np.float32)
    for radius in (2.0, 9.0):  # 5x5 runs directly, 19x19 through OpenCV's DFT
        kernel = disc_kernel(radius)
        half = len(kernel) // 2
        padded = np.pad(pixels, ((half, half), (half, half), (0, 0)))
        expected = np.zeros_like(pixels, dtype=np.float64)
        for dy in range(-half, half + 1):
            for dx in range(-half, half + 1):
                expected += kernel[dy + half, dx + half] * padded[half + dy:half + dy + 40, half + dx:half + dx + 50]
        np.testing.assert_allclose(convolve(pixels, kernel), expected, atol=2e-6)


def test_nonfinite_values_spread_over_their_own_footprint_only():
    pixels = np.full((64, 64, 2), 0.5, np.float32)
    pixels[20, 20, 0] = np.nan
    pixels[40, 40, 0] = np.inf
    pixels[40, 46, 0] = -np.inf
    pixels[10, 50, 1] = np.inf
    kernel = disc_kernel(6.0)  # 13x13: the DFT path, where one NaN would otherwise cover the frame
    result = convolve(pixels, kernel)
    support = kernel > 0
    nan_area = footprint(np.isnan(pixels), support)
    assert np.isnan(result[nan_area]).all()
    both = footprint(np.isposinf(pixels), support) & footprint(np.isneginf(pixels), support)
    assert both[40, 43, 0] and np.isnan(result[40, 43, 0])  # +inf meets -inf
    assert result[40, 34, 0] == np.inf and result[40, 52, 0] == -np.inf
    assert result[10, 50, 1] == np.inf and result[10, 44, 1] == np.inf and np.isfinite(result[10, 43, 1])
    bad = footprint(~np.isfinite(pixels), support)
    clean = cv2.filter2D(np.where(np.isfinite(pixels), pixels, 0).astype(np.float32), -1, kernel,
                         borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(result[~bad], clean[~bad], atol=1e-6)
    assert np.isfinite(result[~bad]).all()


def test_nonfinite_masks_is_none_for_clean_images():
    assert nonfinite_masks(np.zeros((3, 3, 1), np.float32)) is None
    assert nonfinite_masks(np.zeros((0, 3, 1), np.float32)) is None
    masks = nonfinite_masks(np.array([[[np.nan, np.inf, -np.inf]]], np.float32))
    assert [m.sum() for m in masks] == [1, 1, 1]
