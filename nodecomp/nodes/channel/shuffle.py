"""Shuffle: route any channel or layer to any output channel, or fill one with 0 or 1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Bool, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.channel import mapping as routing
from nodecomp.nodes.channel.names import ChannelListError, entries


class Shuffle(NodeType):
    """Rebuilds the channels of an image from its own channels and constants, as Nuke's Shuffle.

    `mapping` lists `target=source` entries (commas or spaces):

    - `R=G`, `depth.Z=A`: copy a channel into another (new or existing) channel;
    - `A=1`, `B=0`: a constant channel;
    - `rgb=depth.Z`, `mask.rgba=0`: one channel or constant into every channel of a keyword
      target (rgb, rgba, alpha, or layer.rgb...);
    - `rgba=diffuse`: every channel of a layer into another layer, keeping the channel
      suffixes (`diffuse.R` becomes `R`); `rgba` (or `rgb` as a target) is the main layer, so
      `beauty=rgba` copies the main layer into `beauty.R`, `beauty.G`...

    All sources are read from the input as it came, so `R=B B=R` swaps red and blue. With
    `keep_others` (default) every input channel not written stays where it was and new
    channels are appended; without it the output holds only the mapped channels, in mapping
    order. Windows, metadata and colour space are kept. An empty mapping passes through; a
    source the input does not have, or a channel written twice, is an error.
    """

    type_id = "nodecomp.Shuffle"
    version = 1
    category = "Channel"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image whose channels are routed."),)
    params = (
        String("mapping", default="",
               doc="target=source entries: R=G, A=1, depth.Z=A, rgba=diffuse (layer to layer)."),
        Bool("keep_others", default=True,
             doc="Keep the input channels the mapping does not write (off: output only the mapped ones)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An empty mapping changes nothing."""
        return "source" if not entries(params["mapping"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, mapping: str, keep_others: bool) -> Image:
        """Build the output channels."""
        try:
            routes = routing.parse_mapping(mapping, source.channels)
        except ChannelListError as exc:
            raise ctx.error(f"mapping: {exc}", hint="write target=source entries such as R=G, A=1") from None
        if keep_others:
            routes = routing.keep_others(routes, source.channels)
        pixels = routing.gather(source.pixels, routes)
        return source.with_pixels(pixels, channels=[route.target for route in routes])

