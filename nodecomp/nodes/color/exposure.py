"""Exposure: brighten or darken in photographic stops."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Color, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.channel import names
from nodecomp.nodes.color.affine import affine_pixels


def exposure_gains(stops: tuple[float, ...], channels: tuple[str, ...], selected: list[int]) -> np.ndarray:
    """Per-channel factors 2 ** stops (1 for unselected channels)."""
    gains = np.ones(len(channels))
    for index in selected:
        gains[index] = 2.0 ** stops[names.component(channels[index], channels)]
    return gains


class Exposure(NodeType):
    """Multiplies channels by 2 to the power of a number of stops.

        out = in * 2 ** stops

    One stop doubles the light, -1 halves it; the four values of `stops` apply to R, G, B, A
    (and to the channels of other layers by name or position, as in every colour node), so
    (0.5, 0, -0.5, 0) warms the image. Linear in the values, so premultiplied pixels, HDR,
    negatives, NaN and infinity go through as they would in a multiplication; channels not in
    `channels` are copied. All zero stops pass the input through.
    """

    type_id = "nodecomp.Exposure"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to expose."),)
    params = (
        Color("stops", default=(0.0, 0.0, 0.0, 0.0),
              doc="Stops per component (R, G, B, A); one number sets all four."),
        String("channels", default="rgb",
               doc="Channels to expose: rgb, rgba, alpha, all, layers or channel names (depth.Z)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Zero stops change nothing."""
        return "source" if not any(params["stops"]) or not names.entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, stops: tuple[float, ...], channels: str) -> Image:
        """Scale the selected channels."""
        selected = names.pick(ctx, channels, source.channels)
        gains = exposure_gains(stops, source.channels, selected)
        if np.all(gains == 1.0):
            return source
        if not np.all(np.isfinite(gains)):
            raise ctx.error(f"stops {stops} overflow a float", hint="use fewer stops")
        count = len(source.channels)
        return source.with_pixels(affine_pixels(source.pixels, np.diag(gains), np.zeros(count)))
