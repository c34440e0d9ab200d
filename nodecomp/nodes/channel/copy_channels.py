"""Copy: bring channels of image B into image A (a matte, a depth pass, an AOV)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nodecomp.api import Box, Choice, EvalContext, Image, Input, NodeType, String, conform
from nodecomp.nodes.channel import mapping as routing
from nodecomp.nodes.channel.names import ChannelListError, entries, select

BBOX_MODES = ("a", "b", "union", "intersection")


def copy_routes(text: str, channels: Sequence[str]) -> list[routing.Route]:
    """Routes from B's channels: plain entries keep their names, `target=source` renames.

    Raises:
        ChannelListError: an entry names nothing B has, or a target is written twice.
    """
    plain = [e for e in entries(text) if "=" not in e]
    renames = [e for e in entries(text) if "=" in e]
    routes = [routing.Route(channels[i], source=i) for i in select(" ".join(plain), channels)]
    routes += routing.parse_mapping(" ".join(renames), channels)
    targets = [route.target for route in routes]
    duplicates = sorted({t for t in targets if targets.count(t) > 1})
    if duplicates:
        raise ChannelListError(f"channel {duplicates[0]!r} is written twice")
    return routes


def output_window(mode: str, a: Box, b: Box) -> Box:
    """The output data window for a `bbox` choice."""
    if mode == "union":
        return a.union(b)
    if mode == "intersection":
        return a.intersect(b)
    return a if mode == "a" else b


def _on_window(image: Image, window: Box, channels: Sequence[str]) -> np.ndarray:
    """The image's channels over `window`: a view when nothing moves, else a padded copy."""
    if image.data_window != window:
        return conform(image, window, channels)
    indices = [image.index(c) for c in channels]
    if indices and indices == list(range(indices[0], indices[0] + len(indices))):
        return image.pixels[..., indices[0]:indices[0] + len(indices)]
    return image.pixels[..., indices]


class Copy(NodeType):
    """Copies channels from B into A; A's image is the one that continues down the comp.

    `channels` lists what to take from B, in the channel-list grammar (`alpha`, `rgba`,
    `depth`, `depth.Z, motion`, `all`) plus `target=source` entries that rename on the way
    (`A=matte.A` puts B's matte.A into A's alpha). A copied channel replaces A's channel of the
    same name, or is appended. Everything else of A (its other channels, display window, pixel
    aspect, metadata, colour space) is kept.

    The output data window follows `bbox` (A's by default); outside an input's data window its
    channels read as 0. With B unconnected or an empty list the node passes A through; a
    channel B does not have is an error naming it.
    """

    type_id = "nodecomp.Copy"
    version = 1
    category = "Channel"
    supports_region = True
    supports_scale = True
    inputs = (
        Input("a", doc="The image that receives the channels (its format and metadata are kept)."),
        Input("b", optional=True, doc="The image the channels are taken from."),
    )
    params = (
        String("channels", default="alpha",
               doc="Channels of B to copy (alpha, rgba, depth, depth.Z, all); target=source renames (A=matte.A)."),
        Choice("bbox", default="a", choices=BBOX_MODES,
               doc="Output data window: A's, B's, their union or their intersection."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An empty channel list copies nothing."""
        return "a" if not entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, a: Image, b: Image | None, channels: str, bbox: str) -> Image:
        """Assemble A's channels with B's copied ones."""
        if b is None:
            return a
        try:
            routes = copy_routes(channels, b.channels)
        except ChannelListError as exc:
            raise ctx.error(f"channels: {exc}", hint="list channels input b has, or target=source") from None
        window = output_window(bbox, a.data_window, b.data_window)
        names = list(a.channels) + [r.target for r in routes if r.target not in a.channels]
        out = np.empty((window.height, window.width, len(names)), dtype=np.float32)
        out[..., : len(a.channels)] = _on_window(a, window, a.channels)
        taken = [b.channels[r.source] for r in routes if r.source is not None]
        values = _on_window(b, window, taken)
        position = 0
        for route in routes:
            target = names.index(route.target)
            if route.source is None:
                out[..., target] = np.float32(route.constant)
            else:
                out[..., target] = values[..., position]
                position += 1
        return a.replace(pixels=out, channels=tuple(names), data_window=window)
