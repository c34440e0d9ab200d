"""Delivery file names from templates, and the frames a shot delivers.

A template names the file of every frame from the shot's fields:

    <shot>_<task>_v###.####.exr     ->  sh010_comp_v003.1001.exr
    <sequence>/<shot>/<shot>_<task>_<version:4>.%04d.dpx

Tokens: `<shot>`, `<sequence>`, `<task>`, `<version>` (`<version:N>` zero-pads to N digits)
and `<camera>`. A run of `#` right after a `v` is the version padded to that many digits; the
last other run of `#` (or `%0Nd`) is the frame number. Text fields may hold letters, digits,
`-`, `_` and `.`, so a name can never climb out of its folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"<(\w+)(?::(\d+))?>")
_VERSION_HASHES = re.compile(r"(?<=[vV])(#+)")
_SAFE = re.compile(r"^[A-Za-z0-9._-]+$")
_FRAME = re.compile(r"#+|%0?(\d*)d")
_PRINTF = re.compile(r"%0(\d+)d")
TEXT_FIELDS = ("shot", "sequence", "task", "camera")


class TemplateError(ValueError):
    """A template that cannot be filled (unknown token, missing or unsafe field, no frame token)."""


def expand(template: str, fields: Mapping[str, object]) -> str:
    """The template with every field filled; the frame token stays, normalised to `%0Nd`.

    Raises:
        TemplateError: an unknown token, a field that is unset or holds unsafe characters, or not
            exactly one frame number token in the file name.
    """
    version = fields.get("version")

    def version_text(pad: int) -> str:
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise TemplateError(f"the template numbers the version but the version is {version!r}")
        return f"{version:0{pad}d}"

    def token(match: re.Match[str]) -> str:
        name, pad = match.group(1), match.group(2)
        if name == "version":
            return version_text(int(pad or 1))
        if name not in TEXT_FIELDS:
            raise TemplateError(f"unknown token <{name}> (known: <shot>, <sequence>, <task>, <version>, <camera>)")
        value = str(fields.get(name) or "")
        if not value:
            raise TemplateError(f"the template uses <{name}> but {name} is not set")
        if not _SAFE.match(value) or set(value) == {"."}:
            raise TemplateError(f"{name} {value!r} may only hold letters, digits, '-', '_' and '.'")
        return value

    text = _TOKEN.sub(token, template)
    text = _VERSION_HASHES.sub(lambda m: version_text(len(m.group(1))), text)
    folder, _, name = text.rpartition("/")
    frames = list(_FRAME.finditer(name))
    if len(frames) != 1:
        raise TemplateError(f"{template!r} needs exactly one frame number token (#### or %04d) in its file name")
    match = frames[0]
    pad = len(match.group(0)) if match.group(0).startswith("#") else int(match.group(1) or 1)
    name = f"{name[:match.start()]}%0{pad}d{name[match.end():]}"
    return f"{folder}/{name}" if folder or text.startswith("/") else name


def frame_path(pattern: str, frame: int) -> str:
    """The file of `frame` for a pattern from `expand` (`%0Nd`); negative frames keep their sign."""
    folder, slash, name = pattern.rpartition("/")
    match = list(_PRINTF.finditer(name))[-1]
    name = f"{name[:match.start()]}{int(frame):0{int(match.group(1))}d}{name[match.end():]}"
    return f"{folder}{slash}{name}"


@dataclass(frozen=True)
class DeliveredRange:
    """The frames a shot delivers: its cut plus handles on both sides.

    Attributes:
        cut_in, cut_out: first and last frame of the cut (inclusive).
        handles: extra frames delivered before the cut in and after the cut out.
    """

    cut_in: int
    cut_out: int
    handles: int = 0

    def __post_init__(self) -> None:
        if self.cut_out < self.cut_in:
            raise TemplateError(f"the cut ends ({self.cut_out}) before it starts ({self.cut_in})")
        if self.handles < 0:
            raise TemplateError(f"handles must be 0 or more, got {self.handles}")

    @property
    def first(self) -> int:
        """First delivered frame (cut in minus handles)."""
        return self.cut_in - self.handles

    @property
    def last(self) -> int:
        """Last delivered frame (cut out plus handles)."""
        return self.cut_out + self.handles

    @property
    def frames(self) -> range:
        """Every delivered frame."""
        return range(self.first, self.last + 1)

    def __contains__(self, frame: object) -> bool:
        return isinstance(frame, int) and self.first <= frame <= self.last
