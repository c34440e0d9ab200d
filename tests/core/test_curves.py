import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nodecomp.core.curves import Curve, Interp, Key


def curve(*keys: Key) -> Curve:
    return Curve(keys)


# ---------------------------------------------------------------- basics


def test_empty_curve_is_zero_everywhere():
    assert Curve().value_at(0.0) == 0.0
    assert Curve().value_at(-1e9) == 0.0
    assert len(Curve()) == 0


def test_single_key_is_constant():
    c = curve(Key(5, 3.5))
    assert c.value_at(-100) == 3.5
    assert c.value_at(5) == 3.5
    assert c.value_at(1e6) == 3.5


def test_holds_end_values_outside_range():
    c = curve(Key(10, 1.0, Interp.LINEAR), Key(20, 3.0, Interp.LINEAR))
    assert c.value_at(-5) == 1.0
    assert c.value_at(9.999) == 1.0
    assert c.value_at(20.001) == 3.0
    assert c.value_at(math.inf) == 3.0
    assert c.value_at(-math.inf) == 1.0


def test_nan_frame_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        curve(Key(0, 1), Key(1, 2)).value_at(math.nan)


def test_keys_are_sorted_and_exact():
    c = Curve([Key(20, 2.0), Key(0, 0.5), Key(10, -1.0)])
    assert [k.frame for k in c.keys] == [0.0, 10.0, 20.0]
    for k in c.keys:
        assert c.value_at(k.frame) == k.value


# ---------------------------------------------------------------- interpolation


def test_constant_holds_until_next_key():
    c = curve(Key(0, 1.0, Interp.CONSTANT), Key(10, 5.0))
    assert c.value_at(0) == 1.0
    assert c.value_at(9.99) == 1.0
    assert c.value_at(10) == 5.0


def test_linear():
    c = curve(Key(0, 0.0, Interp.LINEAR), Key(10, 20.0))
    # 0 + (20 - 0) * (2.5 / 10) = 5
    assert c.value_at(2.5) == pytest.approx(5.0)
    # 0 + 20 * 0.9 = 18
    assert c.value_at(9) == pytest.approx(18.0)


def test_segment_interp_is_the_leaving_keys():
    c = curve(Key(0, 0.0, Interp.LINEAR), Key(10, 10.0, Interp.CONSTANT), Key(20, 0.0, Interp.LINEAR))
    assert c.value_at(5) == pytest.approx(5.0)  # linear segment 0..10
    assert c.value_at(15) == 10.0  # constant segment 10..20


def test_smooth_two_keys_has_flat_ends():
    c = curve(Key(0, 0.0), Key(10, 10.0))  # SMOOTH is the default
    # both end slopes are 0, so only h01 = -2s^3 + 3s^2 contributes, times v1 = 10.
    # s = 0.25: -2/64 + 3/16 = -0.03125 + 0.1875 = 0.15625 -> 1.5625
    assert c.value_at(2.5) == pytest.approx(1.5625)
    # s = 0.5: -0.25 + 0.75 = 0.5 -> 5
    assert c.value_at(5) == pytest.approx(5.0)
    # flat start: tiny step from the first key barely moves
    assert c.value_at(0.001) == pytest.approx(0.0, abs=1e-4)


def test_smooth_catmull_rom_slopes():
    c = curve(Key(0, 0.0), Key(10, 10.0), Key(30, 30.0))
    # slopes: first 0, middle (30 - 0) / (30 - 0) = 1 per frame, last 0.
    # s = 0.5: h00 = 0.5, h10 = 0.125, h01 = 0.5, h11 = -0.125
    # segment 0..10 (span 10): tangents t0 = 0 * 10 = 0, t1 = 1 * 10 = 10
    #   0.5*0 + 0.125*0 + 0.5*10 - 0.125*10 = 5 - 1.25 = 3.75
    assert c.value_at(5) == pytest.approx(3.75)
    # segment 10..30 (span 20): t0 = 1 * 20 = 20, t1 = 0
    #   0.5*10 + 0.125*20 + 0.5*30 - 0.125*0 = 5 + 2.5 + 15 = 22.5
    assert c.value_at(20) == pytest.approx(22.5)


def test_cubic_uses_explicit_slopes():
    c = curve(Key(0, 0.0, Interp.CUBIC, out_slope=2.0), Key(10, 10.0, in_slope=0.0))
    # t0 = 2 * 10 = 20, t1 = 0; s = 0.5: 0.125*20 + 0.5*10 = 2.5 + 5 = 7.5
    assert c.value_at(5) == pytest.approx(7.5)


def test_cubic_slopes_are_in_frame_units():
    # The same slope (1 value/frame) over a segment twice as long bulges twice as much.
    short = curve(Key(0, 0.0, Interp.CUBIC, out_slope=1.0), Key(2, 0.0, in_slope=0.0))
    long = curve(Key(0, 0.0, Interp.CUBIC, out_slope=1.0), Key(4, 0.0, in_slope=0.0))
    # s = 0.5: h10 = 0.125; short: 0.125 * (1 * 2) = 0.25, long: 0.125 * (1 * 4) = 0.5
    assert short.value_at(1) == pytest.approx(0.25)
    assert long.value_at(2) == pytest.approx(0.5)


def test_cubic_without_slopes_matches_smooth():
    keys = [(0, 0.0), (10, 10.0), (30, 30.0)]
    smooth = Curve(Key(f, v, Interp.SMOOTH) for f, v in keys)
    cubic = Curve(Key(f, v, Interp.CUBIC) for f, v in keys)
    for frame in (2.5, 5, 7.5, 12, 20, 29):
        assert cubic.value_at(frame) == pytest.approx(smooth.value_at(frame))


def test_cubic_in_slope_only_on_next_key():
    c = curve(Key(0, 0.0, Interp.CUBIC), Key(10, 0.0, in_slope=-1.0))
    # t0 = auto (first key) = 0, t1 = -1 * 10 = -10; s = 0.5: h11 = -0.125 -> -0.125 * -10 = 1.25
    assert c.value_at(5) == pytest.approx(1.25)


# ---------------------------------------------------------------- editing


def test_slopes_at_gives_stored_slopes_else_automatic_ones():
    c = curve(Key(0, 0.0, Interp.CUBIC), Key(10, 10.0, Interp.CUBIC), Key(20, 0.0))
    assert c.slopes_at(10) == (0.0, 0.0)  # (0 - 0) / (20 - 0): the neighbours are level
    assert c.slopes_at(0) == (0.0, 0.0)  # the ends are flat
    c2 = c.with_slopes(10, 1.5, None)
    assert c2.slopes_at(10) == (1.5, 0.0)
    assert c2.key_at(10) == Key(10, 10.0, Interp.CUBIC, in_slope=1.5)  # value and interp kept
    assert c.key_at(10).in_slope is None  # curves never change
    with pytest.raises(ValueError, match="no key at frame 5"):
        c.slopes_at(5)


def test_with_slopes_shapes_the_cubic_segments_on_both_sides():
    c = curve(Key(0, 0.0, Interp.CUBIC), Key(10, 0.0, Interp.CUBIC), Key(20, 0.0))
    steep = c.with_slopes(10, 1.0, 1.0)
    # arriving at 10 with slope 1 (t1 = 10): h11(0.5) = -0.125 -> -1.25; leaving alike: +1.25
    assert steep.value_at(5) == pytest.approx(-1.25)
    assert steep.value_at(15) == pytest.approx(1.25)
    assert steep.with_slopes(10, None, None) == c
    with pytest.raises(ValueError, match="no key at frame 3"):
        c.with_slopes(3, 0.0, 0.0)
    with pytest.raises(ValueError, match="in_slope"):
        c.with_slopes(10, math.inf, 0.0)


def test_set_key_replaces_at_same_frame():
    c = curve(Key(0, 1.0), Key(10, 2.0))
    c2 = c.set_key(Key(10, 7.0, Interp.LINEAR))
    assert len(c2) == 2
    assert c2.keys[1] == Key(10, 7.0, Interp.LINEAR)


def test_constructor_last_key_wins_on_same_frame():
    c = Curve([Key(1, 1.0), Key(1, 2.0)])
    assert c.keys == (Key(1, 2.0),)


def test_curves_are_immutable():
    c = curve(Key(0, 1.0))
    c2 = c.set_key(Key(5, 2.0))
    c3 = c2.remove_key(0)
    assert c.keys == (Key(0, 1.0),)
    assert c2.keys == (Key(0, 1.0), Key(5, 2.0))
    assert c3.keys == (Key(5, 2.0),)
    with pytest.raises(AttributeError):
        c.keys = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c.keys[0].value = 3.0  # type: ignore[misc]


def test_remove_missing_key_is_a_no_op():
    c = curve(Key(0, 1.0))
    assert c.remove_key(3) == c


def test_key_at():
    c = curve(Key(0, 1.0), Key(2.5, 2.0))
    assert c.key_at(2.5) == Key(2.5, 2.0) and c.key_at(0) == Key(0, 1.0)
    assert c.key_at(1) is None and c.key_at(-1) is None and Curve().key_at(0) is None


def test_move_keys_keeps_interp_and_slopes():
    c = curve(Key(0, 1.0, Interp.CUBIC, 0.5, 0.25), Key(10, 2.0))
    moved = c.move_keys({0: (4, 3.0)})
    assert moved.keys == (Key(4, 3.0, Interp.CUBIC, 0.5, 0.25), Key(10, 2.0))
    assert c.keys[0].frame == 0  # the original is untouched


def test_move_keys_as_a_group():
    c = curve(Key(0, 1.0), Key(5, 2.0), Key(9, 3.0))
    assert c.move_keys({0: (5, 1.0), 5: (0, 2.0)}).keys == (Key(0, 2.0), Key(5, 1.0), Key(9, 3.0))
    assert c.move_keys({0: (9, 1.0)}).keys == (Key(5, 2.0), Key(9, 1.0))
    with pytest.raises(ValueError, match="no key at frame 3"):
        c.move_keys({3: (4, 1.0)})
    with pytest.raises(ValueError, match="two keys would land on frame 7"):
        c.move_keys({0: (7, 1.0), 5: (7, 2.0)})


def test_with_interp():
    c = curve(Key(0, 1.0), Key(5, 2.0, out_slope=1.0), Key(9, 3.0))
    changed = c.with_interp([5, 9], "linear")
    assert [k.interp for k in changed.keys] == [Interp.SMOOTH, Interp.LINEAR, Interp.LINEAR]
    assert changed.keys[1].out_slope == 1.0
    with pytest.raises(ValueError, match="no key at frame 4"):
        c.with_interp([4], Interp.LINEAR)
    with pytest.raises(ValueError):
        c.with_interp([0], "bouncy")


def test_equality_and_hash():
    a = curve(Key(0, 1.0), Key(1, 2.0, Interp.LINEAR))
    b = Curve([Key(1, 2.0, "linear"), Key(0.0, 1)])  # type: ignore[arg-type]
    assert a == b
    assert hash(a) == hash(b)
    assert a != curve(Key(0, 1.0))
    assert a != "not a curve"


def test_key_validation():
    with pytest.raises(ValueError, match="Key.frame"):
        Key(math.nan, 1.0)
    with pytest.raises(ValueError, match="Key.value"):
        Key(0, math.inf)
    with pytest.raises(ValueError, match="Key.value"):
        Key(0, True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Key.interp"):
        Key(0, 1, "bouncy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Key.out_slope"):
        Key(0, 1, Interp.CUBIC, out_slope=math.nan)
    assert Key(1, 2).frame == 1.0 and isinstance(Key(1, 2).frame, float)


# ---------------------------------------------------------------- serialisation


def test_round_trip_through_json():
    c = curve(
        Key(1, 0.5, Interp.LINEAR),
        Key(5, 2.0, Interp.CUBIC, in_slope=0.25, out_slope=-1.0),
        Key(9.5, -3.0, Interp.CONSTANT),
        Key(12, 1.0),
    )
    data = c.to_dict()
    assert data["keys"][0] == {"frame": 1.0, "value": 0.5, "interp": "linear"}
    assert data["keys"][1] == {
        "frame": 5.0,
        "value": 2.0,
        "interp": "cubic",
        "in_slope": 0.25,
        "out_slope": -1.0,
    }
    assert Curve.from_dict(json.loads(json.dumps(data))) == c


def test_from_dict_defaults_and_sorting():
    c = Curve.from_dict({"keys": [{"frame": 3, "value": 1}, {"frame": 1, "value": 0, "in_slope": None}]})
    assert c.keys == (Key(1, 0.0), Key(3, 1.0, Interp.SMOOTH))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("nope", "curve: expected an object, got 'nope'"),
        ({}, "curve.keys: required field is missing"),
        ({"keys": {"frame": 1}}, "curve.keys: expected a list"),
        ({"keys": [], "extra": 1}, "curve.extra: unknown field"),
        ({"keys": [1]}, "curve.keys[0]: expected an object, got 1"),
        ({"keys": [{"value": 1}]}, "curve.keys[0].frame: required field is missing"),
        (
            {"keys": [{"frame": 0, "value": 0}, {"frame": 1, "value": 0}, {"frame": "x", "value": 0}]},
            "curve.keys[2].frame: expected a finite number, got 'x'",
        ),
        ({"keys": [{"frame": True, "value": 0}]}, "curve.keys[0].frame: expected a finite number, got True"),
        (
            {"keys": [{"frame": 0, "value": math.nan}]},
            "curve.keys[0].value: expected a finite number, got nan",
        ),
        (
            {"keys": [{"frame": math.inf, "value": 0}]},
            "curve.keys[0].frame: expected a finite number, got inf",
        ),
        ({"keys": [{"frame": 10**400, "value": 0}]}, "curve.keys[0].frame: expected a finite number"),
        (
            {"keys": [{"frame": 0, "value": 0, "interp": "bouncy"}]},
            "curve.keys[0].interp: unknown interpolation",
        ),
        ({"keys": [{"frame": 0, "value": 0, "interp": 1}]}, "curve.keys[0].interp: expected a string, got 1"),
        (
            {"keys": [{"frame": 0, "value": 0, "out_slope": "1"}]},
            "curve.keys[0].out_slope: expected a finite",
        ),
        ({"keys": [{"frame": 0, "value": 0, "ease": 1}]}, "curve.keys[0].ease: unknown field"),
        (
            {"keys": [{"frame": 1, "value": 0}, {"frame": 1.0, "value": 2}]},
            "curve.keys[1].frame: duplicate key at frame 1 (also curve.keys[0])",
        ),
    ],
)
def test_from_dict_errors_name_the_field(data, message):
    with pytest.raises(ValueError) as info:
        Curve.from_dict(data)
    assert str(info.value).startswith(message)


def test_from_dict_uses_the_given_path():
    with pytest.raises(ValueError, match=r"^nodes\[0\]\.params\.size\.curves\.1\.keys\[0\]\.value: "):
        Curve.from_dict({"keys": [{"frame": 0, "value": None}]}, path="nodes[0].params.size.curves.1")


# ---------------------------------------------------------------- properties

_frames = st.lists(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
    unique=True,
)
_values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


_any_interp = st.sampled_from(list(Interp))


@st.composite
def _curves(draw, interps=_any_interp):
    frames = draw(_frames)
    keys = []
    for frame in frames:
        interp = draw(interps)
        slopes = st.none() | st.floats(min_value=-100, max_value=100)
        keys.append(Key(frame, draw(_values), interp, draw(slopes), draw(slopes)))
    return Curve(keys)


@given(_curves())
def test_values_at_keys_are_exact(c):
    for key in c.keys:
        assert c.value_at(key.frame) == key.value


@given(_curves(), st.floats(allow_nan=False))
def test_values_are_finite_and_round_trip(c, frame):
    assert math.isfinite(c.value_at(frame))
    assert Curve.from_dict(json.loads(json.dumps(c.to_dict()))) == c


@given(_curves(interps=st.just(Interp.LINEAR)), st.floats(min_value=0, max_value=1))
def test_linear_stays_between_neighbouring_keys(c, s):
    keys = c.keys
    for k0, k1 in zip(keys, keys[1:], strict=False):
        frame = min(k0.frame + (k1.frame - k0.frame) * s, k1.frame)  # rounding must not leave the segment
        lo, hi = min(k0.value, k1.value), max(k0.value, k1.value)
        tolerance = 1e-9 * max(1.0, abs(lo), abs(hi))
        assert lo - tolerance <= c.value_at(frame) <= hi + tolerance
