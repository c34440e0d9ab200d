"""Channel routing: parse `out=source` mappings and build output arrays from source channels.

A mapping is a list (commas or spaces) of `target=source` entries:

- `R=G`: channel G of the input becomes R (any channel names, `depth.Z=A`);
- `A=1`, `B=0`: a constant channel;
- `rgb=depth.Z`, `rgba=0`: one channel or constant into every channel of a keyword target;
- `rgba=diffuse`, `beauty=rgba`: every channel of a layer, renamed into another layer
  (`diffuse.R` becomes `R`; `R` becomes `beauty.R`). `rgba` (or `rgb` as a target) is the
  main layer.

Every source is read from the input as it was, so `R=G G=R` swaps two channels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from nodecomp.api import MAIN_LAYER, layer_of
from nodecomp.nodes.channel.names import ChannelListError, check_name, entries, keyword_names


@dataclass(frozen=True)
class Route:
    """One output channel: its name and where its values come from."""

    target: str
    source: int | None = None
    constant: float = 0.0


def _suffix(channel: str) -> str:
    return channel.rsplit(".", 1)[-1]


def _in_layer(layer: str, suffix: str) -> str:
    """`suffix` in `layer`; `rgba` and `rgb` name the main layer (no prefix)."""
    return suffix if layer.lower() in (MAIN_LAYER, "rgb") else f"{layer}.{suffix}"


def parse_mapping(text: str, channels: Sequence[str]) -> list[Route]:
    """The routes a mapping string asks for, against the input's channels.

    Raises:
        ChannelListError: an entry is not `target=source`, a source names nothing the input
            has, a name is invalid, or two entries write the same channel.
    """
    routes: list[Route] = []
    for entry in entries(text):
        target, sep, source = entry.partition("=")
        if not sep or not target or not source:
            raise ChannelListError(f"{entry!r} is not target=source (e.g. R=G, A=1, rgba=diffuse)")
        routes.extend(_routes_for(target, source, channels))
    seen: set[str] = set()
    for route in routes:
        if route.target in seen:
            raise ChannelListError(f"channel {route.target!r} is written twice")
        seen.add(route.target)
    return routes


def _routes_for(target: str, source: str, channels: Sequence[str]) -> list[Route]:
    # a keyword target (rgb, rgba, mask.rgb) fed by one channel or a constant gets it in each channel
    fan_out = keyword_names(target) if (source in ("0", "1") or source in channels) else None
    targets = fan_out or [target]
    if source in ("0", "1"):
        return [Route(check_name(t), constant=float(source)) for t in targets]
    if source in channels:
        return [Route(check_name(t), source=channels.index(source)) for t in targets]
    layer = [i for i, c in enumerate(channels) if layer_of(c) == source]
    if not layer:
        raise ChannelListError(
            f"no channel or layer {source!r} in the input (channels: {', '.join(channels) or 'none'})"
        )
    check_name(target)
    return [Route(check_name(_in_layer(target, _suffix(channels[i]))), source=i) for i in layer]


def gather(pixels: np.ndarray, routes: Sequence[Route]) -> np.ndarray:
    """A new (H, W, len(routes)) float32 array: each route's source channel or constant.

    Source channels are moved by one `cv2.mixChannels` call (a single threaded pass, about
    twice as fast as numpy's fancy indexing); constants are filled afterwards.
    """
    height, width, _ = pixels.shape
    out = np.empty((height, width, len(routes)), dtype=np.float32)
    if out.size == 0:
        return out
    pairs = [index for position, route in enumerate(routes) if route.source is not None
             for index in (route.source, position)]
    if pairs:
        cv2.mixChannels([np.ascontiguousarray(pixels, dtype=np.float32)], [out], pairs)
    for position, route in enumerate(routes):
        if route.source is None:
            out[..., position] = np.float32(route.constant)
    return out


def keep_others(routes: list[Route], channels: Sequence[str]) -> list[Route]:
    """The input's channels in their order (replaced where a route writes them), then new routes."""
    by_target = {route.target: route for route in routes}
    kept = [by_target.pop(name, Route(name, source=i)) for i, name in enumerate(channels)]
    return kept + [route for route in routes if route.target in by_target]
