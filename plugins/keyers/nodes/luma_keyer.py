"""LumaKeyer: a matte from brightness (fire, sparks or smoke shot on black, sky replacement)."""

from __future__ import annotations

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType
from plugins.keyers.choices import Luminance, Output, values
from plugins.keyers.images import rgb_planes
from plugins.keyers.nodes.keyed import keyed_output
from plugins.keyers.spill import AP1_LUMA

_WEIGHTS = {
    Luminance.AP1: AP1_LUMA,
    Luminance.REC709: (0.2126, 0.7152, 0.0722),
    Luminance.AVERAGE: (1 / 3, 1 / 3, 1 / 3),
}


def luma_of(rgb: np.ndarray, weights: str) -> np.ndarray:
    """Y of (H, W, 3) colours with the chosen weights (or the max channel)."""
    if weights == Luminance.MAXIMUM:
        return rgb.max(axis=-1)
    r, g, b = (np.float32(w) for w in _WEIGHTS[Luminance(weights)])
    return rgb[..., 0] * r + rgb[..., 1] * g + rgb[..., 2] * b


class LumaKeyer(NodeType):
    """Makes a matte from luminance: alpha = clamp((Y - low) / (high - low), 0, 1) ** (1 / gamma).

    Y uses the working space's luminance weights (ACEScg/AP1 by default; Rec.709, the channel
    average or the max channel on request). invert swaps opaque and transparent (keying out a
    bright sky instead of keeping bright fire). high <= low gives a hard step at low.
    Output: premultiplied (colour x alpha), unpremultiplied (colour untouched) or the matte.
    """

    type_id = "keyers.LumaKeyer"
    version = 1
    category = "Keyer"
    inputs = (Input("source", doc="The image to key by brightness."),)
    params = (
        Float("low", default=0.02, doc="Luminance (scene-linear) at and below which alpha is 0."),
        Float("high", default=0.5, doc="Luminance at and above which alpha is 1."),
        Float("gamma", default=1.0, min=0.01, doc="Shapes the ramp between low and high: above 1 opens it up."),
        Choice("luminance", choices=values(Luminance), doc="Luminance weights: ap1, rec709, average or maximum."),
        Bool("invert", default=False, doc="Key out bright areas instead of dark ones."),
        Choice("output", choices=values(Output), doc="premultiplied, unpremultiplied or matte."),
    )

    @staticmethod
    def compute(ctx: EvalContext, source: Image, low: float, high: float, gamma: float, luminance: str,
                invert: bool, output: str) -> Image:
        """Key by luminance."""
        rgb = rgb_planes(source)
        y = luma_of(rgb, luminance)
        if high <= low:
            matte = (y > low).astype(np.float32)
        else:
            matte = np.clip((y - np.float32(low)) * np.float32(1.0 / (high - low)), 0.0, 1.0)
            if gamma != 1.0:
                matte = np.power(matte, np.float32(1.0 / gamma))
        if invert:
            matte = np.float32(1.0) - matte
        return keyed_output(source, rgb, matte.astype(np.float32, copy=False), output)

