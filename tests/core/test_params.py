import math
from enum import StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodecomp.core.curves import Curve, Key
from nodecomp.core.params import (
    Bool,
    Choice,
    Color,
    Float,
    Int,
    ParamState,
    Path,
    String,
    Vec2,
    Vec3,
    label_from_name,
)


class Mode(StrEnum):
    OVER = "over"
    PLUS = "plus"


@pytest.mark.parametrize(
    ("name", "label"),
    [("gain", "Gain"), ("black_point", "Black Point"), ("a_b_c", "A B C"), ("x2", "X2")],
)
def test_labels_are_derived_from_names(name, label):
    assert label_from_name(name) == label
    assert Float(name).display_label == label


def test_an_explicit_label_wins():
    assert Float("gain", label="Brightness").display_label == "Brightness"


# ---------------------------------------------------------------- Float


def test_float_coerce():
    spec = Float("gain", default=1.0, min=0.0, max=10.0)
    assert spec.coerce(3) == 3.0 and isinstance(spec.coerce(3), float)
    assert spec.coerce(0) == 0.0 and spec.coerce(10) == 10.0
    for bad, match in [
        (-0.001, "below the minimum 0"),
        (10.5, "above the maximum 10"),
        (True, "expected a number"),
        ("1", "expected a number"),
        (None, "expected a number"),
        ((1,), "expected a number"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (10**400, "finite"),
    ]:
        with pytest.raises(ValueError, match=match):
            spec.coerce(bad)


def test_unbounded_float():
    assert Float("x").coerce(-1e300) == -1e300


# ---------------------------------------------------------------- Int


def test_int_coerce():
    spec = Int("count", default=1, min=0, max=10)
    assert spec.coerce(3) == 3
    assert spec.coerce(4.0) == 4 and isinstance(spec.coerce(4.0), int)
    assert spec.coerce(2.6) == 3  # curves between keys round to the nearest integer
    for bad, match in [
        (-1, "below the minimum 0"),
        (11, "above the maximum 10"),
        (10.6, "above the maximum"),
        (False, "expected an integer"),
        ("3", "expected an integer"),
        (math.inf, "finite"),
        (10**400, "finite"),
    ]:
        with pytest.raises(ValueError, match=match):
            spec.coerce(bad)


# ---------------------------------------------------------------- Bool


def test_bool_coerce():
    spec = Bool("on")
    assert spec.coerce(True) is True and spec.coerce(False) is False
    assert spec.coerce(1) is True and spec.coerce(0.4) is False and spec.coerce(0.6) is True
    for bad in ("true", None, [1], math.nan, math.inf, 10**400):
        with pytest.raises(ValueError):
            spec.coerce(bad)


# ---------------------------------------------------------------- Choice


def test_choice_coerce():
    spec = Choice("operation", choices=("over", "plus"))
    assert spec.default == "over"  # the first choice when no default is given
    assert spec.coerce("plus") == "plus"
    assert spec.coerce(Mode.PLUS) == "plus" and type(spec.coerce(Mode.PLUS)) is str
    for bad in ("Over", "", 0, None, ["over"]):
        with pytest.raises(ValueError, match="expected one of over, plus"):
            spec.coerce(bad)
    assert spec.describe()["choices"] == ["over", "plus"]


def test_choice_with_explicit_default():
    assert Choice("m", default="plus", choices=("over", "plus")).default == "plus"


# ---------------------------------------------------------------- String and Path


def test_string_coerce():
    assert String("label").coerce("") == ""
    assert Path("file").coerce("plates/bg.####.exr") == "plates/bg.####.exr"
    assert Path("file").kind == "path"
    for bad in (1, None, b"bytes"):
        with pytest.raises(ValueError, match="expected text"):
            String("label").coerce(bad)


# ---------------------------------------------------------------- vectors


def test_vectors_broadcast_a_scalar():
    assert Vec2("offset").coerce(2) == (2.0, 2.0)
    assert Vec3("axis").coerce(0.5) == (0.5, 0.5, 0.5)
    assert Color("color").coerce(1) == (1.0, 1.0, 1.0, 1.0)


def test_vectors_take_sequences_of_the_right_length():
    assert Vec2("offset").coerce([1, 2]) == (1.0, 2.0)
    assert Color("color").coerce((0, 0.5, 1, 2)) == (0.0, 0.5, 1.0, 2.0)  # above 1 is legal
    assert Vec2("offset").to_json((1.0, 2.0)) == [1.0, 2.0]
    for bad in ((1, 2, 3), [], "xy", True, None, {"x": 1}, (1, "2"), (1, True), (1, math.nan)):
        with pytest.raises(ValueError):
            Vec2("offset").coerce(bad)


def test_vector_bounds_apply_per_component():
    spec = Color("color", min=0.0, max=1.0)
    with pytest.raises(ValueError, match="above the maximum"):
        spec.coerce((0.5, 1.5, 0, 0))
    with pytest.raises(ValueError, match="below the minimum"):
        spec.coerce(-1)


def test_kinds_components_and_animatable():
    assert [(s.kind, s.components, s.animatable) for s in (Float("a"), Int("a"), Bool("a"))] == [
        ("float", 1, True),
        ("int", 1, True),
        ("bool", 1, True),
    ]
    assert (Vec2("a").components, Vec3("a").components, Color("a").components) == (2, 3, 4)
    assert not Choice("a", choices=("x",)).animatable and not String("a").animatable


def test_describe():
    assert Color("tint", default=(1, 1, 1, 1), doc="Tint.").describe() == {
        "name": "tint",
        "kind": "color",
        "default": [1, 1, 1, 1],
        "doc": "Tint.",
    }


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6))
def test_float_and_vector_coerce_is_idempotent(value):
    spec = Vec3("v")
    once = spec.coerce(value)
    assert spec.coerce(once) == once
    assert Float("f").coerce(Float("f").coerce(value)) == value


# ---------------------------------------------------------------- ParamState


def test_param_state_is_immutable_and_copies_on_edit():
    state = ParamState(1.0)
    assert not state.is_animated
    curve = Curve([Key(1, 2.0)])
    keyed = state.with_curve(0, curve)
    assert keyed.is_animated and keyed.curves == {0: curve} and state.curves == {}
    assert keyed.with_curve(0, None).curves == {} and keyed.with_curve(0, Curve()).curves == {}
    driven = state.with_expression(0, "frame")
    assert driven.expressions == {0: "frame"} and state.expressions == {}
    assert driven.with_expression(0, "").expressions == {} and driven.with_expression(0, None).expressions == {}
    assert driven.with_value(3.0).expressions == {0: "frame"}
    with pytest.raises(AttributeError):
        state.value = 2.0  # type: ignore[misc]
