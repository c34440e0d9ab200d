"""LEDWallPreview: the canvas with the wall's pixel map over it, for checking content against cabinets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Bool, Box, Choice, EvalContext, Float, Image, Input, NodeType, Path
from plugins.led_wall.canvas import Fit, canvas_rgb
from plugins.led_wall.overlay import draw_overlay
from plugins.led_wall.settings import Overrides, load_wall, wall_fingerprint

DISPLAY_SPACE = "sRGB Encoded Rec.709 (sRGB)"


class LEDWallPreview(NodeType):
    """Shows the input canvas with the wall's pixel map laid over it: cabinets, ports, cabling, ids.

    The output is the canvas size (panel count x stated pixels per wall), in the working
    space, opaque. Each cabinet is tinted by its output port and labelled with its column,
    row, port and chain position; arrows follow each port's daisy chain from the processor;
    missing cabinets are grey and crossed out, cabinets split across raster segments are
    outlined in red, undriven ones in magenta. Overlay colours are sRGB display values
    converted to the working space, so they look the same whatever the comp's space. The
    cache key includes the wall file's path, size and modification time.
    """

    type_id = "led_wall.LEDWallPreview"
    version = 1
    category = "LED Wall"
    inputs = (Input("source", doc="The wall canvas."),)
    params = (
        Path("wall", doc="Wall definition file (.json, or .yaml)."),
        Float("opacity", default=0.8, min=0.0, max=1.0, doc="How strongly the overlay covers the picture."),
        Bool("labels", default=True, doc="Write cabinet column/row and port/chain numbers."),
        Bool("arrows", default=True, doc="Draw the cabling arrows along each port's chain."),
        Choice("fit", choices=tuple(f.value for f in Fit),
               doc="exact: the input must be the canvas size; stretch: resample it to the canvas."),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The wall file's path, size and modification time."""
        return wall_fingerprint(ctx.resolve_path(params["wall"]) if params["wall"] else "")

    @staticmethod
    def compute(ctx: EvalContext, source: Image, wall: str, opacity: float, labels: bool, arrows: bool,
                fit: str) -> Image:
        """The canvas with the overlay composited over it."""
        loaded = load_wall(ctx.resolve_path(wall) if wall else "", Overrides())
        width, height = loaded.plan.canvas
        pixels, rgb = canvas_rgb(ctx, source, width, height, fit)
        layer = draw_overlay(loaded.plan, labels=labels, arrows=arrows)
        colour = np.ascontiguousarray(layer[..., :3], dtype=np.float32) / np.float32(255.0)
        colour = ctx.colour.convert(colour, DISPLAY_SPACE, source.colorspace or ctx.working_space, [0, 1, 2])
        cover = layer[..., 3:4].astype(np.float32) * np.float32(opacity / 255.0)
        out = np.empty((height, width, 4), np.float32)
        picture = out[..., :3]
        picture[...] = pixels[..., rgb]
        colour -= picture
        colour *= cover
        picture += colour  # picture + cover * (overlay - picture): exact where the overlay is clear
        out[..., 3] = 1.0
        box = Box(0, 0, width, height)
        return Image(out, RGBA, box, box, metadata=source.metadata, colorspace=source.colorspace or ctx.working_space)
