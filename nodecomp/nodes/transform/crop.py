"""Crop: keep a box of the image, with soft or anti-aliased edges, optionally as the new format."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.api import Bool, Box, EvalContext, Float, Image, Input, NodeType, Request, Vec2


def box_window(top_left: tuple[float, float], bottom_right: tuple[float, float]) -> Box:
    """The whole pixels a (possibly fractional) crop box touches: floor of the start, ceil of the end."""
    return Box(math.floor(top_left[0]), math.floor(top_left[1]), math.ceil(bottom_right[0]),
               math.ceil(bottom_right[1]))


def edge_weights(start: float, end: float, first: int, count: int, softness: float) -> np.ndarray:
    """Per-pixel weight along one axis for pixels first..first+count-1 and the span [start, end).

    The weight is the fraction of each pixel inside the span (anti-aliased fractional edges),
    times a smoothstep ramp rising from 0 at an edge to 1 at `softness` pixels inside it,
    measured from the pixel centre. softness 0 gives hard (coverage-only) edges.
    """
    lo = np.arange(first, first + count, dtype=np.float64)
    coverage = np.clip(np.minimum(lo + 1.0, end) - np.maximum(lo, start), 0.0, 1.0)
    if softness > 0.0:
        centre = lo + 0.5
        inside = np.minimum(centre - start, end - centre) / softness
        t = np.clip(inside, 0.0, 1.0)
        coverage = coverage * t * t * (3.0 - 2.0 * t)
    return coverage.astype(np.float32)


class Crop(NodeType):
    """Keeps the pixels inside a box and makes everything outside black (Nuke's Crop).

    The box runs from `top_left` (x0, y0) to `bottom_right` (x1, y1), in pixels with y down;
    fractional edges give partially covered edge pixels (weight = covered fraction). With
    `softness` s > 0 the image also fades to black towards the box edges: a pixel at distance
    d (from its centre to the nearest edge, per axis) is multiplied by smoothstep(d / s) for
    each axis. Every channel is multiplied alike, which is right for premultiplied images.

    The output data window is the input's data window intersected with the box's pixels.
    With `reformat` on, the box becomes the new format: the display window is the box size
    at the origin and the pixels are moved by (-floor(x0), -floor(y0)). With `black_outside`
    off, the cropped picture's edge pixels are repeated outward to fill the format instead of
    leaving black (Nuke's behaviour without its black-outside border). A box whose end is
    before its start is an error; an all-covering box with no softness passes through.
    """

    type_id = "nodecomp.Crop"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to crop."),)
    params = (
        Vec2("top_left", default=(0.0, 0.0), pixels=True, doc="Box start (x0, y0) in pixels; y points down."),
        Vec2("bottom_right", default=(1920.0, 1080.0), pixels=True, doc="Box end (x1, y1) in pixels, exclusive."),
        Float("softness", default=0.0, min=0.0, slider_max=100.0, pixels=True,
              doc="Width in pixels of a smooth fade to black inside the box edges."),
        Bool("reformat", default=False, doc="Make the box the output format, moved to the origin."),
        Bool("black_outside", default=True,
             doc="Black outside the box; off repeats the edge pixels outward to fill the format."),
    )

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The region itself, moved back by the box's corner with `reformat`; everything for edge repeats."""
        region = request.region
        if region is None or not params["black_outside"]:
            return {"source": request.with_region(None) if region is not None else request}
        if params["reformat"]:
            box = box_window(params["top_left"], params["bottom_right"])
            dx, dy = box.x0 * request.step, box.y0 * request.step
            return {"source": request.with_region(Box(region.x0 + dx, region.y0 + dy, region.x1 + dx, region.y1 + dy))}
        return {"source": request}

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        top_left: tuple[float, float],
        bottom_right: tuple[float, float],
        softness: float,
        reformat: bool,
        black_outside: bool,
    ) -> Image:
        """Cut the data window to the box, weight the edges, then place the result."""
        if bottom_right[0] < top_left[0] or bottom_right[1] < top_left[1]:
            raise ctx.error(
                f"the crop box ends before it starts ({top_left} to {bottom_right})",
                hint="make bottom_right at least top_left on both axes",
            )
        box = box_window(top_left, bottom_right)
        window = source.data_window.intersect(box)
        display = source.display_window
        if reformat:
            display = Box(0, 0, box.width, box.height)
        exact = top_left == (float(box.x0), float(box.y0)) and bottom_right == (float(box.x1), float(box.y1))
        if window == source.data_window and exact and softness == 0.0 and not reformat and black_outside:
            return source
        rows = slice(window.y0 - source.data_window.y0, window.y1 - source.data_window.y0)
        cols = slice(window.x0 - source.data_window.x0, window.x1 - source.data_window.x0)
        pixels = source.pixels[rows, cols]
        if (not exact or softness > 0.0) and not window.is_empty:
            wx = edge_weights(top_left[0], bottom_right[0], window.x0, window.width, softness)
            wy = edge_weights(top_left[1], bottom_right[1], window.y0, window.height, softness)
            pixels = pixels * (wy[:, None, None] * wx[None, :, None])
        else:
            pixels = np.ascontiguousarray(pixels)
        if reformat:
            window = Box(window.x0 - box.x0, window.y0 - box.y0, window.x1 - box.x0, window.y1 - box.y0)
        result = source.replace(pixels=pixels, data_window=window, display_window=display)
        if not black_outside and not window.is_empty:
            result = extend_edges(result, display)
        return result


def extend_edges(image: Image, target: Box) -> Image:
    """`image` with its edge pixels repeated outward so its data window covers `target`."""
    data = image.data_window
    grown = data.union(target)
    top, left = data.y0 - grown.y0, data.x0 - grown.x0
    bottom, right = grown.y1 - data.y1, grown.x1 - data.x1
    if not (top or left or bottom or right):
        return image
    channels = image.pixels.shape[2]
    if channels <= 4:
        padded = cv2.copyMakeBorder(image.pixels, top, bottom, left, right, cv2.BORDER_REPLICATE)
        padded = padded.reshape(grown.height, grown.width, channels)
    else:
        padded = np.pad(image.pixels, ((top, bottom), (left, right), (0, 0)), mode="edge")
    return image.replace(pixels=padded, data_window=grown)
