"""AppendClip: play several clips one after another."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Image, Input, Int, NodeType, ParamSpec, Request
from nodecomp.nodes.util.black import black_frame, format_fingerprint

CLIPS = 8
OUTSIDE = ("black", "hold")


def clip_params(index: int) -> tuple[ParamSpec, ...]:
    """The first/last frame params of clip `index` (1-based)."""
    return (
        Int(f"clip{index}_first", default=1, doc=f"First frame of clip {index} that is played."),
        Int(f"clip{index}_last", default=100, doc=f"Last frame of clip {index} that is played (inclusive)."),
    )


class ClipRangeError(ValueError):
    """A clip whose last frame is before its first."""


def clip_at(frame: float, params: Mapping[str, Any]) -> tuple[int, float] | None:
    """(clip index, input frame) shown at output `frame`; None for black outside the edit.

    Clips 1..`clips` follow each other from `first_frame`; clip k lasts last - first + 1
    frames and plays from its first frame.

    Raises:
        ClipRangeError: a clip's last frame is before its first.
    """
    start = params["first_frame"]
    count = params["clips"]
    for index in range(1, count + 1):
        first, last = params[f"clip{index}_first"], params[f"clip{index}_last"]
        if last < first:
            raise ClipRangeError(f"clip{index} range {first}-{last} ends before it starts")
    if frame < start:
        return (1, float(params["clip1_first"])) if params["outside"] == "hold" else None
    for index in range(1, count + 1):
        first, last = params[f"clip{index}_first"], params[f"clip{index}_last"]
        length = last - first + 1
        if frame < start + length:
            return index, first + (frame - start)
        start += length
    return (count, float(params[f"clip{count}_last"])) if params["outside"] == "hold" else None


def _safe_clip_at(frame: float, params: Mapping[str, Any]) -> tuple[int, float] | None:
    try:
        return clip_at(frame, params)
    except ClipRangeError:
        return None  # compute reports it with the node and frame


class AppendClip(NodeType):
    """Plays clips 1..`clips` one after another from `first_frame` (Nuke's AppendClip).

    Clip k contributes its frames clip{k}_first .. clip{k}_last (inclusive), so the edit is
    the sum of those lengths. Output frame f inside clip k's slot shows that input at
    clip{k}_first + (f - slot start), forwarded untouched so its cache key is kept. An
    unconnected clip in the edit plays as a black gap of its length. Before and after the
    edit `outside` gives black (transparent, document format) or holds the first frame of
    clip 1 / the last frame of the last clip. Up to 8 clips; a clip range that ends before it
    starts is an error.
    """

    type_id = "nodecomp.AppendClip"
    version = 1
    category = "Time"
    supports_region = True
    supports_scale = True
    inputs = tuple(Input(f"clip{i}", optional=True, doc=f"Clip {i} of the edit.") for i in range(1, CLIPS + 1))
    params = (
        Int("first_frame", default=1, doc="Output frame at which clip 1 starts."),
        Int("clips", default=2, min=1, max=CLIPS, doc="How many inputs are in the edit, from clip1."),
        *(spec for index in range(1, CLIPS + 1) for spec in clip_params(index)),
        Choice("outside", default="black", choices=OUTSIDE,
               doc="Before and after the edit: black, or hold the first / last frame."),
    )

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """The clip playing at this frame."""
        found = _safe_clip_at(request.frame, params)
        return f"clip{found[0]}" if found is not None else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """Only the clip playing, at its own frame."""
        found = _safe_clip_at(request.frame, params)
        wanted: dict[str, Any] = {spec.name: None for spec in cls.inputs}
        if found is not None:
            wanted[f"clip{found[0]}"] = request.at(found[1])
        return wanted

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """Black frames take the document format."""
        return format_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, **arguments: Any) -> Image:
        """Reached for black (outside the edit, or an unconnected clip): a black frame."""
        inputs = {spec.name for spec in AppendClip.inputs}
        params = {k: v for k, v in arguments.items() if k not in inputs}
        try:
            clip_at(ctx.frame, params)
        except ClipRangeError as exc:
            raise ctx.error(str(exc), hint="set each clip's last frame at or after its first") from None
        return black_frame(ctx)
