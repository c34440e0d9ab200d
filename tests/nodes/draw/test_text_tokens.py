import datetime

import pytest

from nodecomp.nodes.draw.text_tokens import TokenError, expand_tokens, uses_date

META = {"document": "shot010", "fps": 23.976, "artist": "kim"}
DAY = datetime.date(2026, 11, 26)


def expand(text, frame=1001.0, image_metadata=None):
    return expand_tokens(text, frame=frame, metadata=META, image_metadata=image_metadata, today=DAY)


@pytest.mark.parametrize("text, expected", [
    ("[frame]", "1001"),
    ("f[frame:06d]", "f001001"),
    ("[frame:.1f]", "1001.0"),
    ("[fps] fps", "23.976 fps"),
    ("[fps:.2f]", "23.98"),
    ("[document] v[frame:03d]", "shot010 v1001"),
    ("[date]", "2026-11-26"),
    ("[date:%d %b %Y]", "26 Nov 2026"),
    ("[meta:artist]", "kim"),
    ("\\[frame] = [frame]", "[frame] = 1001"),
    ("no tokens", "no tokens"),
])
def test_tokens(text, expected):
    assert expand(text) == expected


def test_partial_frames_and_image_metadata_first():
    assert expand("[frame]", frame=12.5) == "12.5"
    assert expand("[frame:04d]", frame=12.5) == "0012"
    assert expand("[meta:artist]", image_metadata={"artist": "lee"}) == "lee"
    assert expand("[meta:input/filename]", image_metadata={"input/filename": "/p/a.0001.exr"}) == "/p/a.0001.exr"


@pytest.mark.parametrize("text, message", [
    ("[shot]", r"unknown token \[shot\]; known tokens are"),
    ("[meta:nothing]", "no metadata 'nothing'"),
    ("[frame:q]", r"cannot format the token \[frame:q\]"),
    ("[meta]", r"unknown token \[meta\]"),
])
def test_bad_tokens_are_named(text, message):
    with pytest.raises(TokenError, match=message):
        expand(text)


def test_uses_date():
    assert uses_date("[date]") and uses_date("x [date:%Y]") and not uses_date("[frame] \\[date]")
