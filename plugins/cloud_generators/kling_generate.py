"""KlingGenerate: a Kling image-to-video or text-to-video clip (through fal.ai) in the graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Image, Input, NodeType, String
from plugins.cloud_generators import kling
from plugins.cloud_generators.common import (
    FixedFloat,
    FixedInt,
    build_request,
    generated_frame,
    input_request,
    job_params,
    placement_params,
)
from plugins.cloud_generators.request import request_key
from plugins.cloud_generators.store import MediaStore

COST = "max_cost_usd"


class KlingGenerate(NodeType):
    """Generates a clip with Kling (hosted by fal.ai, through fal-client) and serves it like a plate.

    image_to_video animates the input frame (taken at `input_frame`, sent as a data URI);
    text_to_video makes a clip from the prompt alone. The clip is served frame by frame: the
    source frame nearest each document frame at the document fps, from `start_frame` on,
    converted to the working space and placed in the format.

    Before submitting, the node reports fal.ai's price for the endpoint times the duration and
    refuses to submit above `max_cost_usd`. The result is downloaded once into
    `media/generated/` beside the comp under the SHA-256 of its bytes, with a record of every
    argument and the input's hash; while that file is there, renders and reopened comps never
    call the service. Kling takes no seed: `seed` only names a take, so a new seed asks for a
    new generation of the same settings. The key comes from FAL_KEY or the OS keyring and is
    never saved in the comp.
    """

    type_id = "cloud_generators.KlingGenerate"
    version = 1
    category = "Generate"
    frame_dependent = True
    inputs = (Input("image", optional=True, doc="The first frame for image_to_video; unused for text_to_video."),)
    params = (
        Choice("mode", choices=kling.OPERATIONS, doc="image_to_video (needs the input) or text_to_video."),
        String("endpoint", default="",
               doc="fal.ai endpoint id; empty: fal-ai/kling-video/v2.1/standard/image-to-video or "
                   "fal-ai/kling-video/v2.1/master/text-to-video."),
        String("prompt", default="", doc="What happens in the clip."),
        String("negative_prompt", default="blur, distort, and low quality", doc="What to avoid."),
        FixedFloat("cfg_scale", default=0.5, min=0.0, max=1.0,
                   doc="How closely Kling follows the prompt (0 to 1)."),
        Choice("duration", choices=("5", "10"), doc="Clip length in seconds."),
        Choice("aspect_ratio", choices=("16:9", "9:16", "1:1"),
               doc="Frame shape for text_to_video (image_to_video follows the input)."),
        FixedInt("seed", default=0, min=0,
                 doc="Take number: Kling takes no seed, so this is not sent, but another value asks for a new take."),
        FixedInt("input_frame", default=1, doc="Document frame of the input sent to Kling."),
        *placement_params(),
        *job_params(COST, "Refuse to submit when fal.ai's price times the duration is above this many US "
                          "dollars (0: no limit)."),
    )

    @classmethod
    def request_parts(cls, params: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
        """(operation, endpoint, arguments) decided by the params alone."""
        operation = str(params["mode"])
        endpoint = str(params["endpoint"]).strip() or kling.DEFAULT_ENDPOINTS[operation]
        args = kling.arguments(operation, str(params["prompt"]), str(params["negative_prompt"]),
                               float(params["cfg_scale"]), str(params["duration"]), str(params["aspect_ratio"]),
                               int(params["seed"]))
        return operation, endpoint, args

    @classmethod
    def input_requests(cls, request: Any, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The input at `input_frame` (whole frame) for image_to_video only."""
        return {"image": input_request(params) if params["mode"] == "image_to_video" else None}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """This node's records and media files (names, sizes, times), so a replaced result invalidates frames."""
        operation, endpoint, args = cls.request_parts(params)
        return MediaStore(ctx.document_dir).fingerprint(request_key(kling.KlingService.name, operation, endpoint, args))

    @staticmethod
    def compute(ctx: EvalContext, image: Image | None, **params: Any) -> Image:
        """Find or generate the clip, then serve this frame of it."""
        operation, endpoint, args = KlingGenerate.request_parts(params)
        if operation == "image_to_video" and image is None:
            raise ctx.error("image_to_video needs an input frame",
                            hint="connect the image input, or choose text_to_video")
        if not str(params["prompt"]).strip():
            raise ctx.error("Kling needs a prompt", hint="write what happens in the clip in the prompt param")
        request = build_request(ctx, kling.KlingService.name, operation, endpoint, args, image,
                                str(params["colorspace"]))
        return generated_frame(ctx, kling.KlingService(), request, params, COST)
