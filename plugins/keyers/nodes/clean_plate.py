"""CleanPlate: the screen without the performer, built from the plate itself."""

from __future__ import annotations

import numpy as np

from nodecomp.api import Choice, Color, EvalContext, Float, Image, Input, Int, NodeType, Vec2
from plugins.keyers import cleanplate
from plugins.keyers.choices import ScreenMode, values
from plugins.keyers.cleanplate import FillMethod
from plugins.keyers.difference import raw_matte
from plugins.keyers.images import assemble, matte_plane, rgb_planes
from plugins.keyers.nodes.difference_keyer import screen_colour

_BALANCE = 0.5


class CleanPlate(NodeType):
    """Builds a clean plate: the plate's screen pixels, with the performer's area filled in.

    A pixel counts as screen when a rough colour-difference key (1 - d(I) / d(S), balance 0.5)
    is below `threshold`, or, when a matte is connected, where that matte's alpha is below it;
    the performer and `grow` more pixels around it are then filled from the surrounding
    screen, at `scale` of the plate's resolution: smooth (push-pull, follows lighting falloff)
    or inpaint (Navier-Stokes, continues seams and markers), and blurred by `smoothness` plate
    pixels to even out grain. Connect the result to a DifferenceKeyer's clean_plate input so
    the key follows uneven screen lighting. Output: RGB with an opaque alpha.
    """

    type_id = "keyers.CleanPlate"
    version = 1
    category = "Keyer"
    inputs = (
        Input("source", doc="The screen plate with the performer in it."),
        Input("matte", optional=True, doc="A matte of the performer (its alpha) used instead of the rough key."),
    )
    params = (
        Choice("screen_mode", choices=values(ScreenMode),
               doc="auto: estimate the screen colour in the region; picked: use screen_color."),
        Color("screen_color", default=(0.07, 0.40, 0.10, 1.0), min=0.0,
              doc="The screen colour (scene-linear RGB) when screen_mode is picked."),
        Vec2("region_min", default=(0.0, 0.0), min=0.0, max=1.0,
             doc="Top-left corner of the auto region, in fractions of the plate's width and height."),
        Vec2("region_max", default=(1.0, 1.0), min=0.0, max=1.0,
             doc="Bottom-right corner of the auto region, in fractions of the plate's width and height."),
        Float("threshold", default=0.3, min=0.0, max=1.0,
              doc="Pixels keyed (or matted) at or above this are performer and get filled."),
        Int("grow", default=8, min=0, max=500, doc="Pixels added around the performer before filling."),
        Choice("method", choices=values(FillMethod), doc="smooth (push-pull) or inpaint (Navier-Stokes)."),
        Float("scale", default=0.25, min=0.05, max=1.0, doc="Working resolution as a fraction of the plate."),
        Float("smoothness", default=8.0, min=0.0, doc="Blur sigma in plate pixels applied to the result."),
    )

    @staticmethod
    def compute(ctx: EvalContext, source: Image, matte: Image | None, screen_mode: str,
                screen_color: tuple[float, ...], region_min: tuple[float, float], region_max: tuple[float, float],
                threshold: float, grow: int, method: str, scale: float, smoothness: float) -> Image:
        """Mark screen pixels, fill the rest, smooth."""
        rgb = rgb_planes(source)
        if matte is not None:
            try:
                performer = matte_plane(matte, source.data_window)
            except ValueError as exc:
                raise ctx.error(str(exc), hint="connect a keyer's output or a one-channel matte") from None
        else:
            nominal = screen_colour(ctx, rgb, screen_mode, screen_color, region_min, region_max, _BALANCE)
            performer = raw_matte(rgb, nominal, balance=_BALANCE, gain=1.0)
        known = cleanplate.screen_mask(performer, threshold, grow)
        if not np.any(known > 0):
            raise ctx.error("no pixel of the plate looks like screen, so there is nothing to build a clean plate from",
                            hint="lower the threshold or the grow, or check the screen colour")
        ctx.check_cancelled()
        plate = cleanplate.build(rgb, known, method=method, scale=scale, smoothness=smoothness)
        return assemble(source, plate, np.ones(plate.shape[:2], np.float32))
