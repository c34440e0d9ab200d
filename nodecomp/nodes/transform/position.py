"""Position: move the image by whole pixels, shifting its data window without resampling."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nodecomp.api import Box, EvalContext, Image, Input, NodeType, Request, Vec2


def whole_pixels(translate: tuple[float, float]) -> tuple[int, int]:
    """`translate` rounded to whole pixels, halves away from zero (-0.5 -> -1, 0.5 -> 1)."""
    return tuple(int(math.copysign(math.floor(abs(v) + 0.5), v)) for v in translate)  # type: ignore[return-value]


class Position(NodeType):
    """Moves the image by a whole number of pixels, like Nuke's Position node.

    `translate` is rounded to whole pixels (halves away from zero), so an animated
    translate steps from pixel to pixel and never softens the picture. Only the data window
    moves: pixels are shared with the input, nothing is copied or filtered, and the data
    window may leave the format (nothing is clipped, so moving back restores every pixel).
    A positive y moves the image down. A zero offset passes the input through.

    For a region of interest the input is asked for the region moved back. At a proxy scale
    1/n the translate is scaled and rounded to whole proxy pixels: exact when it is a multiple
    of n pixels, otherwise up to half a proxy pixel off (the full picture reduced is then a
    mix of neighbouring proxy pixels).
    """

    type_id = "nodecomp.Position"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to move."),)
    params = (
        Vec2("translate", default=(0.0, 0.0), pixels=True,
             doc="Offset in pixels (x right, y down), rounded to whole pixels."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An offset that rounds to zero moves nothing."""
        return "source" if whole_pixels(params["translate"]) == (0, 0) else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The region moved back by the offset (whole pixels at the request's scale)."""
        region = request.region
        if region is None:
            return {"source": request}
        dx, dy = (d * request.step for d in whole_pixels(params["translate"]))
        return {"source": request.with_region(Box(region.x0 - dx, region.y0 - dy, region.x1 - dx, region.y1 - dy))}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, translate: tuple[float, float]) -> Image:
        """Shift the data window; the pixels are the input's own."""
        dx, dy = whole_pixels(translate)
        data = source.data_window
        moved = Box(data.x0 + dx, data.y0 + dy, data.x1 + dx, data.y1 + dy)
        return source.with_pixels(source.pixels, data_window=moved)
