"""Grade: Nuke's per-channel blackpoint/whitepoint/lift/gain/multiply/offset/gamma."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGB, RGBA, Bool, Choice, Color, EvalContext, Float, Image, Input, NodeType
from nodecomp.nodes.color.grading import grade_coefficients, grade_pixels

# Which of the four RGBA components each `channels` choice applies.
SELECTIONS: dict[str, tuple[str, ...]] = {"rgb": RGB, "rgba": RGBA, "alpha": ("A",)}


def _components(channels: str) -> list[int]:
    """Indices (0..3 for R, G, B, A) of the components a `channels` choice grades."""
    return [RGBA.index(name) for name in SELECTIONS[channels]]


def is_identity(params: Mapping[str, Any]) -> bool:
    """True when Grade with these params returns its input unchanged (so it can pass through)."""
    if params["mix"] == 0.0:
        return True
    slope, intercept = grade_coefficients(
        params["blackpoint"], params["whitepoint"], params["lift"],
        params["gain"], params["multiply"], params["offset"],
    )
    return all(
        slope[i] == 1.0 and intercept[i] == 0.0 and params["gamma"][i] == 1.0
        for i in _components(params["channels"])
    )


class Grade(NodeType):
    """Nuke's Grade: maps blackpoint..whitepoint to lift..gain, then multiply, offset and gamma.

    Per component (R, G, B, A of the colour params apply to the R, G, B, A channels):

        A = multiply * (gain - lift) / (whitepoint - blackpoint)
        B = offset + lift - A * blackpoint
        v = A * in + B
        v = v ** (1 / gamma)        where v > 0 (v <= 0 is left as it is)
        v = max(v, 0) if clamp_black;  v = min(v, 1) if clamp_white
        out = in + (v - in) * mix

    It works on the premultiplied values it receives, so lift and offset add colour where
    alpha is 0, as in Nuke. Only the main layer's channels picked by `channels` change; other
    layers are copied. With identity settings (A = 1, B = 0, gamma = 1 on the graded
    components) or mix = 0 the node passes its input through and costs nothing; the clamps
    then do not apply either, as in Nuke. A whitepoint equal to the blackpoint on a graded
    component is an error.
    """

    type_id = "nodecomp.Grade"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to grade."),)
    params = (
        Color("blackpoint", default=(0.0, 0.0, 0.0, 0.0), doc="Input value that becomes lift (the black point)."),
        Color("whitepoint", default=(1.0, 1.0, 1.0, 1.0), doc="Input value that becomes gain (the white point)."),
        Color("lift", default=(0.0, 0.0, 0.0, 0.0), doc="Output value of the blackpoint."),
        Color("gain", default=(1.0, 1.0, 1.0, 1.0), doc="Output value of the whitepoint."),
        Color("multiply", default=(1.0, 1.0, 1.0, 1.0), doc="Scales the result after lift and gain."),
        Color("offset", default=(0.0, 0.0, 0.0, 0.0), doc="Added after multiply."),
        Color("gamma", default=(1.0, 1.0, 1.0, 1.0), min=0.01,
              doc="Applied last as v ** (1 / gamma) to positive values; above 1 brightens midtones."),
        Choice("channels", default="rgb", choices=tuple(SELECTIONS),
               doc="Main-layer channels to grade; the others are copied unchanged."),
        Bool("clamp_black", default=True, doc="Set results below 0 to 0."),
        Bool("clamp_white", default=False, doc="Set results above 1 to 1."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full grade (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Identity settings forward `source` (same cache key, no pixels touched)."""
        return "source" if is_identity(params) else None

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        blackpoint: tuple[float, ...],
        whitepoint: tuple[float, ...],
        lift: tuple[float, ...],
        gain: tuple[float, ...],
        multiply: tuple[float, ...],
        offset: tuple[float, ...],
        gamma: tuple[float, ...],
        channels: str,
        clamp_black: bool,
        clamp_white: bool,
        mix: float,
    ) -> Image:
        """Grade the selected main-layer channels of `source`."""
        slope4, intercept4 = grade_coefficients(blackpoint, whitepoint, lift, gain, multiply, offset)
        count = len(source.channels)
        slope, intercept = np.ones(count), np.zeros(count)
        inv_gamma, selected = np.ones(count), np.zeros(count, dtype=bool)
        for component in _components(channels):
            name = RGBA[component]
            if name not in source.channels:
                continue
            if not np.isfinite(slope4[component]):
                raise ctx.error(
                    f"whitepoint equals blackpoint ({whitepoint[component]:g}) in channel {name}",
                    hint="move the whitepoint away from the blackpoint",
                )
            index = source.index(name)
            slope[index], intercept[index] = slope4[component], intercept4[component]
            inv_gamma[index], selected[index] = 1.0 / gamma[component], True
        if not selected.any():
            return source
        pixels = grade_pixels(
            source.pixels, slope, intercept, inv_gamma, selected,
            clamp_black=clamp_black, clamp_white=clamp_white, mix=mix,
        )
        return source.with_pixels(pixels)
