import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nodecomp.nodes.color.grading import grade_coefficients, grade_pixels
from tests.nodes.image_asserts import random_rgba


def reference_grade(x, black, white, lift, gain, multiply, offset, gamma, *, clamp_black=True,
                    clamp_white=False, mix=1.0):
    """Nuke's formula written out in float64, one component per channel."""
    x = x.astype(np.float64)
    a = multiply * (gain - lift) / (white - black)
    b = offset + lift - a * black
    v = a * x + b
    positive = v > 0
    v = np.where(positive, np.power(np.where(positive, v, 1.0), 1.0 / gamma), v)
    if clamp_black:
        v = np.maximum(v, 0.0)
    if clamp_white:
        v = np.minimum(v, 1.0)
    return x + (v - x) * mix


def test_each_param_follows_the_formula_on_a_tiny_array():
    x = np.array([[[-0.5, 0.0, 0.25, 1.0], [0.5, 2.0, 0.75, 0.1]]], np.float32)
    params = dict(black=np.array([0.1, 0.0, -0.2, 0.0]), white=np.array([0.9, 2.0, 1.0, 1.0]),
                  lift=np.array([0.05, 0.0, 0.1, 0.0]), gain=np.array([1.5, 0.8, 1.0, 1.0]),
                  multiply=np.array([1.0, 2.0, 0.5, 1.0]), offset=np.array([0.0, -0.1, 0.2, 0.0]),
                  gamma=np.array([2.2, 0.5, 1.0, 1.0]))
    slope, intercept = grade_coefficients(params["black"], params["white"], params["lift"], params["gain"],
                                          params["multiply"], params["offset"])
    for clamp_black in (True, False):
        for clamp_white in (True, False):
            for mix in (1.0, 0.3):
                got = grade_pixels(x, slope, intercept, 1.0 / params["gamma"], [True] * 4,
                                   clamp_black=clamp_black, clamp_white=clamp_white, mix=mix)
                want = reference_grade(x, **params, clamp_black=clamp_black, clamp_white=clamp_white, mix=mix)
                np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-7)


def test_gamma_leaves_negatives_alone_unless_clamped():
    x = np.array([[[-0.5, -2.0, 0.0, 4.0]]], np.float32)
    kept = grade_pixels(x, [1] * 4, [0] * 4, [0.5] * 4, [True] * 4, clamp_black=False)
    np.testing.assert_allclose(kept, [[[-0.5, -2.0, 0.0, 2.0]]], rtol=1e-6)
    clamped = grade_pixels(x, [1] * 4, [0] * 4, [0.5] * 4, [True] * 4, clamp_black=True)
    np.testing.assert_allclose(clamped, [[[0.0, 0.0, 0.0, 2.0]]], rtol=1e-6)


def test_unselected_channels_are_copied_bit_for_bit():
    x = random_rgba(5, 7, seed=3, channels=6) * 3 - 1
    got = grade_pixels(x, [2, 2, 2, 2, 2, 2], [0.1] * 6, [0.7] * 6, [True, True, True, False, False, False],
                       clamp_black=True, clamp_white=True, mix=0.5)
    np.testing.assert_array_equal(got[..., 3:], x[..., 3:])
    assert not np.array_equal(got[..., :3], x[..., :3])


def test_strips_cover_tall_images():
    x = random_rgba(301, 3, seed=1) * 2 - 0.5  # many strips, the last one short
    got = grade_pixels(x, [1.2] * 4, [0.01] * 4, [1 / 1.1] * 4, [True] * 4, clamp_black=False)
    want = reference_grade(x, 0.0, 1.0, 0.0, 1.0, 1.2, 0.01, 1.1, clamp_black=False)
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(
    gain=st.floats(0.1, 4.0), lift=st.floats(-0.5, 0.5), gamma=st.floats(0.2, 5.0),
    offset=st.floats(-1.0, 1.0), mix=st.floats(0.0, 1.0), clamp_black=st.booleans(),
)
def test_matches_reference_for_random_settings(gain, lift, gamma, offset, mix, clamp_black):
    x = random_rgba(4, 5, seed=7) * 3 - 1
    slope, intercept = grade_coefficients([0] * 4, [1] * 4, [lift] * 4, [gain] * 4, [1] * 4, [offset] * 4)
    got = grade_pixels(x, slope, intercept, [1 / gamma] * 4, [True] * 4, clamp_black=clamp_black, mix=mix)
    want = reference_grade(x, 0.0, 1.0, lift, gain, 1.0, offset, gamma, clamp_black=clamp_black, mix=mix)
    np.testing.assert_allclose(got, want, rtol=5e-6, atol=2e-6)


def test_comp_a_grade_matches_the_hand_written_numpy():
    x = random_rgba(20, 30, seed=2) * 1.3 - 0.1
    peer = x.copy()
    alpha = peer[..., 3].copy()
    peer *= np.float32(1.2)
    peer += np.float32(0.01)
    np.power(peer, np.float32(1 / 1.1), out=peer, where=peer > 0)
    peer[..., 3] = alpha
    got = grade_pixels(x, [1.2, 1.2, 1.2, 1], [0.01, 0.01, 0.01, 0], [1 / 1.1] * 3 + [1], [True] * 3 + [False],
                       clamp_black=False)
    np.testing.assert_allclose(got, peer, rtol=2e-6, atol=1e-7)
    np.testing.assert_array_equal(got[..., 3], x[..., 3])
