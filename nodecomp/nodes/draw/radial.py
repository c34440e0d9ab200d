"""Radial: an ellipse with a soft falloff towards its edge (vignettes, soft spots, lens mattes)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, Choice, Color, EvalContext, Float, Image, Input, NodeType, Vec2
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, nothing_drawn, paint_image
from nodecomp.nodes.draw.profiles import FALLOFFS, apply_falloff, edge_coverage
from nodecomp.nodes.draw.rectangle import shape_paint


def radial_coverage(box: Box, center: tuple[float, float], radius: tuple[float, float], softness: float,
                    falloff: str) -> np.ndarray:
    """Coverage of the pixels of `box` by an ellipse whose edge ramps inward over `softness` of its radius.

    With rho = sqrt(((x - cx) / rx)^2 + ((y - cy) / ry)^2) the ellipse's normalised radius, the
    value is the ramp clamp((1 - rho) / softness, 0, 1), averaged over each pixel's width along
    the local edge normal (so a hard edge is antialiased to its covered area, to first order),
    then shaped by `falloff`. rx and ry must be > 0.

    Returns:
        (box.height, box.width) float32 in 0..1.
    """
    xs = (np.arange(box.x0, box.x1, dtype=np.float32) + np.float32(0.5) - np.float32(center[0])) / np.float32(radius[0])
    ys = (np.arange(box.y0, box.y1, dtype=np.float32) + np.float32(0.5) - np.float32(center[1])) / np.float32(radius[1])
    rho = np.sqrt(ys[:, None] ** 2 + xs[None, :] ** 2)
    # |grad rho| in 1/pixels: how many pixels one unit of rho spans across the edge, here.
    gradient = np.sqrt((ys[:, None] / np.float32(radius[1])) ** 2 + (xs[None, :] / np.float32(radius[0])) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pixels_per_rho = np.where(rho > 0, rho / gradient, np.float32(max(radius)))
    coverage = edge_coverage((1.0 - rho) * pixels_per_rho, np.float32(softness) * pixels_per_rho)
    return apply_falloff(coverage, falloff) if softness > 0 else coverage


class Radial(NodeType):
    """Draws an ellipse of `color` whose edge fades inward: vignettes, soft spots, lens mattes.

    With rho = sqrt(((x - cx) / rx)^2 + ((y - cy) / ry)^2), coverage = 1 for rho <= 1 - softness,
    0 for rho >= 1, and a ramp between (shaped by `falloff`), as Nuke's Radial. Each pixel
    averages the ramp over its own width across the edge, so a hard edge (softness 0) is
    antialiased to the area it covers.

    out = color * opacity * coverage (inverted with `invert`), premultiplied, over `source`
    when connected, else on a transparent image of the document format. Coordinates are pixels
    of the format, x right, y down, origin top-left. A zero radius draws nothing.
    """

    type_id = "nodecomp.Radial"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional background the ellipse is drawn over."),)
    params = (
        Vec2("center", default=(960.0, 540.0), pixels=True, doc="Centre of the ellipse, in pixels (x, y)."),
        Vec2("radius", default=(400.0, 400.0), min=0.0, pixels=True,
             doc="Radii of the ellipse along x and y, in pixels."),
        Float("softness", default=0.0, min=0.0, max=1.0,
              doc="Fraction of the radius over which the edge fades inward; 1 fades from the centre."),
        Choice("falloff", default="smooth", choices=FALLOFFS,
               doc="Shape of the fade: linear, or smooth (smoothstep)."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA of the inside, premultiplied, working colour space."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the shape's colour and alpha."),
        Bool("invert", default=False, doc="Draw outside the ellipse instead of inside (a vignette)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Nothing drawn leaves the source as it is."""
        return "source" if nothing_drawn(params) else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The format and working space, used when no source is connected."""
        return generator_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, center: tuple[float, float], radius: tuple[float, float],
                softness: float, falloff: str, color: tuple[float, ...], opacity: float, invert: bool) -> Image:
        """Rasterise the ellipse on its bounding box and put it over the source."""
        canvas = draw_box(ctx, source)
        if min(radius) > 0.0:
            bounds = Box(
                math.floor(center[0] - radius[0]) - 1, math.floor(center[1] - radius[1]) - 1,
                math.ceil(center[0] + radius[0]) + 1, math.ceil(center[1] + radius[1]) + 1,
            ).intersect(canvas)
            coverage = radial_coverage(bounds, center, radius, softness, falloff)
        else:
            bounds = Box(canvas.x0, canvas.y0, canvas.x0, canvas.y0)
            coverage = np.zeros((0, 0), np.float32)
        paint = shape_paint(coverage, color, opacity, invert)
        outside = tuple(float(c) * opacity for c in color) if invert else None
        return paint_image(ctx, source, paint, bounds, outside)
