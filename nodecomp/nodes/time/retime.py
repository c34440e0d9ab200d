"""Retime: play the input faster, slower, backwards or along a keyed curve, with frame blending."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Float, Image, Input, Int, NodeType, Request
from nodecomp.nodes.util.mix import mix_images

TIMINGS = ("speed", "source_frame")
FILTERS = ("blend", "nearest")
_WHOLE = 1e-6  # source frames this close to a whole frame are that frame (float rounding)


def input_frame(frame: float, params: Mapping[str, Any]) -> float:
    """The input frame (possibly fractional) shown at output `frame`.

    speed timing: input_start + (frame - output_start) * speed. source_frame timing: the
    `source_frame` param itself (key it for speed ramps).
    """
    if params["timing"] == "source_frame":
        value = float(params["source_frame"])
    else:
        value = params["input_start"] + (frame - params["output_start"]) * params["speed"]
    nearest = round(value)
    return float(nearest) if abs(value - nearest) < _WHOLE else float(value)


def _frames(frame: float, params: Mapping[str, Any]) -> tuple[float, ...]:
    """The one or two whole input frames output `frame` reads."""
    value = input_frame(frame, params)
    if value.is_integer():
        return (value,)
    if params["filter"] == "nearest":
        return (float(math.floor(value + 0.5)),)
    below = float(math.floor(value))
    return (below, below + 1.0)


class Retime(NodeType):
    """Changes the clip's speed (Nuke's Retime), blending neighbouring frames for in-between times.

    With `timing` speed, output frame f shows input frame

        s = input_start + (f - output_start) * speed

    (speed 2 plays twice as fast, 0.5 half as fast, -1 backwards, 0 holds input_start). With
    `timing` source_frame, s is the `source_frame` param: key it to ramp the speed. When s
    falls between two frames, `filter` blend mixes them, (1 - t) * floor(s) + t * (floor(s) + 1)
    with t = s - floor(s), over the union of their data windows and channels; nearest shows
    the closer one (halves go up). When s is a whole frame the input is forwarded untouched
    at that frame, keeping its cache key. speed 1 with input_start = output_start passes
    the input through.
    """

    type_id = "nodecomp.Retime"
    version = 1
    category = "Time"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The clip to retime."),)
    params = (
        Choice("timing", default="speed", choices=TIMINGS,
               doc="speed: a constant rate from input_start; source_frame: the input frame is keyed directly."),
        Float("speed", default=1.0, slider_min=-4.0, slider_max=4.0,
              doc="Input frames per output frame (negative plays backwards, 0 holds)."),
        Int("input_start", default=1, doc="The input frame shown at output_start."),
        Int("output_start", default=1, doc="The output frame that shows input_start."),
        Float("source_frame", default=1.0, doc="With source_frame timing: the (fractional) input frame shown."),
        Choice("filter", default="blend", choices=FILTERS,
               doc="For in-between times: blend the two neighbouring frames, or show the nearest."),
    )

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """Forward the input when one whole input frame is shown."""
        return "source" if len(_frames(request.frame, params)) == 1 else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """One request per frame read: two of the same input for a blend."""
        frames = _frames(request.frame, params)
        if len(frames) == 1:
            return {"source": request.at(frames[0])}
        return {"source": tuple(request.at(f) for f in frames)}

    @staticmethod
    def compute(ctx: EvalContext, source: tuple[Image, Image], timing: str, speed: float, input_start: int,
                output_start: int, source_frame: float, filter: str) -> Image:
        """Blend the two frames around the source time."""
        params = {"timing": timing, "speed": speed, "input_start": input_start, "output_start": output_start,
                  "source_frame": source_frame}
        value = input_frame(ctx.frame, params)
        below, above = source
        return mix_images(below, above, value - math.floor(value))
