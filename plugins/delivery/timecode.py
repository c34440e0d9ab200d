"""SMPTE timecode for deliveries: frame counts to `HH:MM:SS:FF` and back, and the packed header form.

Non-drop-frame counting at the nominal rate (24 for 23.976, 30 for 29.97), as editorial's
non-drop timecode does; a `;` separator (drop frame) is kept as a flag in the header but counted
the same way.
"""

from __future__ import annotations

import re

_TIMECODE = re.compile(r"^(\d{2}):(\d{2}):(\d{2})([:;.])(\d{2})$")
DAY = 86400


class TimecodeError(ValueError):
    """Text that is not a timecode at the given rate."""


def nominal_rate(fps: float) -> int:
    """The frame counter's rate: fps rounded (23.976 -> 24)."""
    if fps <= 0:
        raise TimecodeError(f"fps must be positive, got {fps!r}")
    return max(1, round(fps))


def to_frames(text: str, fps: float) -> int:
    """Frames since 00:00:00:00 for `text` (`HH:MM:SS:FF`).

    Raises:
        TimecodeError: malformed, or a field out of range for the rate.
    """
    match = _TIMECODE.match(text.strip())
    if match is None:
        raise TimecodeError(f"{text!r} is not a timecode (HH:MM:SS:FF)")
    hours, minutes, seconds, _, frames = match.groups()
    rate = nominal_rate(fps)
    if int(hours) > 23 or int(minutes) > 59 or int(seconds) > 59 or int(frames) >= rate:
        raise TimecodeError(f"{text!r} is not a valid timecode at {fps:g} fps")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * rate + int(frames)


def from_frames(count: int, fps: float, *, drop_frame: bool = False) -> str:
    """`HH:MM:SS:FF` of a frame count (wrapping at 24 hours)."""
    rate = nominal_rate(fps)
    count %= rate * DAY
    seconds, frames = divmod(count, rate)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{';' if drop_frame else ':'}{frames:02d}"


def offset(start: str, frames: int, fps: float) -> str:
    """The timecode `frames` after `start` (same separator style)."""
    return from_frames(to_frames(start, fps) + frames, fps, drop_frame=";" in start)


def pack(text: str) -> tuple[int, int]:
    """The two SMPTE 12M words (BCD time and user bits) OpenImageIO's `timecode` type holds."""
    match = _TIMECODE.match(text.strip())
    if match is None:
        raise TimecodeError(f"{text!r} is not a timecode (HH:MM:SS:FF)")
    hours, minutes, seconds, separator, frames = match.groups()

    def bcd(value: str) -> int:
        return (int(value[0]) << 4) | int(value[1])

    word = bcd(frames) | (bcd(seconds) << 8) | (bcd(minutes) << 16) | (bcd(hours) << 24)
    if separator == ";":
        word |= 1 << 6
    return word, 0
