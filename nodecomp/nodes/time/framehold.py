"""FrameHold: show one frame of the input (or every Nth) whatever frame is asked for."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, Int, NodeType, Request


def held_frame(frame: float, first_frame: int, increment: int) -> float:
    """The input frame shown at output `frame`.

    increment 0 holds `first_frame` for ever; increment N holds first_frame + k N for the N
    frames from there (first_frame + floor((frame - first_frame) / N) N), as Nuke does.
    """
    if increment <= 0:
        return float(first_frame)
    return float(first_frame + math.floor((frame - first_frame) / increment) * increment)


class FrameHold(NodeType):
    """Freezes the input on `first_frame`, or on every `increment`-th frame from it (Nuke's FrameHold).

    With increment 0 every output frame shows input frame `first_frame`. With increment N
    the output steps: frames first_frame .. first_frame + N - 1 show first_frame, the next N
    show first_frame + N, and so on (also before first_frame). The node forwards its input
    at the held frame untouched: every output frame of one hold has the input's cache key
    for that frame, so the input is rendered once per hold and everything downstream is
    shared across those frames.
    """

    type_id = "nodecomp.FrameHold"
    version = 1
    category = "Time"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The clip to hold."),)
    params = (
        Int("first_frame", default=1, doc="The input frame shown (the first held frame when increment > 0)."),
        Int("increment", default=0, min=0, doc="Hold every Nth frame from first_frame; 0 holds first_frame for ever."),
    )

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """Always the input, at the held frame."""
        return "source"

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The input at the held frame."""
        return {"source": request.at(held_frame(request.frame, params["first_frame"], params["increment"]))}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, first_frame: int, increment: int) -> Image:
        """Not reached while the input is forwarded; kept for the engine's contract."""
        return source
