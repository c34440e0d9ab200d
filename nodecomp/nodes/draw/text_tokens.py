r"""Expanding `[token]`s in burn-in and slate text: frame numbers, fps, document name, date, metadata.

Node code sees the frame and the document metadata through its context, not the document, so
tokens are a fixed set read from there rather than full expressions:

- `[frame]`, or `[frame:04d]` with any Python format spec (`d` specs round down to a whole frame);
- `[fps]`, `[fps:.3f]`;
- `[document]`: the document name;
- `[date]` (ISO `2026-11-26`), or `[date:%d %b %Y]` with any strftime format;
- `[meta:KEY]`: metadata of the source image (`input/filename`, timecodes...), else of the
  document.

`\[` writes a literal `[`. An unknown token is an error that lists the known ones.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from typing import Any

TOKEN = re.compile(r"\\\[|\[([^\[\]]*)\]")
KNOWN = "[frame], [frame:04d], [fps], [document], [date], [date:%Y-%m-%d], [meta:KEY]"


class TokenError(ValueError):
    """A token that cannot be expanded; the message names it."""


def uses_date(text: str) -> bool:
    """True when `text` holds a `[date]` token (its result then changes from day to day)."""
    return any(match.group(1) is not None and match.group(1).split(":", 1)[0].strip() == "date"
               for match in TOKEN.finditer(text))


def expand_tokens(
    text: str,
    *,
    frame: float,
    metadata: Mapping[str, Any],
    image_metadata: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> str:
    """`text` with every token replaced (see the module doc).

    Args:
        text: the message as typed.
        frame: the frame being rendered.
        metadata: document-level metadata (`document`, `fps`, and the document's own keys).
        image_metadata: the source image's metadata, looked up first by `[meta:KEY]`.
        today: the date `[date]` shows (the local date when None).

    Returns:
        The expanded text.

    Raises:
        TokenError: an unknown token, a bad format spec or a missing metadata key.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "["
        return _expand(match.group(1), frame, metadata, image_metadata if image_metadata is not None else {}, today)

    return TOKEN.sub(replace, text)


def _expand(token: str, frame: float, metadata: Mapping[str, Any], image_metadata: Mapping[str, Any],
            today: datetime.date | None) -> str:
    name, _, spec = token.partition(":")
    name = name.strip()
    try:
        if name == "frame":
            if spec.endswith("d"):
                return format(math.floor(frame), spec)
            if spec:
                return format(frame, spec)
            return str(int(frame)) if float(frame).is_integer() else f"{frame:g}"
        if name == "fps":
            fps = float(metadata.get("fps", 0.0))
            return format(fps, spec) if spec else f"{fps:g}"
        if name == "document" and not spec:
            return str(metadata.get("document", ""))
        if name == "date":
            day = today or datetime.date.today()
            return day.strftime(spec) if spec else day.isoformat()
        if name == "meta" and spec:
            for source in (image_metadata, metadata):
                if spec in source:
                    return str(source[spec])
            raise TokenError(f"no metadata {spec!r} for the token [{token}]")
    except (ValueError, TypeError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError(f"cannot format the token [{token}]: {exc}") from None
    raise TokenError(f"unknown token [{token}]; known tokens are {KNOWN}; write \\[ for a literal bracket")
