"""Channel lists as compositors type them: `rgb`, `depth.Z, motion`, `diffuse.rgba`, `all`.

One grammar for every node that picks channels, so `channels="rgb"` means the same thing on an
Invert, a Copy and a Remove. A list is separated by commas or spaces; each entry is:

- a keyword: `rgba` (R, G, B, A), `rgb` (R, G, B), `alpha` (A), `all` (every channel);
- a layer with a keyword: `diffuse.rgba`, `diffuse.rgb`, `diffuse.alpha` (diffuse.R, ... diffuse.A);
- a channel name: `A`, `depth.Z`, `diffuse.R` (case matters, as in EXR);
- a layer name: `depth`, `diffuse` (every channel of that layer the image has).

Keywords match the channels an image has and skip the others, so `rgb` on a one-channel matte
selects nothing. Channel and layer names must exist unless the caller says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from nodecomp.api import RGB, RGBA, EvalContext, layer_of

KEYWORDS: dict[str, tuple[str, ...]] = {"rgba": RGBA, "rgb": RGB, "alpha": ("A",)}
ALL = "all"
_SPLIT = re.compile(r"[,\s]+")
_VALID = re.compile(r"^[^\s,=:]+$")
# Colour-param components by channel suffix: a Color's (R, G, B, A) apply to these.
_COMPONENTS = {"r": 0, "red": 0, "g": 1, "green": 1, "b": 2, "blue": 2, "a": 3, "alpha": 3}


class ChannelListError(ValueError):
    """A channel list that names something the image does not have, or is not a valid name."""


def entries(text: str) -> list[str]:
    """The entries of a channel list, in order, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in _SPLIT.split(text.strip()):
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _keyword(entry: str) -> tuple[str, tuple[str, ...]] | None:
    """(layer prefix, channel names) when `entry` is a keyword or `layer.keyword`, else None."""
    lowered = entry.lower()
    if lowered in KEYWORDS:
        return "", KEYWORDS[lowered]
    layer, _, suffix = entry.rpartition(".")
    if layer and suffix.lower() in KEYWORDS:
        return f"{layer}.", KEYWORDS[suffix.lower()]
    return None


def keyword_names(entry: str) -> list[str] | None:
    """The channel names a keyword entry stands for (`rgb`, `mask.rgba`...), or None for other entries."""
    keyword = _keyword(entry)
    if keyword is None:
        return None
    prefix, names = keyword
    return [prefix + name for name in names]


def expand(entry: str, channels: Sequence[str]) -> list[str] | None:
    """The channels of `channels` one entry names, in image order; None when it names nothing known.

    A keyword (or `layer.keyword`) returns the subset that exists, possibly empty.
    """
    if entry.lower() == ALL:
        return list(channels)
    keyword = _keyword(entry)
    if keyword is not None:
        prefix, names = keyword
        wanted = {prefix + name for name in names}
        return [c for c in channels if c in wanted]
    if entry in channels:
        return [entry]
    layer = [c for c in channels if layer_of(c) == entry]
    return layer or None


def select(text: str, channels: Sequence[str], *, strict: bool = True) -> list[int]:
    """Indices into `channels` of every channel the list names, in image order.

    Args:
        text: the channel list (see the module docstring).
        channels: the image's channel names.
        strict: raise when an entry that is not a keyword names nothing the image has; with
            False such entries are ignored (Remove drops what is there).

    Raises:
        ChannelListError: an entry names no channel or layer of the image (strict only).
    """
    picked: set[str] = set()
    for entry in entries(text):
        found = expand(entry, channels)
        if found is None:
            if strict:
                raise ChannelListError(
                    f"no channel or layer {entry!r} in the image (channels: {', '.join(channels) or 'none'})"
                )
            continue
        picked.update(found)
    return [i for i, name in enumerate(channels) if name in picked]


def new_names(text: str) -> list[str]:
    """The channel names a list asks to create (AddChannels): keywords expand, names stay.

    `rgba` gives R, G, B, A; `mask.rgb` gives mask.R, mask.G, mask.B; `depth.Z` stays as it is.
    A bare layer name cannot be created (its channels are unknown): write `layer.rgba` or the
    channels.

    Raises:
        ChannelListError: an entry is `all` or has characters a channel name cannot hold.
    """
    names: dict[str, None] = {}
    for entry in entries(text):
        if entry.lower() == ALL:
            raise ChannelListError("'all' cannot be created; list the channels or layer.rgba")
        keyword = _keyword(entry)
        if keyword is not None:
            prefix, channels = keyword
            for name in channels:
                names.setdefault(prefix + name, None)
            continue
        check_name(entry)
        names.setdefault(entry, None)
    return list(names)


def check_name(name: str) -> str:
    """`name` itself when it can be a channel name, else ChannelListError."""
    if not name or not _VALID.match(name) or name.startswith(".") or name.endswith("."):
        raise ChannelListError(f"{name!r} is not a valid channel name (no spaces, commas, '=' or ':')")
    return name


def component(channel: str, channels: Sequence[str]) -> int:
    """Which component (0..3) of a Color param applies to `channel`.

    R, G, B, A (and `red`... in any case) after the last dot pick their component, so
    `diffuse.G` uses the green value. Any other channel uses its position within its layer
    (the first channel of `depth` uses the red value), capped at 3, as in Nuke.
    """
    suffix = channel.rsplit(".", 1)[-1].lower()
    if suffix in _COMPONENTS:
        return _COMPONENTS[suffix]
    layer = layer_of(channel)
    siblings = [c for c in channels if layer_of(c) == layer]
    return min(siblings.index(channel), 3)


def describe(names: Iterable[str]) -> str:
    """`R, G, B` (or `none`) for messages."""
    listed = ", ".join(names)
    return listed or "none"


def pick(ctx: EvalContext, text: str, channels: Sequence[str], *, param: str = "channels",
         strict: bool = True) -> list[int]:
    """`select`, with a bad list reported as an error naming the node, frame and param."""
    try:
        return select(text, channels, strict=strict)
    except ChannelListError as exc:
        raise ctx.error(f"{param}: {exc}", hint="use rgb, rgba, alpha, all, a layer or channel names") from None
