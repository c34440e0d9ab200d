"""ChromaKeyer: an HSV keyer that makes one hue range transparent."""

from __future__ import annotations

import numpy as np

from nodecomp.api import Bool, Choice, Color, EvalContext, Float, Image, Input, NodeType
from plugins.keyers.choices import Output, values
from plugins.keyers.hsv import chroma_matte
from plugins.keyers.images import rgb_planes
from plugins.keyers.nodes.keyed import keyed_output


class ChromaKeyer(NodeType):
    """Keys out colours near a key colour by hue, saturation and value (a fast, simple keyer).

    match = hue window * saturation window * value window (see below), alpha = 1 - match:

        hue:        1 within hue_range degrees of the key colour's hue, 0 beyond hue_range + hue_softness
        saturation: 0 below min_saturation x the key's saturation, 1 above it + saturation_softness x
                    the key's saturation
        value:      0 below min_value, 1 above min_value + value_softness

    invert makes the matched colours opaque instead. Hue and saturation are those of the
    scene-linear RGB (HSV). It holds hard edges well but cannot separate partly transparent
    detail (hair, motion blur) the way the DifferenceKeyer does, and does not despill.
    Output: premultiplied (colour x alpha), unpremultiplied (colour untouched) or the matte.
    """

    type_id = "keyers.ChromaKeyer"
    version = 1
    category = "Keyer"
    inputs = (Input("source", doc="The plate to key."),)
    params = (
        Color("key_color", default=(0.07, 0.40, 0.10, 1.0), min=0.0,
              doc="The colour to remove (scene-linear RGB; alpha unused); its hue and saturation centre the key."),
        Float("hue_range", default=25.0, min=0.0, max=180.0, doc="Degrees either side of the key hue fully keyed."),
        Float("hue_softness", default=20.0, min=0.0, max=180.0, doc="Degrees over which the key fades out."),
        Float("min_saturation", default=0.35, min=0.0, max=1.0,
              doc="Saturation below this fraction of the key colour's is kept (greys, skin)."),
        Float("saturation_softness", default=0.25, min=0.0, max=1.0,
              doc="Fraction of the key's saturation over which the saturation window opens."),
        Float("min_value", default=0.01, min=0.0, doc="Pixels darker than this (max of R, G, B) are kept."),
        Float("value_softness", default=0.02, min=0.0, doc="Value range over which the value window opens."),
        Bool("invert", default=False, doc="Keep the matched colours and key out the rest."),
        Choice("output", choices=values(Output), doc="premultiplied, unpremultiplied or matte."),
    )

    @staticmethod
    def compute(ctx: EvalContext, source: Image, key_color: tuple[float, ...], hue_range: float,
                hue_softness: float, min_saturation: float, saturation_softness: float, min_value: float,
                value_softness: float, invert: bool, output: str) -> Image:
        """Key by HSV distance to the key colour."""
        rgb = rgb_planes(source)
        matte = chroma_matte(rgb, key_color[:3], hue_range=hue_range, hue_softness=hue_softness,
                             min_saturation=min_saturation, saturation_softness=saturation_softness,
                             min_value=min_value, value_softness=value_softness)
        if invert:
            matte = np.float32(1.0) - matte
        return keyed_output(source, rgb, matte, output)
