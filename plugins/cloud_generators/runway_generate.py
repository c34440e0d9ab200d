"""RunwayGenerate: a Runway text-to-image, image-to-video or text-to-video result in the graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Choice, EvalContext, Image, Input, NodeType, String
from plugins.cloud_generators import runway
from plugins.cloud_generators.common import (
    FixedInt,
    build_request,
    generated_frame,
    input_request,
    job_params,
    placement_params,
)
from plugins.cloud_generators.request import request_key
from plugins.cloud_generators.store import MediaStore

COST = "max_credits"


class RunwayGenerate(NodeType):
    """Generates a still or a clip with Runway's API and serves it like a plate.

    image_to_video animates the input frame (taken at `input_frame`, uploaded as a data URI);
    text_to_image makes a still (the input, when connected, is sent as a reference image
    tagged `input`); text_to_video makes a clip from the prompt alone. Videos are served frame
    by frame (the source frame nearest each document frame at the document fps, from
    `start_frame` on), images as a hold; both are converted to the working space and placed in
    the format.

    The result is downloaded once into `media/generated/` beside the comp under the SHA-256 of
    its bytes, with a record of service, model, prompt, seed, every argument and the input's
    hash. While that file is there, renders and reopened comps read it and never call Runway.
    The key comes from RUNWAYML_API_SECRET or the OS keyring and is never saved in the comp.
    """

    type_id = "cloud_generators.RunwayGenerate"
    version = 1
    category = "Generate"
    frame_dependent = True
    inputs = (Input("image", optional=True,
                    doc="The frame sent to Runway: the first frame for image_to_video, a reference image "
                        "for text_to_image; unused for text_to_video."),)
    params = (
        Choice("mode", choices=runway.OPERATIONS,
               doc="image_to_video (needs the input), text_to_image or text_to_video."),
        String("model", default="",
               doc="Runway model id; empty: gen4_turbo (image_to_video), gen4_image (text_to_image), "
                   "gen4.5 (text_to_video)."),
        String("prompt", default="", doc="What to generate; for image_to_video, how the frame should move."),
        FixedInt("seed", default=0, min=0, max=4294967295,
                 doc="Runway's seed: the same seed and settings give a similar result; another seed, another take."),
        String("ratio", default="1280:720",
               doc="Output resolution as Runway spells it (width:height, e.g. 1280:720, 720:1280, 1920:1080)."),
        FixedInt("duration", default=5, min=1, max=60, doc="Clip length in seconds (video modes)."),
        FixedInt("input_frame", default=1, doc="Document frame of the input sent to Runway."),
        *placement_params(),
        *job_params(COST, "Refuse a task whose cost Runway reports above this many credits (0: no limit); "
                          "the task is cancelled at once, before it runs."),
    )

    @classmethod
    def request_parts(cls, params: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
        """(operation, model, arguments) decided by the params alone."""
        operation = str(params["mode"])
        model = str(params["model"]).strip() or runway.DEFAULT_MODELS[operation]
        args = runway.arguments(operation, str(params["prompt"]), int(params["seed"]), str(params["ratio"]),
                                int(params["duration"]))
        return operation, model, args

    @classmethod
    def input_requests(cls, request: Any, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The input at `input_frame` (whole frame) for the modes that send it."""
        return {"image": input_request(params) if params["mode"] != "text_to_video" else None}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """This node's records and media files (names, sizes, times), so a replaced result invalidates frames."""
        operation, model, args = cls.request_parts(params)
        return MediaStore(ctx.document_dir).fingerprint(request_key(runway.RunwayService.name, operation, model, args))

    @staticmethod
    def compute(ctx: EvalContext, image: Image | None, **params: Any) -> Image:
        """Find or generate the result, then serve this frame of it."""
        operation, model, args = RunwayGenerate.request_parts(params)
        if operation == "image_to_video" and image is None:
            raise ctx.error("image_to_video needs an input frame", hint="connect the image input, or choose "
                                                                      "text_to_image or text_to_video")
        if operation != "image_to_video" and not str(params["prompt"]).strip():
            raise ctx.error(f"{operation} needs a prompt", hint="write what to generate in the prompt param")
        request = build_request(ctx, runway.RunwayService.name, operation, model, args, image,
                                str(params["colorspace"]))
        return generated_frame(ctx, runway.RunwayService(), request, params, COST)
