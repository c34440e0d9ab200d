"""After the render: is every delivered frame there and whole, and the checksum manifest editorial verifies.

A frame is *missing* (no file), *zero-byte* (an empty file), *unreadable* (OpenImageIO cannot
read its header) or *short*: much smaller than its siblings (under `short_ratio` of the
median size, a frame cut off mid-copy), or, with `deep=True`, its pixels do not read back.
Manifests use the `md5sum`/`xxhsum` text format (`<hex digest>  <file name>`), so
`md5sum -c sh010.md5` checks a delivery without nodecomp.
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import OpenImageIO as oiio

from nodecomp.api import atomic_path
from plugins.delivery.naming import frame_path

ALGORITHMS = ("md5", "xxh64", "xxh3_64", "xxh128")
_HASHES = re.compile(r"#+")
_BLOCK = 1 << 20


def sequence_pattern(pattern: str) -> str:
    """`####` (the last run of `#` in the file name) as `%04d`; `%0Nd` patterns pass unchanged."""
    folder, slash, name = pattern.rpartition("/")
    runs = list(_HASHES.finditer(name))
    if runs and "%" not in name:
        last = runs[-1]
        name = f"{name[:last.start()]}%0{len(last.group(0))}d{name[last.end():]}"
    return f"{folder}{slash}{name}"


@dataclass
class RangeReport:
    """What a range check found; frames not listed in a problem list are fine."""

    pattern: str
    frames: list[int]
    missing: list[int] = field(default_factory=list)
    zero_byte: list[int] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)
    short: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every frame is present and whole."""
        return not (self.missing or self.zero_byte or self.unreadable or self.short)

    @property
    def good(self) -> list[int]:
        """Frames that passed."""
        bad = set(self.missing) | set(self.zero_byte) | set(self.unreadable) | set(self.short)
        return [f for f in self.frames if f not in bad]

    def summary(self) -> str:
        """One line per problem kind, e.g. `missing: 1003-1005, 1010`."""
        lines = [f"{self.pattern}: {len(self.good)} of {len(self.frames)} frames good"]
        for label, frames in (("missing", self.missing), ("zero-byte", self.zero_byte),
                              ("unreadable", self.unreadable), ("short", self.short)):
            if frames:
                lines.append(f"  {label}: {compact(frames)}")
        return "\n".join(lines)


def compact(frames: Iterable[int]) -> str:
    """`1001-1003, 1007` for [1001, 1002, 1003, 1007]."""
    items: list[str] = []
    ordered = sorted(set(frames))
    start = prev = None
    for frame in [*ordered, None]:
        if frame is not None and prev is not None and frame == prev + 1:
            prev = frame
            continue
        if start is not None:
            items.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = frame
    return ", ".join(items)


def _header_ok(path: str, deep: bool) -> bool:
    image = oiio.ImageInput.open(path)
    if image is None:
        oiio.geterror()
        return False
    try:
        spec = image.spec()
        if spec.width <= 0 or spec.height <= 0:
            return False
        if deep:
            pixels = image.read_image(0, 0, 0, spec.nchannels, "float")
            return pixels is not None and not image.has_error
        return True
    finally:
        image.close()


def check_range(pattern: str, frames: Iterable[int], *, short_ratio: float = 0.5, deep: bool = False) -> RangeReport:
    """Check every frame of `pattern` (`####` or `%04d`) in `frames`.

    Args:
        pattern: the sequence, e.g. `/deliveries/sh010/sh010_comp_v003.####.exr`.
        frames: the frames that must be there (the cut plus handles).
        short_ratio: a readable frame smaller than this fraction of the median size is short.
        deep: read every frame's pixels too (slow; catches truncation a size check can miss).
    """
    printf = sequence_pattern(pattern)
    if "%0" not in os.path.basename(printf):
        raise ValueError(f"{pattern!r} has no frame number token (#### or %04d)")
    report = RangeReport(pattern, sorted(set(frames)))
    sizes: dict[int, int] = {}
    for frame in report.frames:
        path = frame_path(printf, frame)
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            report.missing.append(frame)
            continue
        if size == 0:
            report.zero_byte.append(frame)
        elif not _header_ok(path, deep):
            report.unreadable.append(frame)
        else:
            sizes[frame] = size
    if sizes:
        median = statistics.median(sizes.values())
        report.short = [f for f, size in sorted(sizes.items()) if size < short_ratio * median]
    return report


def digest(path: str, algorithm: str = "md5") -> str:
    """Hex digest of a file (`md5`, `xxh64`, `xxh3_64` or `xxh128`), read in 1 MiB blocks."""
    if algorithm == "md5":
        hasher = hashlib.md5(usedforsecurity=False)
    elif algorithm in ALGORITHMS:
        import xxhash

        hasher = getattr(xxhash, algorithm)()
    else:
        raise ValueError(f"unknown checksum {algorithm!r} (use one of {', '.join(ALGORITHMS)})")
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            hasher.update(block)
    return hasher.hexdigest()


def write_manifest(files: Iterable[str], manifest: str, algorithm: str = "md5") -> list[tuple[str, str]]:
    """Write `<digest>  <name>` lines (names relative to the manifest's folder), atomically; returns them."""
    folder = os.path.dirname(os.path.abspath(manifest))
    entries = sorted((os.path.relpath(os.path.abspath(f), folder).replace(os.sep, "/"), f) for f in files)
    lines = [(digest(path, algorithm), name) for name, path in entries]
    with atomic_path(manifest) as temp, open(temp, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"{hexdigest}  {name}\n" for hexdigest, name in lines)
    return lines


def verify_manifest(manifest: str, algorithm: str = "md5") -> list[str]:
    """Problems found checking a manifest against the files: `name: missing` or `name: checksum differs`."""
    folder = os.path.dirname(os.path.abspath(manifest))
    problems = []
    with open(manifest, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            expected, _, name = line.rstrip("\n").partition("  ")
            path = os.path.join(folder, name)
            if not os.path.exists(path):
                problems.append(f"{name}: missing")
            elif digest(path, algorithm) != expected:
                problems.append(f"{name}: checksum differs")
    return problems
