"""TimeOffset: slide the input in time by a whole number of frames."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, Int, NodeType, Request


class TimeOffset(NodeType):
    """Shifts the clip later by `offset` frames: output frame f shows input frame f - offset.

    A positive offset makes the clip start later (input frame 1 appears at frame 1 + offset),
    a negative one earlier. The input is forwarded at the shifted frame untouched, so it
    keeps its cache key for that frame and nothing is computed twice. Offset 0 passes the
    input through.
    """

    type_id = "nodecomp.TimeOffset"
    version = 1
    category = "Time"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The clip to shift."),)
    params = (Int("offset", default=0, doc="Frames to move the clip later (negative: earlier)."),)

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """Always the input, at the shifted frame."""
        return "source"

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The input at frame - offset."""
        return {"source": request.at(request.frame - params["offset"])}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, offset: int) -> Image:
        """Not reached while the input is forwarded; kept for the engine's contract."""
        return source
