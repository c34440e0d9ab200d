import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodecomp.core import frames
from nodecomp.core.errors import ParamError
from nodecomp.core.frames import MAX_FRAMES, parse_frames


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("1-24", list(range(1, 25))),
        ("1-100x2,120", [*range(1, 101, 2), 120]),
        ("10", [10]),
        (" 7 ", [7]),
        ("-5--2", [-5, -4, -3, -2]),
        ("1-5,3,4", [1, 2, 3, 4, 5]),
        ("1,1,1", [1]),
        ("5,1", [5, 1]),
        ("1001-1003", [1001, 1002, 1003]),
        ("1.0", [1]),
        (12, [12]),
        (3.0, [3]),
        ((1, 3), [1, 2, 3]),
        ((5, 5), [5]),
        ((1.0, 2.0), [1, 2]),
        ([3, 1, 3, 2], [3, 1, 2]),
        ([], []),
    ],
)
def test_parse_frames(spec, expected):
    assert parse_frames(spec) == expected


def test_empty_spec_uses_the_default():
    assert parse_frames("", default=(1, 3)) == [1, 2, 3]
    assert parse_frames("   ", default=(10, 10)) == [10]
    with pytest.raises(ParamError, match="no frames given"):
        parse_frames("")


@pytest.mark.parametrize(
    "spec",
    [
        "abc",
        "1-",
        "x",
        "1-10x0",
        "1e3",
        "1.5",
        "1-2-3",
        "1;2",
        "1-1000000000",
        True,
        (3, 1),
        ("a", "b"),
        (1, 1.5),
        (True, 3),
        (1, 10**12),
        ["x"],
        [1, None],
        [1.5],
        None,
    ],
)
def test_garbage_is_a_param_error(spec):
    with pytest.raises(ParamError) as info:
        parse_frames(spec)
    assert info.value.param == "frames"
    assert len(str(info.value).splitlines()) == 1  # one line for the CLI


def test_the_frame_count_is_bounded(monkeypatch):
    assert MAX_FRAMES >= 1_000_000
    monkeypatch.setattr(frames, "MAX_FRAMES", 100)
    assert len(parse_frames("1-100")) == 100 and len(parse_frames((1, 100))) == 100
    with pytest.raises(ParamError, match="more than 100 frames"):
        parse_frames("1-101")
    with pytest.raises(ParamError, match="more than 100 frames"):
        parse_frames((1, 101))


@settings(max_examples=60, deadline=None)
@given(st.integers(-10_000, 10_000), st.integers(0, 500), st.integers(1, 20))
def test_stepped_ranges_match_python_ranges(first, length, step):
    last = first + length
    assert parse_frames(f"{first}-{last}x{step}") == list(range(first, last + 1, step))
    assert parse_frames((first, last)) == list(range(first, last + 1))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_any_text_is_frames_or_a_param_error(text):
    try:
        frames = parse_frames(text, default=(1, 2))
    except ParamError:
        return
    assert all(type(f) is int for f in frames)
    assert len(frames) == len(set(frames))
