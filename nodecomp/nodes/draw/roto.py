"""Roto: animated closed Bezier shapes rasterised into a matte, with feather, opacity and invert."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, Choice, Color, EvalContext, Float, Image, Input, NodeType, String
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, nothing_drawn, paint_image
from nodecomp.nodes.draw.profiles import FALLOFFS
from nodecomp.nodes.draw.raster import feathered, polygon_coverage
from nodecomp.nodes.draw.rectangle import shape_paint
from nodecomp.nodes.draw.roto_shapes import Shape, ShapeError, flatten, parse_shapes


def shape_coverage(shape: Shape, frame: float, canvas: Box, feather: float, falloff: str,
                   scale: float = 1.0) -> tuple[np.ndarray, Box]:
    """One shape's coverage at `frame` (times its opacity) on the part of `canvas` it touches.

    Args:
        shape: the parsed shape.
        frame: the frame to interpolate its keys at.
        canvas: the drawing area (absolute pixels, at `scale`).
        feather: the node's feather in pixels (at `scale`); the shape's own is added, scaled.
        falloff: shape of the feather ramp.
        scale: proxy scale: the shape's points and own feather (full-resolution pixels) are
            multiplied by it.

    Returns:
        (coverage, box): float32 (box.height, box.width) and its box inside the canvas.
    """
    polygon = flatten(shape.at(frame))
    if scale != 1.0:
        polygon = polygon * scale
    width = feather + shape.feather * scale
    margin = math.ceil(width) + 1
    bounds = Box(math.floor(polygon[:, 0].min()), math.floor(polygon[:, 1].min()),
                 math.ceil(polygon[:, 0].max()), math.ceil(polygon[:, 1].max()))
    # Rasterise a little beyond the canvas so a feather near its edge still sees the shape outside it.
    raster = bounds.padded(margin).intersect(canvas.padded(margin))
    if raster.is_empty:  # wholly off the canvas, feather included
        return np.zeros((0, 0), np.float32), Box(canvas.x0, canvas.y0, canvas.x0, canvas.y0)
    coverage = polygon_coverage(polygon, raster)
    if width > 0.0:
        coverage = feathered(coverage, width, falloff)
    if shape.opacity != 1.0:
        coverage *= np.float32(shape.opacity)
    box = raster.intersect(canvas)
    return coverage[box.y0 - raster.y0:box.y1 - raster.y0, box.x0 - raster.x0:box.x1 - raster.x0], box


def roto_coverage(shapes: tuple[Shape, ...], frame: float, canvas: Box, feather: float,
                  falloff: str, scale: float = 1.0) -> tuple[np.ndarray, Box]:
    """All shapes combined in order: `over` gives m + s - m s, `subtract` gives m (1 - s).

    `scale` is the proxy scale the shapes are drawn at (see `shape_coverage`).

    Returns:
        (coverage, box): float32 coverage on the smallest box of the canvas holding any shape.
    """
    parts = [(shape, *shape_coverage(shape, frame, canvas, feather, falloff, scale)) for shape in shapes]
    union = Box(canvas.x0, canvas.y0, canvas.x0, canvas.y0)
    for _, _, box in parts:
        union = union.union(box)
    combined = np.zeros((union.height, union.width), np.float32)
    for shape, coverage, box in parts:
        if box.is_empty:
            continue
        target = combined[box.y0 - union.y0:box.y1 - union.y0, box.x0 - union.x0:box.x1 - union.x0]
        if shape.operation == "subtract":
            target *= 1.0 - coverage
        else:
            target += coverage * (1.0 - target)
    return combined, union


def _parsed(ctx: EvalContext, text: str) -> tuple[Shape, ...]:
    try:
        return parse_shapes(text)
    except ShapeError as exc:
        raise ctx.error(f"bad shapes: {exc}", hint="fix the shapes JSON (see the Roto documentation)") from None


class Roto(NodeType):
    """Draws closed Bezier shapes, animated by keys, into a matte or a coloured fill.

    `shapes` holds JSON (it round-trips through .ncomp files as text): a list of shapes, each
    with key frames of points `{"xy": [x, y], "in": [dx, dy], "out": [dx, dy]}` (handles
    relative to the point) or plain `[x, y]` corners; the segment between two points is the
    cubic Bezier xy_i, xy_i + out_i, xy_(i+1) + in_(i+1), xy_(i+1), and the last point joins the
    first. Every number is interpolated linearly between keys and held before the first and
    after the last. Per shape: `opacity`, extra `feather`, and `operation` over (union,
    m + s - m s) or subtract (m (1 - s)), applied in list order.

    Curves are flattened to 0.02 px and rasterised with exact horizontal coverage on 8 lines
    per pixel row (nonzero winding), so edges are antialiased and areas unbiased. `feather`
    ramps outward from the edge to 0 at that many pixels (by distance transform), shaped by
    `falloff`. Then coverage is inverted with `invert`, and out = color * opacity * coverage,
    premultiplied, over `source` when connected, else on a transparent image of the format.
    Coordinates are pixels, x right, y down, origin top-left. No motion blur.

    The cache key holds the shapes as they are at the frame, so a still roto is computed once
    for all frames. Malformed JSON is an error naming the JSON path of the bad field.

    For a region of interest only the region is rasterised (plus the feather's reach, so a
    feather sees the shape beyond the region's edge). At a proxy scale the points and feathers
    are scaled and the shapes rasterised on the proxy grid: hard edges match the full picture
    reduced to within the coverage sampling (1/16); a feather's distance to the edge is
    estimated to about half a proxy pixel, so a feathered edge may differ by up to about 0.35.
    """

    type_id = "nodecomp.Roto"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional background the shapes are drawn over."),)
    params = (
        String("shapes", default="", multiline=True,
               doc="The shapes as JSON: {\"shapes\": [{\"keys\": [{\"frame\": 1, \"points\": [[x, y], ...]}]}]}."),
        Float("feather", default=0.0, min=0.0, slider_max=100.0, pixels=True,
              doc="Width of the soft edge outside every shape, in pixels (added to each shape's own)."),
        Choice("falloff", default="smooth", choices=FALLOFFS,
               doc="Shape of the feather ramp: linear, or smooth (smoothstep)."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA inside the shapes, premultiplied."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the matte's colour and alpha."),
        Bool("invert", default=False, doc="Fill outside the shapes instead of inside."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Nothing drawn leaves the source as it is."""
        if nothing_drawn(params):
            return "source"
        return "source" if not params["shapes"].strip() and not params["invert"] else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The format, and the control points of animated shapes at this frame."""
        moving = tuple(
            tuple(shape.at(ctx.frame).ravel().tolist()) for shape in _parsed(ctx, params["shapes"]) if shape.animated
        )
        return (generator_fingerprint(ctx), moving or None)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, shapes: str, feather: float, falloff: str,
                color: tuple[float, ...], opacity: float, invert: bool) -> Image:
        """Rasterise the shapes at this frame and put them over the source."""
        canvas = draw_box(ctx, source)
        coverage, box = roto_coverage(_parsed(ctx, shapes), ctx.frame, canvas, feather, falloff, ctx.request.scale)
        paint = shape_paint(coverage, color, opacity, invert)
        outside = tuple(float(c) * opacity for c in color) if invert else None
        return paint_image(ctx, source, paint, box, outside)
