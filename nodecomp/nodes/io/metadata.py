"""File metadata in and out: what Read passes downstream and what Write stamps on every file.

Read keeps every header attribute whose value is plain data (text, numbers, short lists) under
an `input/` prefix, so downstream nodes and burn-ins see where a frame came from without the
image dict filling with opaque objects. Two attributes get friendlier names as well:
`smpte:TimeCode` becomes `input/timecode` ("HH:MM:SS:FF") and the EXR `framesPerSecond`
rational becomes `input/fps`.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

import OpenImageIO as oiio

PREFIX = "input/"
_TIMECODE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2})$")


def input_metadata(spec: oiio.ImageSpec) -> dict[str, Any]:
    """The header attributes of `spec` as JSON-able values under `input/` names."""
    out: dict[str, Any] = {}
    for attr in spec.extra_attribs:
        type_name = str(attr.type)
        value = attr.value
        if type_name == "timecode":
            text = spec.metadata_val(attr, True).strip('"')
            out[PREFIX + attr.name] = text
            if attr.name == "smpte:TimeCode":
                out[PREFIX + "timecode"] = text
            continue
        if type_name == "rational" and isinstance(value, tuple) and len(value) == 2:
            out[PREFIX + attr.name] = [int(value[0]), int(value[1])]
            if attr.name == "framesPerSecond" and value[1]:
                out[PREFIX + "fps"] = value[0] / value[1]
            continue
        plain = _plain(value)
        if plain is not None:
            out[PREFIX + attr.name] = plain
    return out


def _plain(value: Any) -> Any:
    """`value` as str/int/float/bool or a short list of those; None when it is anything else."""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, tuple | list) and len(value) <= 64:
        items = [_plain(v) for v in value]
        return items if all(i is not None and not isinstance(i, list) for i in items) else None
    return None


def fps_rational(fps: float) -> tuple[int, int]:
    """Frames per second as the (numerator, denominator) EXR stores.

    NTSC rates come out exact whether the document says 23.976 or 24000/1001:
    23.976 -> (24000, 1001), 29.97 -> (30000, 1001), 59.94 -> (60000, 1001).
    """
    if fps <= 0 or not math.isfinite(fps):
        raise ValueError(f"fps must be positive, got {fps!r}")
    ntsc = fps * 1.001
    if abs(ntsc - round(ntsc)) < 0.005 and abs(fps - round(fps)) > 0.005:
        return round(ntsc) * 1000, 1001
    fraction = Fraction(fps).limit_denominator(1001)
    return fraction.numerator, fraction.denominator


def timecode_for_frame(frame: int, fps: float) -> str:
    """Non-drop-frame SMPTE timecode of `frame`, with frame 0 at 00:00:00:00.

    The frame counter runs at the nominal rate (24 for 23.976), as non-drop timecode does;
    negative frames wrap around the 24-hour clock.
    """
    rate = max(1, round(fps))
    total = frame % (rate * 86400)
    seconds, frames = divmod(total, rate)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


def pack_timecode(text: str) -> tuple[int, int]:
    """"HH:MM:SS:FF" (`;` for drop frame) as the two SMPTE 12M words OIIO's TimeCode type holds.

    Raises:
        ValueError: `text` is not a timecode.
    """
    match = _TIMECODE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a timecode (HH:MM:SS:FF)")
    hours, minutes, seconds, frames = (int(g) for g in match.groups())
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"{text!r} is not a valid timecode")

    def bcd(v: int) -> int:
        return ((v // 10) << 4) | (v % 10)

    word = bcd(frames) | (bcd(seconds) << 8) | (bcd(minutes) << 16) | (bcd(hours) << 24)
    if ";" in text:
        word |= 1 << 6  # drop-frame flag
    return word, 0


def parse_custom(text: str) -> list[tuple[str, str]]:
    """`key=value` lines as (key, value) pairs; blank lines and `#` comments are skipped.

    Raises:
        ValueError: a line without `=` or with an empty key (the message quotes the line).
    """
    pairs = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"metadata line {number} ({line!r}) is not key=value")
        pairs.append((key.strip(), value.strip()))
    return pairs
