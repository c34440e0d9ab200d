"""FrameRange: limit a clip to a range of frames, black or held outside it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Image, Input, Int, NodeType, Request
from nodecomp.nodes.util.black import black_frame, format_fingerprint

OUTSIDE = ("black", "hold")


def limited_frame(frame: float, params: Mapping[str, Any]) -> float | None:
    """The input frame shown at `frame`: itself inside the range, the nearest end when holding, else None."""
    first, last = params["first_frame"], params["last_frame"]
    if last < first:
        return None
    if first <= frame <= last:
        return frame
    if params["outside"] == "hold":
        return float(first if frame < first else last)
    return None


class FrameRange(NodeType):
    """Keeps the input only between `first_frame` and `last_frame` (inclusive).

    Inside the range the input is forwarded untouched. Outside it, `outside` black gives a
    transparent black RGBA frame in the document format (the input is not rendered at all),
    and hold shows the nearest end frame (forwarded at that frame, so its cache entry is
    shared). A last frame before the first is an error.
    """

    type_id = "nodecomp.FrameRange"
    version = 1
    category = "Time"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The clip to limit."),)
    params = (
        Int("first_frame", default=1, doc="First frame kept."),
        Int("last_frame", default=100, doc="Last frame kept (inclusive)."),
        Choice("outside", default="black", choices=OUTSIDE,
               doc="Outside the range: black, or hold the nearest end frame."),
    )

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """The input, wherever it is shown (see `input_requests`)."""
        return "source"

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The input at the limited frame; nothing outside a black range."""
        frame = limited_frame(request.frame, params)
        return {"source": None if frame is None else request.at(frame)}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """Black frames take the document format."""
        return format_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, first_frame: int, last_frame: int, outside: str) -> Image:
        """Reached outside a black range (or with the input unconnected): a black frame."""
        if last_frame < first_frame:
            raise ctx.error(f"the range {first_frame}-{last_frame} ends before it starts",
                            hint="set last_frame at or after first_frame")
        if source is None and first_frame <= ctx.frame <= last_frame:
            raise ctx.error("input 'source' is not connected")
        return black_frame(ctx)
