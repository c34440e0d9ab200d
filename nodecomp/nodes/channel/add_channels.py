"""AddChannels: create channels (or whole layers) filled with a constant, usually zero."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import EvalContext, Float, Image, Input, NodeType, String
from nodecomp.nodes.channel.names import ChannelListError, entries, new_names


class AddChannels(NodeType):
    """Adds channels that the image does not have yet, filled with `value` (0 by default).

    `channels` lists what to add: channel names (`depth.Z`, `matte.A`), the keywords `rgba`,
    `rgb`, `alpha`, or `layer.rgba` / `layer.rgb` / `layer.alpha` for a new layer's channels
    (`mask.rgba` adds mask.R, mask.G, mask.B, mask.A). Channels already present are left
    exactly as they are; new ones are appended in the order listed. Use it to give a matte an
    RGB, or to make every image entering a Copy or Merge carry the same layers. An empty list
    passes through; an invalid name is an error.
    """

    type_id = "nodecomp.AddChannels"
    version = 1
    category = "Channel"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to add channels to."),)
    params = (
        String("channels", default="", doc="Channels to add: depth.Z, rgba, mask.rgba (new layer)..."),
        Float("value", default=0.0, doc="Value of every pixel of the new channels."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An empty list adds nothing."""
        return "source" if not entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, channels: str, value: float) -> Image:
        """Append the missing channels."""
        try:
            wanted = new_names(channels)
        except ChannelListError as exc:
            raise ctx.error(f"channels: {exc}", hint="write channel names or layer.rgba") from None
        added = [name for name in wanted if name not in source.channels]
        if not added:
            return source
        count = len(source.channels)
        pixels = np.empty((source.height, source.width, count + len(added)), dtype=np.float32)
        pixels[..., :count] = source.pixels
        pixels[..., count:] = np.float32(value)
        return source.with_pixels(pixels, channels=(*source.channels, *added))
