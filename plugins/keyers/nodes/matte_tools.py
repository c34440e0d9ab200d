"""Matte tools for keying: ChokeGrow and MatteCombine (edge blur is the built-in EdgeBlur)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType, String
from plugins.keyers.choices import values
from plugins.keyers.images import matte_plane
from plugins.keyers.mattes import CombineOp, choke_grow, combine, rescale_premultiplied


def _with_matte(ctx: EvalContext, source: Image, channel: str, matte: np.ndarray, adjust_colour: bool) -> Image:
    """`source` with `channel` replaced by `matte`; colour re-premultiplied when the channel is alpha."""
    if channel not in source.channels:
        raise ctx.error(f"the input has no channel {channel!r} (channels: {', '.join(source.channels)})",
                        hint="set channel to one the input has, e.g. A")
    pixels = np.array(source.pixels, np.float32, copy=True)
    index = source.index(channel)
    if channel == "A" and adjust_colour:
        colour = source.color_indices()
        if colour:
            pixels[..., colour] = rescale_premultiplied(pixels[..., colour], source.pixels[..., index], matte)
    pixels[..., index] = matte
    return source.with_pixels(pixels)


class ChokeGrow(NodeType):
    """Shrinks (chokes, size < 0) or grows (size > 0) a matte by size pixels, then softens it.

    Grey-level erosion or dilation with a disc (fractional sizes blend the two nearest whole
    sizes so the edge moves smoothly when animated), then a Gaussian blur of `softness` pixels
    (sigma). On alpha with adjust_colour on, premultiplied colour is rescaled by new/old alpha so
    the image stays validly premultiplied (no glow outside a choked edge). size 0 and softness 0
    pass the input through.
    """

    type_id = "keyers.ChokeGrow"
    version = 1
    category = "Keyer"
    inputs = (Input("source", doc="The image whose matte is changed."),)
    params = (
        Float("size", default=0.0, min=-200.0, max=200.0, slider_min=-20.0, slider_max=20.0,
              doc="Pixels to grow (positive) or choke (negative)."),
        Float("softness", default=0.0, min=0.0, doc="Gaussian sigma in pixels applied after the choke or grow."),
        String("channel", default="A", doc="The channel holding the matte (A, or e.g. matte.core)."),
        Bool("adjust_colour", default=True, doc="Rescale premultiplied colour by the new alpha (alpha only)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No size and no softness change nothing."""
        return "source" if params["size"] == 0.0 and params["softness"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, size: float, softness: float, channel: str,
                adjust_colour: bool) -> Image:
        """Erode or dilate, then blur, the matte channel."""
        if channel not in source.channels:
            raise ctx.error(f"the input has no channel {channel!r} (channels: {', '.join(source.channels)})",
                            hint="set channel to one the input has, e.g. A")
        matte = choke_grow(source.pixels[..., source.index(channel)], size, softness)
        return _with_matte(ctx, source, channel, matte, adjust_colour)


class MatteCombine(NodeType):
    """Combines matte A into B's alpha: B keeps its colour, its alpha becomes op(A, B).

    Operations: max (union), min (intersection), add (clamped), subtract (B - A: remove a
    garbage matte A), multiply, screen (A + B - AB), difference |A - B|, replace (A). Each
    input's matte is its alpha, or its only channel; A is 0 outside its data window. With
    adjust_colour on, B's premultiplied colour is rescaled by new/old alpha.
    """

    type_id = "keyers.MatteCombine"
    version = 1
    category = "Keyer"
    inputs = (
        Input("a", doc="The matte combined into B."),
        Input("b", doc="The image whose alpha changes (its colour and other channels are kept)."),
    )
    params = (
        Choice("operation", choices=values(CombineOp),
               doc="max, min, add, subtract (B - A), multiply, screen, difference or replace."),
        Bool("adjust_colour", default=True, doc="Rescale B's premultiplied colour by the new alpha."),
    )

    @staticmethod
    def compute(ctx: EvalContext, a: Image, b: Image, operation: str, adjust_colour: bool) -> Image:
        """op(A, B) into B's alpha."""
        window = b.data_window
        try:
            matte_a = matte_plane(a, window)
            matte_b = matte_plane(b, window)
        except ValueError as exc:
            raise ctx.error(str(exc), hint="connect images with an alpha, or one-channel mattes") from None
        combined = combine(matte_a, matte_b, operation)
        if "A" not in b.channels:
            return b.with_pixels(combined[..., None], channels=(b.channels[0],))
        return _with_matte(ctx, b, "A", combined, adjust_colour)
