"""AIMatte: a matte from a matting network loaded from a local model file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    Bool,
    Choice,
    EvalContext,
    EvaluationError,
    Float,
    Image,
    Input,
    Int,
    NodeType,
    Path,
    Request,
)
from plugins.keyers.ai import models
from plugins.keyers.ai.encoding import encode_rgb
from plugins.keyers.ai.tiling import run_tiled
from plugins.keyers.choices import Output, values
from plugins.keyers.images import matte_plane, rgb_planes
from plugins.keyers.nodes.keyed import keyed_output

MODEL_FILE = {"what": "model file", "hint": "set the model param to a .safetensors, .pt or .onnx file"}
DEVICES = ("auto", "cpu", "cuda")


class AIMatte(NodeType):
    """Pulls a matte with a neural network read from a model file you choose.

    The model file is a safetensors state dict of the MatteUNet this plugin ships (made by
    `nodecomp train-matte`), a TorchScript module, or an ONNX model (needs onnxruntime). The
    network sees the plate clipped to 0..1 and encoded with a 1/2.2 power, as (1, 3, H, W)
    (or (1, 4, H, W) with a trimap channel: 0 background, 0.5 unknown, 1 foreground) and returns
    (1, 1, H, W) alpha. Frames are processed in tiles of tile_size pixels that overlap by
    `overlap` pixels and are blended across it, so 4K and larger frames fit in memory; the
    render's progress advances and a cancel takes effect between tiles.

    With a trimap connected, its 0 and 1 areas force alpha to 0 and 1 (and a 4-channel model
    receives it as input). temporal_smoothing > 0 blends the result with the network's matte of
    the previous frame: alpha = (1 - s) * alpha(t) + s * alpha(t - 1), which calms edge chatter
    at the cost of a second inference per frame. The model is loaded once per file version,
    device and precision and shared (a memory-budgeted cache); the file's size and modification
    time are part of the cache key, so a re-exported model takes effect on the next render.
    device auto uses CUDA when available; fp16 halves memory and time on CUDA (ignored on CPU).
    The colour is not despilled: follow with a Despill for green- or blue-screen plates.
    """

    type_id = "keyers.AIMatte"
    version = 1
    category = "Keyer"
    inputs = (
        Input("source", doc="The plate (scene-linear RGB)."),
        Input("trimap", optional=True, doc="Optional trimap (its alpha or only channel): 0 bg, 0.5 unknown, 1 fg."),
    )
    params = (
        Path("model", doc="The model file: .safetensors (MatteUNet), TorchScript (.pt, .pth, .ts) or .onnx."),
        Choice("device", choices=DEVICES, doc="auto (CUDA when available), cpu or cuda."),
        Bool("fp16", default=False, doc="Half precision on CUDA (ignored on the CPU)."),
        Int("tile_size", default=512, min=64, max=8192, doc="Tile size in pixels for inference."),
        Int("overlap", default=32, min=0, max=1024, doc="Pixels neighbouring tiles share and blend across."),
        Float("temporal_smoothing", default=0.0, min=0.0, max=1.0,
              doc="Blend with the previous frame's matte (0 off); doubles the inference cost."),
        Choice("output", choices=values(Output), doc="premultiplied, unpremultiplied or matte."),
    )

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """With temporal smoothing, read the source at this frame and the one before."""
        if params["temporal_smoothing"] > 0.0:
            return {"source": (request, request.at(request.frame - 1)), "trimap": request}
        return {"source": request, "trimap": request}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The model file's path, size and modification time."""
        return ctx.file_fingerprint(params["model"], **MODEL_FILE)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | tuple[Image, ...], trimap: Image | None, model: str, device: str,
                fp16: bool, tile_size: int, overlap: int, temporal_smoothing: float, output: str) -> Image:
        """Run the network over the frame tile by tile."""
        frames = source if isinstance(source, tuple) else (source,)
        current = frames[0]
        path = ctx.required_path(model, **MODEL_FILE)
        try:
            network = models.cached(path, models.resolve_device(device), fp16)
        except EvaluationError as exc:
            raise ctx.error(exc.reason, path=exc.path or path, hint=exc.hint) from None
        guide = None
        if trimap is not None:
            try:
                guide = np.clip(matte_plane(trimap, current.data_window), 0.0, 1.0)
            except ValueError as exc:
                raise ctx.error(str(exc), hint="connect a trimap with an alpha or a single channel") from None
        elif network.in_channels == 4:
            raise ctx.error("this model takes a trimap and none is connected", path=path,
                            hint="connect a trimap (0 background, 0.5 unknown, 1 foreground)")
        rgb = rgb_planes(current)
        passes = len(frames)

        def infer(plate: np.ndarray, index: int) -> np.ndarray:
            planes = encode_rgb(plate)
            if network.in_channels == 4:
                planes = np.concatenate([planes, guide[..., None]], axis=-1)

            def after_tile(done: int, total: int) -> None:
                ctx.check_cancelled()
                ctx.progress((index + done / total) / passes, f"tile {done}/{total}")

            return run_tiled(network.predict, planes, tile=tile_size, overlap=overlap, multiple=network.multiple,
                             after_tile=after_tile)

        alpha = infer(rgb, 0)
        if len(frames) > 1 and frames[1] is not None:
            previous = infer(rgb_planes(frames[1], current.data_window), 1)
            alpha = (1.0 - temporal_smoothing) * alpha + temporal_smoothing * previous
        if guide is not None:
            alpha = np.where(guide >= 0.99, 1.0, np.where(guide <= 0.01, 0.0, alpha))
        alpha = np.clip(alpha, 0.0, 1.0).astype(np.float32)
        return keyed_output(current, rgb, alpha, output)
