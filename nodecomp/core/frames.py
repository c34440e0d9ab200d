"""Frame-range strings (`1-100x2,120`) as users type them, parsed by fileseq."""

from __future__ import annotations

import math

import fileseq

from nodecomp.core.errors import ParamError

MAX_FRAMES = 10_000_000


def parse_frames(spec: str | int | tuple[int, int] | list[int], *, default: tuple[int, int] | None = None) -> list[int]:
    """Frames listed by `spec`, in order, without duplicates.

    Args:
        spec: `"1-24"`, `"1-100x2,120"`, `"10"`, an int, a (first, last) tuple or a list of ints;
            an empty string means `default`.
        default: the (first, last) range used for an empty spec.

    Raises:
        ParamError: the text is not a frame range.
    """
    if isinstance(spec, bool):
        raise ParamError(f"frames {spec!r} is not a frame range", param="frames")
    if isinstance(spec, int):
        return [spec]
    if isinstance(spec, tuple) and len(spec) == 2:
        first, last = (_frame(f) for f in spec)
        if last < first:
            raise ParamError(f"frame range {first}-{last} ends before it starts", param="frames")
        if last - first + 1 > MAX_FRAMES:
            raise ParamError(f"frame range {first}-{last} lists more than {MAX_FRAMES} frames", param="frames")
        return list(range(first, last + 1))
    if isinstance(spec, list):
        return list(dict.fromkeys(_frame(f) for f in spec))
    text = str(spec).strip()
    if not text:
        if default is None:
            raise ParamError("no frames given", param="frames")
        return parse_frames(default)
    try:
        frame_set = fileseq.FrameSet(text)
    except (fileseq.ParseException, ValueError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
        raise ParamError(f"{text!r} is not a frame range ({detail})", param="frames") from None
    if len(frame_set) > MAX_FRAMES:
        raise ParamError(f"{text!r} lists more than {MAX_FRAMES} frames", param="frames")
    frames = list(frame_set)
    if any(f != int(f) for f in frames):
        raise ParamError(f"{text!r} lists fractional frames; frames are whole numbers", param="frames")
    return [int(f) for f in frames]


def _frame(value: object) -> int:
    """A whole frame number from an int or an integral float; anything else is a ParamError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"frame {value!r} is not a whole number", param="frames")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ParamError(f"frame {value!r} is not a whole number", param="frames")
    return int(value)
