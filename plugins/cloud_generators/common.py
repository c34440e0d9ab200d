"""What the generator nodes share: their job and placement params, and serving a frame of a result.

Every numeric param here is fixed (not animatable): a generation is one task for the whole
clip, so a keyed seed or duration would quietly order one paid generation per frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Int, ParamSpec, Request, String
from plugins.cloud_generators.errors import CloudError
from plugins.cloud_generators.frames import Fit, Outside, black, decoded_clip, read_media, source_index, to_image
from plugins.cloud_generators.request import SRGB, GenerationRequest, encode_input
from plugins.cloud_generators.runner import JobSettings, PollPolicy, ensure_generated
from plugins.cloud_generators.service import Service
from plugins.cloud_generators.store import MediaStore, Record


class FixedInt(Int):
    """An integer that cannot be keyed or driven by an expression."""

    animatable = False


class FixedFloat(Float):
    """A number that cannot be keyed or driven by an expression."""

    animatable = False


class FixedBool(Bool):
    """A switch that cannot be keyed or driven by an expression."""

    animatable = False


def placement_params() -> tuple[ParamSpec, ...]:
    """How a result lands in the comp: when, what outside the clip, how sized, which colour space."""
    return (
        FixedInt("start_frame", default=1, doc="Document frame showing the clip's first frame."),
        Choice("outside", choices=tuple(o.value for o in Outside),
               doc="Frames before or after the clip: hold the first or last frame, or black."),
        Choice("fit", choices=tuple(f.value for f in Fit),
               doc="Placing a result of another size in the format: fit inside, fill (crop), stretch, "
                   "or none (native size, centred)."),
        String("colorspace", default=SRGB,
               doc="Colour space of the service's images (OCIO name); frames are converted to the working "
                   "space, and the input frame is converted to it before upload."),
    )


def job_params(cost_name: str, cost_doc: str) -> tuple[ParamSpec, ...]:
    """Polling, timeout, cost limit and cancel behaviour (not part of the generation's cache key)."""
    return (
        FixedFloat(cost_name, default=0.0, min=0.0, doc=cost_doc),
        FixedFloat("poll_interval", default=5.0, min=0.001,
                   doc="Seconds before the first status poll; later polls back off by 1.5x."),
        FixedFloat("poll_max", default=30.0, min=0.001, doc="Longest wait between polls, in seconds."),
        FixedFloat("timeout", default=1200.0, min=0.01,
                   doc="Seconds to wait for a result before giving up this render; the task keeps running "
                       "at the service and the next render resumes it."),
        FixedBool("cancel_remote", default=False,
                  doc="When a render is cancelled, also cancel the task at the service (otherwise it keeps "
                      "running and the next render downloads it)."),
        FixedBool("allow_submit", default=True,
                  doc="Off: only results already in the media folder are used and no new task is ever "
                      "submitted (lock a comp before farming it out)."),
    )


def settings(params: Mapping[str, Any], cost_name: str) -> JobSettings:
    """The job settings from a node's params."""
    return JobSettings(
        policy=PollPolicy(first=float(params["poll_interval"]), maximum=float(params["poll_max"]),
                          timeout=float(params["timeout"])),
        max_cost=float(params[cost_name]),
        cancel_remote=bool(params["cancel_remote"]),
        allow_submit=bool(params["allow_submit"]),
    )


def input_request(params: Mapping[str, Any]) -> Request:
    """The whole input frame at `input_frame`, whatever region the viewer asks for."""
    return Request(float(params["input_frame"]))


def build_request(
    ctx: EvalContext, service: str, operation: str, model: str, arguments: Mapping[str, Any],
    image: Image | None, colorspace: str,
) -> GenerationRequest:
    """A request, with the input frame encoded as the service will receive it."""
    encoded, mime = encode_input(ctx, image, colorspace or SRGB) if image is not None else (None, "image/png")
    return GenerationRequest(service, operation, model, dict(arguments), encoded, mime)


def generated_frame(
    ctx: EvalContext, service: Service, request: GenerationRequest, params: Mapping[str, Any], cost_name: str,
) -> Image:
    """The frame of a generation's result at `ctx.frame` (generating it first if the media folder has none)."""
    store = MediaStore(ctx.document_dir)
    try:
        record = ensure_generated(service, request, store, settings(params, cost_name), ctx)
        metadata = result_metadata(ctx, record, store)
        return serve(ctx, record, params, metadata)
    except CloudError as exc:
        raise ctx.error(exc.reason, path=exc.path, hint=exc.hint) from None


def result_metadata(ctx: EvalContext, record: Record, store: MediaStore) -> dict[str, Any]:
    """What the result was made with, carried downstream (and written by Write nodes)."""
    data = record.data
    arguments = data.get("arguments") or {}
    metadata: dict[str, Any] = {
        "cloud/service": str(data.get("service", "")),
        "cloud/model": str(data.get("model", "")),
        "cloud/operation": str(data.get("operation", "")),
        "cloud/prompt": str(arguments.get("prompt_text", arguments.get("prompt", data.get("prompt", "")))),
        "cloud/media": _relative(ctx, record.media_path),
        "cloud/sha256": record.sha256,
    }
    seed = arguments.get("seed", arguments.get("take", data.get("seed")))
    if seed is not None:
        metadata["cloud/seed"] = int(seed)
    if data.get("task_id"):
        metadata["cloud/task_id"] = str(data["task_id"])
    return metadata


def serve(ctx: EvalContext, record: Record, params: Mapping[str, Any], metadata: dict[str, Any]) -> Image:
    """One frame of a video result (nearest source frame) or the held image result."""
    colorspace = str(params.get("colorspace", SRGB))
    fit = str(params.get("fit", Fit.FIT))
    if not record.is_video:
        return to_image(ctx, read_media(record.media_path), colorspace, fit, metadata)
    clip = decoded_clip(record.media_path)
    fps = float(ctx.metadata.get("fps") or 24.0)
    index = source_index(clip, ctx.frame, int(params.get("start_frame", 1)), fps, str(params.get("outside", "hold")))
    metadata = {**metadata, "cloud/source_fps": clip.fps, "cloud/source_frames": clip.count}
    if index is None:
        return black(ctx, metadata)
    metadata["cloud/source_frame"] = index
    return to_image(ctx, read_media(clip.frame_path(index)), colorspace, fit, metadata)


def _relative(ctx: EvalContext, path: Any) -> str:
    try:
        return str(path.relative_to(ctx.document_dir))
    except ValueError:
        return str(path)
