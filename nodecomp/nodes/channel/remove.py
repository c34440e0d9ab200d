"""Remove: drop channels, or keep only some, to slim an image before it is cached or written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.channel import mapping as routing
from nodecomp.nodes.channel.names import entries, pick

OPERATIONS = ("remove", "keep")


class Remove(NodeType):
    """Removes the listed channels, or (operation keep) every channel but them.

    `channels` uses the channel-list grammar: `rgba`, `rgb`, `alpha`, `all`, layer names
    (`depth`, `diffuse`) and channel names (`depth.Z`). Names the image does not have are
    ignored, so one Remove fits images with different layers. Channel order, windows and
    metadata are kept. Removing every channel is an error (an image needs at least one);
    an empty list with `remove` passes through.
    """

    type_id = "nodecomp.Remove"
    version = 1
    category = "Channel"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to slim."),)
    params = (
        Choice("operation", default="remove", choices=OPERATIONS,
               doc="remove: drop the listed channels; keep: drop every other channel."),
        String("channels", default="", doc="Channels or layers: depth, motion, diffuse.rgb, alpha, all..."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Removing nothing changes nothing."""
        return "source" if params["operation"] == "remove" and not entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, operation: str, channels: str) -> Image:
        """Drop channels."""
        listed = set(pick(ctx, channels, source.channels, strict=False))
        keep = [i for i in range(len(source.channels)) if (i in listed) == (operation == "keep")]
        if not keep:
            raise ctx.error(
                f"{operation} {channels!r} leaves no channel (channels: {', '.join(source.channels)})",
                hint="keep at least one channel",
            )
        if len(keep) == len(source.channels):
            return source
        routes = [routing.Route(source.channels[i], source=i) for i in keep]
        pixels = routing.gather(source.pixels, routes)
        return source.with_pixels(pixels, channels=[source.channels[i] for i in keep])
