"""Saturation: scale colour away from (or towards) its luminance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Choice, EvalContext, Float, Image, Input, NodeType
from nodecomp.nodes.color import luma
from nodecomp.nodes.color.affine import affine_pixels, embed, main_rgb, mix_affine


def saturate_pixels(pixels: np.ndarray, rgb: list[int], saturation: float, mode: str, mix: float) -> np.ndarray:
    """Luma + saturation * (in - luma) on the `rgb` channels, blended by mix, as a new array.

    Weighted-sum luminances make this a 3x3 matrix (one OpenCV pass); `maximum` is done in numpy.
    """
    if mode != luma.MAXIMUM:
        block = luma.saturation_matrix(saturation, mode)
        matrix, offset, reads = mix_affine(embed(block, rgb, pixels.shape[2]), np.zeros(pixels.shape[2]), mix)
        return affine_pixels(pixels, matrix, offset, reads)
    out = np.array(pixels, dtype=np.float32, copy=True)
    colour = pixels[..., rgb]
    grey = luma.luminance(colour, mode)[..., np.newaxis]
    amount = np.float32(saturation * mix + (1.0 - mix))  # in + (sat(in) - in) * mix, folded
    out[..., rgb] = grey + (colour - grey) * amount
    return out


class Saturation(NodeType):
    """Scales the colourfulness of R, G, B around their luminance.

        luma = wr * R + wg * G + wb * B        (weights from `luminance_math`)
        out  = luma + saturation * (in - luma)
        out  = in + (out - in) * mix

    0 gives grey, 1 leaves the image unchanged, above 1 intensifies colour, negative values
    swap hues to their complements. It is linear, so it works on premultiplied pixels as they
    come (the luminance scales with alpha too) and leaves alpha and other layers untouched. An
    image without all of R, G and B is returned unchanged. NaN or infinity in one channel of a
    pixel spreads to the R, G, B of that pixel only (they share its luminance).
    """

    type_id = "nodecomp.Saturation"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image whose R, G, B are saturated."),)
    params = (
        Float("saturation", default=1.0, slider_min=0.0, slider_max=4.0,
              doc="0 is grey, 1 unchanged, 2 twice as colourful; negative values give complements."),
        Choice("luminance_math", default="acescg", choices=luma.CHOICES, doc=luma.DOC),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Saturation 1 or mix 0 change nothing."""
        return "source" if params["saturation"] == 1.0 or params["mix"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, saturation: float, luminance_math: str, mix: float) -> Image:
        """Saturate the main R, G, B."""
        rgb = main_rgb(source.channels)
        if rgb is None:
            return source
        return source.with_pixels(saturate_pixels(source.pixels, rgb, saturation, luminance_math, mix))
