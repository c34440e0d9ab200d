"""Frame-numbered file names: `plate.####.exr` and its spellings, as a frame -> path function.

Artists type sequence patterns the way their last package spelled them, so every common form
is accepted and normalised to one printf token before anything else looks at the name:

    `####` / `#`      Nuke: one digit per `#` (`#` alone is unpadded)
    `@@@@` / `@`      Shake/RV: one digit per `@`
    `%04d` / `%d`     printf
    `$F4` / `$F`      Houdini: `$F4` is four digits, `$F` unpadded

The `$F` form is rewritten before environment variables are expanded, so a `$F4` in a name is
never mistaken for a variable. Path building and the scan of a folder for the frames present
go through fileseq; the scan is cached per (pattern, folder mtime), so an auto frame range
costs one `os.stat` of the folder per frame rather than a directory listing.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import fileseq

_TOKEN = re.compile(r"#+|@+|%0?(\d*)d|\$F(\d*)(?![A-Za-z0-9_])")
_SCAN_CACHE_SIZE = 256


class PatternError(ValueError):
    """A file name that cannot be turned into a frame -> path function."""


@dataclass(frozen=True)
class SequencePattern:
    """A resolved file name with at most one frame-number token.

    Attributes:
        text: the absolute path, with the frame token written as `%0Nd` (N = padding).
        padding: digits of the frame number (1 = unpadded); None for a single file.
    """

    text: str
    padding: int | None
    _seq: fileseq.FileSequence | None = field(default=None, compare=False, repr=False)

    @property
    def is_sequence(self) -> bool:
        """True when the name has a frame token."""
        return self.padding is not None

    @property
    def directory(self) -> str:
        """The folder holding the files."""
        return os.path.dirname(self.text)

    def path(self, frame: int | None) -> str:
        """The file of `frame` (negative frames keep the sign: `-001`); a single file ignores it."""
        if self._seq is None or frame is None:
            return self.text
        return self._seq.frame(int(frame))

    def frames_on_disk(self) -> tuple[int, ...]:
        """Sorted frame numbers whose files exist (see `scan_frames`)."""
        return scan_frames(self) if self.is_sequence else ()


def _padding(match: re.Match[str]) -> int:
    token = match.group(0)
    if token[0] in "#@":
        return len(token)
    digits = match.group(1) if token[0] == "%" else match.group(2)
    return max(1, int(digits)) if digits else 1


def parse_pattern(text: str, resolve: Callable[[str], str] = os.path.abspath) -> SequencePattern:
    """Normalise a user's file name to a SequencePattern.

    Args:
        text: what the user typed (`plates/bg.$F4.exr`, `~/in/a.%04d.png`, `still.tif`).
        resolve: turns the normalised name into an absolute path (the node passes
            `ctx.resolve_path`, which expands `~` and variables and anchors relative names at
            the document's folder).

    Raises:
        PatternError: the name is empty, or its file name has more than one frame token.
    """
    if not isinstance(text, str) or not text.strip():
        raise PatternError("no file name is set")
    head, base = os.path.split(text.strip())
    tokens = list(_TOKEN.finditer(base))
    if len(tokens) > 1:
        found = ", ".join(repr(t.group(0)) for t in tokens)
        raise PatternError(f"the file name has {len(tokens)} frame-number tokens ({found}); use exactly one")
    if not tokens:
        return SequencePattern(resolve(text.strip()), None)
    token = tokens[0]
    padding = _padding(token)
    printf = f"%0{padding}d"
    resolved = resolve(os.path.join(head, base[: token.start()] + printf + base[token.end():]))
    if printf not in os.path.basename(resolved):
        raise PatternError(f"the frame token was lost expanding {text!r}")
    return SequencePattern(resolved, padding, _file_sequence(resolved))


@functools.lru_cache(maxsize=1024)
def _file_sequence(resolved: str) -> fileseq.FileSequence:
    """The fileseq parse of a name (~0.3 ms, so cached: fingerprints run on every frame's hash)."""
    return fileseq.FileSequence(resolved, pad_style=fileseq.PAD_STYLE_HASH1)


_scan_cache: OrderedDict[tuple[str, int], tuple[int, ...]] = OrderedDict()
_scan_lock = threading.Lock()


def scan_frames(pattern: SequencePattern) -> tuple[int, ...]:
    """Frames of `pattern` present on disk, sorted; () when none (or no folder).

    Cached per (pattern, folder mtime in ns): creating, deleting or renaming a file changes
    the folder's mtime and so triggers a rescan, while editing a file in place does not need
    one (the frame list is unchanged; Read's fingerprint stats the file itself).
    """
    try:
        mtime = os.stat(pattern.directory).st_mtime_ns
    except OSError:
        return ()
    key = (pattern.text, mtime)
    with _scan_lock:
        cached = _scan_cache.get(key)
        if cached is not None:
            _scan_cache.move_to_end(key)
            return cached
    try:
        found = fileseq.findSequenceOnDisk(pattern.text, strictPadding=True, pad_style=fileseq.PAD_STYLE_HASH1)
        frames = tuple(sorted(int(f) for f in found.frameSet() or ()))
    except (fileseq.FileSeqException, OSError):
        frames = ()
    with _scan_lock:
        _scan_cache[key] = frames
        while len(_scan_cache) > _SCAN_CACHE_SIZE:
            _scan_cache.popitem(last=False)
    return frames


def nearest_frames(frames: tuple[int, ...], frame: int) -> list[int]:
    """`frames` ordered by distance to `frame`; on a tie the earlier frame comes first."""
    return sorted(frames, key=lambda f: (abs(f - frame), f))
