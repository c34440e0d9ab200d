"""Rectangle: an axis-aligned box matte or colour card, antialiased, with soft edges."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, Choice, Color, EvalContext, Float, Image, Input, NodeType, Vec2
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, nothing_drawn, paint_image
from nodecomp.nodes.draw.profiles import FALLOFFS, apply_falloff, interval_coverage


def rectangle_coverage(box: Box, corner0: tuple[float, float], corner1: tuple[float, float],
                       softness: float, falloff: str) -> np.ndarray:
    """Coverage of the pixels of `box` by the rectangle between two corners (pixel coordinates).

    coverage = fx(x) * fy(y), each the box-filtered interval profile of one axis (edges ramp
    inward over `softness` pixels), then shaped by `falloff`. With softness 0 the values are
    the exact area of each pixel inside the rectangle.

    Returns:
        (box.height, box.width) float32 in 0..1.
    """
    x0, x1 = sorted((corner0[0], corner1[0]))
    y0, y1 = sorted((corner0[1], corner1[1]))
    xs = np.arange(box.x0, box.x1, dtype=np.float32) + np.float32(0.5)
    ys = np.arange(box.y0, box.y1, dtype=np.float32) + np.float32(0.5)
    coverage = np.outer(interval_coverage(ys, y0, y1, softness), interval_coverage(xs, x0, x1, softness))
    return apply_falloff(coverage.astype(np.float32), falloff) if softness > 0 else coverage.astype(np.float32)


def shape_paint(coverage: np.ndarray, color: tuple[float, ...], opacity: float, invert: bool) -> np.ndarray:
    """Premultiplied RGBA paint from a coverage: color * opacity * (coverage, or 1 - coverage)."""
    amount = 1.0 - coverage if invert else coverage
    return amount[..., None] * (np.asarray(color, np.float32) * np.float32(opacity))


class Rectangle(NodeType):
    """Draws a rectangle of `color`: a garbage matte, a card, a letterbox bar.

    coverage(x, y) = fx(x) * fy(y) with f the pixel-averaged profile of each axis: 1 inside,
    ramping to 0 at the edge over `softness` pixels (inward, so the shape never exceeds its
    corners), shaped by `falloff`. Hard edges are exactly antialiased: each pixel holds the
    area it has inside the rectangle. A rectangle narrower than twice its softness never
    reaches full coverage.

    out = color * opacity * coverage (coverage inverted with `invert`), premultiplied, over
    `source` when connected (the source's other layers are kept), else on a transparent
    image of the document format. Coordinates are pixels of the format, x right, y down,
    origin top-left.
    """

    type_id = "nodecomp.Rectangle"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional background the rectangle is drawn over."),)
    params = (
        Vec2("corner0", default=(480.0, 270.0), pixels=True, doc="One corner of the rectangle, in pixels (x, y)."),
        Vec2("corner1", default=(1440.0, 810.0), pixels=True, doc="The opposite corner, in pixels (x, y)."),
        Float("softness", default=0.0, min=0.0, slider_max=200.0, pixels=True,
              doc="Width of the edge ramp inside the rectangle, in pixels; 0 is a clean antialiased edge."),
        Choice("falloff", default="linear", choices=FALLOFFS,
               doc="Shape of the soft edge: linear, or smooth (smoothstep)."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA of the inside, premultiplied, working colour space."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the shape's colour and alpha."),
        Bool("invert", default=False, doc="Draw outside the rectangle instead of inside."),
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
    def compute(ctx: EvalContext, source: Image | None, corner0: tuple[float, float], corner1: tuple[float, float],
                softness: float, falloff: str, color: tuple[float, ...], opacity: float, invert: bool) -> Image:
        """Rasterise the rectangle on its bounding box and put it over the source."""
        canvas = draw_box(ctx, source)
        bounds = Box(
            math.floor(min(corner0[0], corner1[0])), math.floor(min(corner0[1], corner1[1])),
            math.ceil(max(corner0[0], corner1[0])), math.ceil(max(corner0[1], corner1[1])),
        ).intersect(canvas)
        paint = shape_paint(rectangle_coverage(bounds, corner0, corner1, softness, falloff), color, opacity, invert)
        outside = tuple(float(c) * opacity for c in color) if invert else None
        return paint_image(ctx, source, paint, bounds, outside)
