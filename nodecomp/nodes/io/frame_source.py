"""Which file (or stand-in) Read uses for a frame: range, hold, missing-frame policies.

The same decision feeds Read's fingerprint and its compute, so the cache key names exactly
what compute will read: the file's path, size and mtime (one `os.stat`, microseconds), or a
marker for a black, checkerboard or failing frame. Nothing here opens an image.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from nodecomp.nodes.io.choices import Missing, OutsideRange, RangeMode
from nodecomp.nodes.io.sequence import PatternError, SequencePattern, nearest_frames, parse_pattern

READ = "read"
BLACK = "black"
CHECKERBOARD = "checkerboard"
ERROR = "error"


@dataclass(frozen=True)
class FrameSource:
    """What Read gives for one frame.

    Attributes:
        action: READ a file, or make a BLACK or CHECKERBOARD frame, or fail (ERROR).
        path: the file read, or the one that was wanted.
        frame: the file's frame number (None for a single file).
        reason: why the wanted file is not read (for errors and warnings).
        hint: how to fix an error.
        warning: what to tell the user when a stand-in replaces a bad frame.
        stat: (size, mtime_ns) of the file read.
        detected: the range found on disk in auto mode.
        pattern: the parsed file name (None when it could not be parsed).
        wanted: (path, frame) of the file this frame asked for, when a neighbour replaces it.
    """

    action: str
    path: str
    frame: int | None = None
    reason: str = ""
    hint: str | None = None
    warning: str | None = None
    stat: tuple[int, int] | None = None
    detected: tuple[int, int] | None = None
    pattern: SequencePattern | None = None
    wanted: tuple[str, int | None] | None = None

    @property
    def fingerprint(self) -> tuple[Any, ...]:
        """Cache-key part: everything outside params that changes what compute returns."""
        return (self.action, self.path, self.frame, self.stat, self.detected, self.reason)


def file_frame(frame: float, frame_offset: int) -> int:
    """The file frame number for comp `frame`: rounded to the nearest frame, plus the offset."""
    return math.floor(frame + 0.5) + int(frame_offset)


def resolve(
    frame: float,
    resolve_path: Callable[[str], str],
    *,
    file: str,
    range_mode: str,
    first: int,
    last: int,
    before: str,
    after: str,
    missing: str,
    frame_offset: int,
    **_: Any,
) -> FrameSource:
    """Decide what Read gives at comp `frame` (the keyword arguments are Read's params)."""
    try:
        pattern = parse_pattern(file, resolve_path)
    except PatternError as exc:
        return FrameSource(ERROR, str(file), reason=str(exc), hint="set file to a file or a pattern like a.####.exr")
    if not pattern.is_sequence:
        return check_file(pattern, None, missing, None)
    wanted = file_frame(frame, frame_offset)
    detected = None
    if range_mode == RangeMode.CUSTOM:
        if last < first:
            return FrameSource(ERROR, pattern.text, wanted, reason=f"last ({last}) is before first ({first})",
                               hint="fix the custom frame range", pattern=pattern)
        bounds: tuple[int, int] | None = (first, last)
    else:
        frames = pattern.frames_on_disk()
        bounds = detected = (frames[0], frames[-1]) if frames else None
    if bounds is not None and not bounds[0] <= wanted <= bounds[1]:
        side, policy, edge = ("before", before, bounds[0]) if wanted < bounds[0] else ("after", after, bounds[1])
        if policy == OutsideRange.HOLD:
            wanted = edge
        else:
            reason = f"frame {wanted} is {side} the range {bounds[0]}-{bounds[1]}"
            if policy == OutsideRange.BLACK:
                return FrameSource(BLACK, pattern.path(wanted), wanted, reason, detected=detected, pattern=pattern)
            return FrameSource(ERROR, pattern.path(wanted), wanted, reason, detected=detected, pattern=pattern,
                               hint=f"set {side} to hold or black, or widen the range")
    return check_file(pattern, wanted, missing, detected)


def check_file(pattern: SequencePattern, frame: int | None, missing: str,
               detected: tuple[int, int] | None) -> FrameSource:
    """READ the frame's file if it is a regular file, else apply the `missing` policy."""
    path = pattern.path(frame)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        problem = "the file is missing"
    except OSError as exc:
        problem = f"the file cannot be accessed ({exc.strerror})"
    else:
        if stat.S_ISREG(info.st_mode):
            return FrameSource(READ, path, frame, stat=(info.st_size, info.st_mtime_ns), detected=detected,
                               pattern=pattern)
        problem = "the path is a folder, not an image file" if stat.S_ISDIR(info.st_mode) else "not a regular file"
    return stand_in(pattern, path, frame, problem, missing, detected)


def stand_in(pattern: SequencePattern, path: str, frame: int | None, problem: str, missing: str,
             detected: tuple[int, int] | None, exclude: Iterable[int] = ()) -> FrameSource:
    """What the `missing` policy gives instead of the unusable file at `path`."""
    if missing == Missing.ERROR:
        return FrameSource(ERROR, path, frame, problem, detected=detected, pattern=pattern,
                           hint="fix the file, or set missing to black, nearest or checkerboard")
    if missing in (Missing.BLACK, Missing.CHECKERBOARD):
        action = BLACK if missing == Missing.BLACK else CHECKERBOARD
        return FrameSource(action, path, frame, problem, detected=detected, pattern=pattern,
                           warning=f"{problem}: {path}; using {missing} instead")
    skip = {frame, *exclude}
    for other in nearest_frames(pattern.frames_on_disk(), frame) if frame is not None else ():
        if other in skip:
            continue
        found = check_file(pattern, other, Missing.ERROR, detected)
        if found.action == READ:
            return FrameSource(READ, found.path, other, problem, stat=found.stat, detected=detected,
                               pattern=pattern, wanted=(path, frame),
                               warning=f"{problem}: {path}; using nearest frame {other} instead")
    return FrameSource(ERROR, path, frame, f"{problem}, and no other readable frame of the sequence was found",
                       detected=detected, pattern=pattern, hint="fix the file or choose another missing policy")
