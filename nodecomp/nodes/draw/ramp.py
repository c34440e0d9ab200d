"""Ramp: a linear gradient between two colours along the line through two points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Box, Choice, Color, EvalContext, Float, Image, Input, NodeType, Vec2
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, paint_image
from nodecomp.nodes.draw.profiles import FALLOFFS, apply_falloff


def ramp_pixels(box: Box, point0: tuple[float, float], point1: tuple[float, float], color0: tuple[float, ...],
                color1: tuple[float, ...], falloff: str) -> np.ndarray:
    """The gradient on the pixels of `box`: color0 at and before point0, color1 at and after point1.

    t = clamp(((p - p0) . (p1 - p0)) / |p1 - p0|^2, 0, 1) at each pixel centre p, shaped by
    `falloff`; out = color0 + (color1 - color0) * t. Lines perpendicular to p0 -> p1 have one
    colour. point0 and point1 must differ.

    Returns:
        (box.height, box.width, 4) float32.
    """
    direction = np.subtract(point1, point0, dtype=np.float64)
    scale = direction / float(direction @ direction)
    xs = (np.arange(box.x0, box.x1, dtype=np.float64) + 0.5 - point0[0]) * scale[0]
    ys = (np.arange(box.y0, box.y1, dtype=np.float64) + 0.5 - point0[1]) * scale[1]
    t = np.clip((ys[:, None] + xs[None, :]).astype(np.float32), 0.0, 1.0)
    t = apply_falloff(t, falloff)
    start = np.asarray(color0, np.float32)
    return start + t[..., None] * (np.asarray(color1, np.float32) - start)


class Ramp(NodeType):
    """A linear gradient from color0 at point0 to color1 at point1, over the whole canvas.

    t = clamp(((p - p0) . (p1 - p0)) / |p1 - p0|^2, 0, 1), shaped by `falloff` (linear or
    smoothstep); out = (color0 + (color1 - color0) * t) * opacity. Beyond the points the end
    colours continue. Colours are premultiplied RGBA: a ramp from (0, 0, 0, 0) to
    (1, 1, 1, 1) is a matte that fades in.

    Drawn over `source` when connected (out = ramp + source * (1 - ramp.alpha); the source's
    other layers are kept), else on the document format. Coordinates are pixels, x right,
    y down. Two equal points are an error.
    """

    type_id = "nodecomp.Ramp"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional background the ramp is drawn over."),)
    params = (
        Vec2("point0", default=(0.0, 540.0), pixels=True, doc="Where color0 is, in pixels (x, y)."),
        Vec2("point1", default=(1920.0, 540.0), pixels=True, doc="Where color1 is, in pixels (x, y)."),
        Color("color0", default=(0.0, 0.0, 0.0, 1.0), doc="RGBA at and before point0, premultiplied."),
        Color("color1", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA at and after point1, premultiplied."),
        Choice("falloff", default="linear", choices=FALLOFFS,
               doc="Interpolation between the points: linear, or smooth (smoothstep)."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the ramp's colour and alpha."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """A ramp of nothing leaves the source as it is."""
        nothing = params["opacity"] == 0.0 or not (any(params["color0"]) or any(params["color1"]))
        return "source" if nothing else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The format and working space, used when no source is connected."""
        return generator_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, point0: tuple[float, float], point1: tuple[float, float],
                color0: tuple[float, ...], color1: tuple[float, ...], falloff: str, opacity: float) -> Image:
        """Fill the canvas with the gradient and put it over the source."""
        if tuple(point0) == tuple(point1):
            raise ctx.error(f"point0 and point1 are the same point {tuple(point0)}",
                            hint="move one of them to set the gradient's direction")
        canvas = draw_box(ctx, source)
        paint = ramp_pixels(canvas, point0, point1, color0, color1, falloff)
        if opacity != 1.0:
            paint *= np.float32(opacity)
        return paint_image(ctx, source, paint, canvas)
