"""Invert: one minus the value, the usual way to flip a matte."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, EvalContext, Float, Image, Input, NodeType, String
from nodecomp.nodes.channel import names
from nodecomp.nodes.color.affine import affine_pixels, mix_affine


class Invert(NodeType):
    """Replaces each selected channel by one minus its value.

        out = 1 - in
        out = min(max(out, 0), 1)         if clamp
        out = in + (out - in) * mix

    It works on the values as they come: inverting the colour of a premultiplied image also
    inverts where alpha is 0 (black becomes white there), as in Nuke. Values above 1 become
    negative unless `clamp` is on. NaN stays NaN, +inf becomes -inf. Unselected channels are
    copied unchanged.
    """

    type_id = "nodecomp.Invert"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to invert."),)
    params = (
        String("channels", default="rgba",
               doc="Channels to invert: rgb, rgba, alpha, all, layers or channel names (matte.A)."),
        Bool("clamp", default=False, doc="Limit the inverted values to 0..1."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Mix 0 or an empty channel list change nothing."""
        return "source" if params["mix"] == 0.0 or not names.entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, channels: str, clamp: bool, mix: float) -> Image:
        """Invert the selected channels."""
        selected = names.pick(ctx, channels, source.channels)
        if not selected:
            return source
        count = len(source.channels)
        diagonal, offset = np.ones(count), np.zeros(count)
        diagonal[selected], offset[selected] = -1.0, 1.0
        if not clamp:
            matrix, offset, reads = mix_affine(np.diag(diagonal), offset, mix)
            return source.with_pixels(affine_pixels(source.pixels, matrix, offset, reads))
        pixels = affine_pixels(source.pixels, np.diag(diagonal), offset)
        picked = pixels[..., selected]
        np.clip(picked, 0.0, 1.0, out=picked)
        if mix != 1.0:
            before = source.pixels[..., selected]
            picked = before + (picked - before) * np.float32(mix)
        pixels[..., selected] = picked
        return source.with_pixels(pixels)
