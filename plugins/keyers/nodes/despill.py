"""Despill: removes green or blue screen light bounced onto a performer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Float, Image, Input, NodeType
from plugins.keyers.choices import Screen, values
from plugins.keyers.images import assemble, rgb_planes
from plugins.keyers.spill import SpillMethod, despill

_PRIMARY = {Screen.GREEN: 1, Screen.BLUE: 2}


class Despill(NodeType):
    """Suppresses screen spill in the main layer's colour; alpha and other layers are copied.

    For a green screen, with limit from red and blue by `method`:

        spill = max(G - limit, 0) * amount;  G' = G - spill;  RGB' += luma_restore * w_G * spill

    average: limit = (R + B) / 2; double: (2R + B) / 3; limit: max(R, B) (gentlest);
    minimum: min(R, B) (strongest). For a blue screen G and B swap roles (limit from R and G).
    w_G is the green luminance weight of ACEScg (0.674; blue 0.054), so luma_restore = 1 keeps
    each pixel's luminance. Colours that are not screen-tinted (neutral greys, skin, where G is
    already below the limit) are unchanged. Works on premultiplied colour directly: the result
    equals unpremultiply, despill, premultiply.
    """

    type_id = "keyers.Despill"
    version = 1
    category = "Keyer"
    inputs = (Input("source", doc="The image to despill (premultiplied or a plate)."),)
    params = (
        Choice("screen", choices=values(Screen), doc="The screen colour whose spill is removed."),
        Choice("method", choices=values(SpillMethod),
               doc="average, double (red-weighted), limit (gentlest) or minimum (strongest)."),
        Float("amount", default=1.0, min=0.0, max=2.0, doc="Fraction of the spill removed (0 passes through)."),
        Float("luma_restore", default=0.0, min=0.0, max=1.0,
              doc="Fraction of the luminance removed by despill added back as grey."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An amount of 0 changes nothing."""
        return "source" if params["amount"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, screen: str, method: str, amount: float,
                luma_restore: float) -> Image:
        """Despill R, G, B of the main layer."""
        if not source.color_indices():
            return source
        rgb, _ = despill(rgb_planes(source), _PRIMARY[Screen(screen)], method, amount=amount,
                         luma_restore=luma_restore)
        alpha_index = source.alpha_index()
        alpha = source.pixels[..., alpha_index] if alpha_index is not None else None
        if alpha is None:
            return _replace_rgb(source, rgb)
        return assemble(source, rgb, alpha)


def _replace_rgb(source: Image, rgb) -> Image:
    """The source with its R, G, B replaced (no alpha is invented for an RGB-only image)."""
    pixels = source.pixels.copy()
    for index, name in enumerate(("R", "G", "B")):
        if name in source.channels:
            pixels[..., source.index(name)] = rgb[..., index]
    return source.with_pixels(pixels)
