import numpy as np
import pytest

from plugins.keyers.mattes import CombineOp, choke_grow, combine, rescale_premultiplied


def _square(size=40, lo=10, hi=30):
    matte = np.zeros((size, size), np.float32)
    matte[lo:hi, lo:hi] = 1.0
    return matte


def test_grow_and_choke_by_whole_pixels():
    matte = _square()
    assert choke_grow(matte, 2).sum() > matte.sum()
    assert choke_grow(matte, -2).sum() == 16 * 16
    np.testing.assert_array_equal(choke_grow(matte, 0), matte)


def test_fractional_size_lies_between_the_whole_sizes():
    matte = _square()
    one, two, half = choke_grow(matte, -1).sum(), choke_grow(matte, -2).sum(), choke_grow(matte, -1.5).sum()
    assert two < half < one
    assert half == pytest.approx((one + two) / 2, rel=1e-5)


def test_softness_blurs_the_edge_and_stays_in_range():
    out = choke_grow(_square(), 0, softness=2.0)
    assert 0.0 < out[10, 20] < 1.0 and out.min() >= 0.0 and out.max() <= 1.0


@pytest.mark.parametrize("op, expected", [
    (CombineOp.MAX, 0.75), (CombineOp.MIN, 0.25), (CombineOp.ADD, 1.0), (CombineOp.SUBTRACT, 0.5),
    (CombineOp.MULTIPLY, 0.1875), (CombineOp.SCREEN, 0.8125), (CombineOp.DIFFERENCE, 0.5), (CombineOp.REPLACE, 0.25),
])
def test_combine_operations(op, expected):
    a, b = np.full((2, 2), 0.25, np.float32), np.full((2, 2), 0.75, np.float32)
    np.testing.assert_allclose(combine(a, b, op), expected, atol=1e-6)


def test_unknown_combine_operation():
    with pytest.raises(ValueError, match="unknown matte operation"):
        combine(np.zeros(1), np.zeros(1), "xor")


def test_rescale_premultiplied_keeps_unpremultiplied_colour():
    rgb = np.array([[[0.25, 0.5, 0.1]]], np.float32)
    out = rescale_premultiplied(rgb, np.array([[0.5]], np.float32), np.array([[0.25]], np.float32))
    np.testing.assert_allclose(out, rgb * 0.5)
    assert not rescale_premultiplied(rgb, np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32)).any()
