import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nodecomp.nodes.merge.merge import Merge
from nodecomp.nodes.merge.ops import OPERATIONS, blend, merge_pixels
from tests.nodes.image_asserts import random_rgba


def formula(operation, A, B):
    """Each operation written out from its Nuke definition, float64."""
    A, B = A.astype(np.float64), B.astype(np.float64)
    a, b = A[..., 3:4], B[..., 3:4]
    return {
        "over": lambda: A + B * (1 - a),
        "under": lambda: A * (1 - b) + B,
        "plus": lambda: A + B,
        "minus": lambda: A - B,
        "from": lambda: B - A,
        "multiply": lambda: np.where((A < 0) & (B < 0), A, A * B),
        "screen": lambda: np.where((A > 1) & (B > 1), np.maximum(A, B), A + B - A * B),
        "max": lambda: np.maximum(A, B),
        "min": lambda: np.minimum(A, B),
        "difference": lambda: np.abs(A - B),
        "average": lambda: (A + B) / 2,
        "in": lambda: A * b,
        "out": lambda: A * (1 - b),
        "mask": lambda: B * a,
        "stencil": lambda: B * (1 - a),
        "atop": lambda: A * b + B * (1 - a),
        "xor": lambda: A * (1 - b) + B * (1 - a),
        "copy": lambda: A,
    }[operation]()


def test_every_merge_op_has_a_reference_formula():
    assert set(OPERATIONS) == set(Merge.param_spec("operation").choices)
    for name in OPERATIONS:
        formula(name, np.zeros((1, 1, 4)), np.zeros((1, 1, 4)))


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_merge_op_matches_its_formula(operation):
    A = random_rgba(6, 7, seed=1) * 1.5 - 0.2  # negatives and values above 1 exercise the special cases
    B = random_rgba(6, 7, seed=2) * 1.5 - 0.2
    np.testing.assert_allclose(merge_pixels(operation, A, B), formula(operation, A, B), rtol=1e-6, atol=1e-6)


pixels4 = hnp.arrays(np.float32, (3, 4, 4), elements=st.floats(-2, 3, width=32))


@settings(max_examples=30, deadline=None)
@given(operation=st.sampled_from(sorted(OPERATIONS)), A=pixels4, B=pixels4)
def test_merge_ops_match_formulas_on_random_values(operation, A, B):
    np.testing.assert_allclose(merge_pixels(operation, A, B), formula(operation, A, B), rtol=1e-5, atol=1e-5)


def test_blend_moves_towards_b_by_amount():
    result = np.full((2, 2, 4), 3.0, np.float32)
    b = np.ones((2, 2, 4), np.float32)
    blend(result, b, np.float32(0.25))
    np.testing.assert_allclose(result, 1.5)
    result = np.full((1, 2, 4), 3.0, np.float32)
    blend(result, b[:1], np.array([[[0.0], [1.0]]], np.float32))
    np.testing.assert_allclose(result[0, 0], 1.0)
    np.testing.assert_allclose(result[0, 1], 3.0)


def test_nan_and_inf_propagate_without_warnings():
    a = np.array([[[np.nan, np.inf, 0.5, 0.0]]], np.float32)
    b = np.array([[[0.5, 0.0, np.inf, 1.0]]], np.float32)
    with np.errstate(all="raise"):
        for operation in OPERATIONS:
            merge_pixels(operation, a, b)
