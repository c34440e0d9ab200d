"""Mirror: flip the image left-right and/or top-bottom about the centre of its format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, EvalContext, Image, Input, NodeType, Request


def mirrored_window(data: Box, display: Box, horizontal: bool, vertical: bool) -> Box:
    """Where the data window lands when mirrored about the display window's centre lines.

    A position x becomes display.x0 + display.x1 - x, so the box [x0, x1) becomes
    [dx0 + dx1 - x1, dx0 + dx1 - x0), and likewise for y.
    """
    x0, x1, y0, y1 = data.x0, data.x1, data.y0, data.y1
    if horizontal:
        x0, x1 = display.x0 + display.x1 - data.x1, display.x0 + display.x1 - data.x0
    if vertical:
        y0, y1 = display.y0 + display.y1 - data.y1, display.y0 + display.y1 - data.y0
    return Box(x0, y0, x1, y1)


class Mirror(NodeType):
    """Flips the image about the centre lines of its format, like Nuke's Mirror.

    `horizontal` swaps left and right (oiiotool --flop), `vertical` swaps top and bottom
    (oiiotool --flip); both together turn the picture by 180 degrees. A position x becomes
    x0 + x1 - x of the format (display window), so the data window is mirrored too and
    stays outside the format if it was. Pixels are only reordered, never filtered; with
    neither flag set the node passes its input through.

    For a region of interest the input is asked for everything (the mirror line is the input's
    format, unknown until it is computed) and the result cut to the region. At a proxy scale the
    mirror line is the reduced format's: the picture equals the full one reduced when the
    format's width (height) is a multiple of the proxy factor, else it is a proxy pixel off.
    """

    type_id = "nodecomp.Mirror"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to mirror."),)
    params = (
        Bool("horizontal", default=True, doc="Swap left and right (a flop)."),
        Bool("vertical", default=False, doc="Swap top and bottom (a flip)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Neither direction: nothing to do."""
        return "source" if not params["horizontal"] and not params["vertical"] else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """Everything, at the request's scale: where the region comes from depends on the input's format."""
        return {"source": request.with_region(None)}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, horizontal: bool, vertical: bool) -> Image:
        """Reverse rows and/or columns and mirror the data window."""
        pixels = source.pixels
        if horizontal:
            pixels = pixels[:, ::-1]
        if vertical:
            pixels = pixels[::-1]
        window = mirrored_window(source.data_window, source.display_window, horizontal, vertical)
        return source.with_pixels(np.ascontiguousarray(pixels), data_window=window)
