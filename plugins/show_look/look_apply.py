"""LookApply: a learned show look, from a model file, on any image."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    RGB,
    Choice,
    EvalContext,
    EvaluationError,
    Float,
    Image,
    Input,
    Int,
    NodeType,
    Path,
    cuda_available,
    file_fingerprint,
    resources,
)
from plugins.show_look.apply import apply_look
from plugins.show_look.look_model import LookModel, load_model

LOOK_FILE = {"what": "look model file", "hint": "set the model param to a .nclook file"}
"""How the look nodes name their model file in errors (`ctx.required_path(model, **LOOK_FILE)`)."""

DEVICES = ("auto", "cpu", "cuda")


def cached_model(path: str) -> LookModel:
    """The model in `path`, loaded once per file version and shared (the plugin API's resource cache).

    Raises:
        EvaluationError: naming the file when it is missing or not a look model.
    """
    try:
        fingerprint = file_fingerprint(path)
    except FileNotFoundError:
        raise EvaluationError("look model file not found", path=path, hint="check the model param") from None
    return resources.get(("show_look.LookApply", fingerprint), lambda: load_model(path), nbytes=lambda m: m.nbytes)


class LookApply(NodeType):
    """Applies a show look learned by LookTrain or `nodecomp train-look` (a .nclook file) to R, G and B.

    The model is a small per-pixel network that sees each pixel's colour (in ACEScct), its 5x5
    neighbourhood and its position in the format, so it reproduces the colour of the look and
    position-dependent parts such as a vignette. Alpha and other channels are copied; colours
    are processed as they arrive (premultiplied images are graded premultiplied). The frame is
    processed tile_pixels pixels at a time (memory stays bounded on 4K and larger; progress and
    cancel between tiles). device auto runs on CUDA when a GPU is available, else on the CPU
    (in torch when installed, else in numpy). mix blends the result with the input. The model is loaded once
    per file version; its path, size and modification time are in the cache key, so a
    retrained model takes effect on the next render.
    """

    type_id = "show_look.LookApply"
    version = 1
    category = "Color"
    inputs = (Input("source", doc="The image to give the show's look (scene-linear, working space)."),)
    params = (
        Path("model", default="",
             doc="The look model file (.nclook) written by a LookTrain node or `nodecomp train-look`."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="0 keeps the input, 1 is the full look."),
        Choice("device", choices=DEVICES, doc="auto (CUDA when available), cpu or cuda."),
        Int("tile_pixels", default=262144, min=1024, max=1 << 26, doc="Pixels per network call."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """With mix at 0 nothing changes: forward the input untouched."""
        return "source" if params["mix"] <= 0.0 else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The model file's path, size and modification time."""
        return ctx.file_fingerprint(params["model"], **LOOK_FILE)

    @staticmethod
    def compute(ctx: EvalContext, source: Image, model: str, mix: float, device: str, tile_pixels: int) -> Image:
        """Run the look over the frame tile by tile."""
        path = ctx.required_path(model, **LOOK_FILE)
        try:
            look = cached_model(path)
        except EvaluationError as exc:
            raise ctx.error(exc.reason, path=exc.path or path, hint=exc.hint) from None
        if not all(source.has(name) for name in RGB):
            raise ctx.error(f"the input has no R, G and B (channels {', '.join(source.channels)})",
                            hint="connect a colour image")
        if device == "cuda" and not cuda_available():
            raise ctx.error("device is cuda but no CUDA GPU is available", hint="set device to auto or cpu")
        run_on = "cuda" if device == "cuda" or (device == "auto" and cuda_available()) else "cpu"
        indices = [source.index(name) for name in RGB]
        rgb = np.asarray(source.pixels, np.float32)[..., indices]

        def after_tile(done: int, total: int) -> None:
            ctx.progress(done / total, f"tile {done}/{total}")

        display, data = source.display_window, source.data_window
        graded = apply_look(look, rgb, frame=display.as_tuple(), origin=(data.x0, data.y0),
                            tile_pixels=tile_pixels, device=run_on, after_tile=after_tile)
        if mix < 1.0:
            graded = rgb + np.float32(mix) * (graded - rgb)
        out = np.array(source.pixels, dtype=np.float32)
        out[..., indices] = graded
        return source.with_pixels(out)
