"""HueShift: rotate colours around the grey axis."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import EvalContext, Float, Image, Input, NodeType
from nodecomp.nodes.color.affine import affine_pixels, embed, main_rgb, mix_affine

_GREY = np.full(3, 1.0 / math.sqrt(3.0))


def hue_shift_matrix(degrees: float, saturation: float = 1.0, brightness: float = 1.0) -> np.ndarray:
    """The 3x3 matrix: brightness * (P + saturation * Rot(degrees) @ (I - P)), P = grey projection.

    Rot is Rodrigues' rotation about the unit grey axis (1, 1, 1) / sqrt(3): a positive angle
    turns red towards green and green towards blue, and 120 degrees maps R to G exactly.
    """
    theta = math.radians(degrees)
    u = _GREY
    cross = np.array([[0.0, -u[2], u[1]], [u[2], 0.0, -u[0]], [-u[1], u[0], 0.0]])
    projection = np.outer(u, u)
    rotation = math.cos(theta) * np.eye(3) + math.sin(theta) * cross + (1.0 - math.cos(theta)) * projection
    return brightness * (projection + saturation * (rotation - projection))


class HueShift(NodeType):
    """Rotates the hue of R, G, B around the grey axis, with saturation and brightness.

    With u = (1, 1, 1) / sqrt(3), P = u u^T (the grey part of a colour) and Rot the rotation by
    `hue_rotation` degrees about u:

        out = brightness * (P in + saturation * Rot (in - P in))
        out = in + (out - in) * mix

    The grey part (the average of R, G, B) is kept, so greys stay grey, and the distance from
    grey is rotated (positive turns red towards green), scaled by `saturation`, then everything
    by `brightness`. It is one 3x3 matrix, so it works on premultiplied pixels, HDR and negative
    values alike; alpha and other layers pass unchanged. An image without all of R, G and B is
    returned unchanged.
    """

    type_id = "nodecomp.HueShift"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image whose hues are rotated."),)
    params = (
        Float("hue_rotation", default=0.0, slider_min=-180.0, slider_max=180.0,
              doc="Degrees around the grey axis; 120 turns red into green, green into blue."),
        Float("saturation", default=1.0, slider_min=0.0, slider_max=4.0,
              doc="Scales the distance from grey after the rotation (0 gives grey)."),
        Float("brightness", default=1.0, slider_min=0.0, slider_max=4.0, doc="Multiplies the result."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No rotation, saturation 1 and brightness 1 (or mix 0) change nothing."""
        neutral = params["hue_rotation"] % 360.0 == 0.0 and params["saturation"] == 1.0 and params["brightness"] == 1.0
        return "source" if neutral or params["mix"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, hue_rotation: float, saturation: float, brightness: float,
                mix: float) -> Image:
        """Apply the hue matrix to the main R, G, B."""
        rgb = main_rgb(source.channels)
        if rgb is None:
            return source
        count = len(source.channels)
        block = hue_shift_matrix(hue_rotation, saturation, brightness)
        matrix, offset, reads = mix_affine(embed(block, rgb, count), np.zeros(count), mix)
        return source.with_pixels(affine_pixels(source.pixels, matrix, offset, reads))
