"""LookTrain: learn the show's look from a plate and its approved version, inside the comp.

As Nuke's CopyCat: the node's image is the model saved so far applied to its source (the source
untouched while no model file exists), and training is an action the user starts (the Train
button, `nodecomp run-action`), never something a render does. Training renders both inputs at
the training frames through the comp, samples pixels from each pair, and runs
`training.train_look`, writing checkpoints to the model file as it goes; every checkpoint
changes the file, so the node's cache key and image follow the model as it learns.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nodecomp.api import (
    RGB,
    Action,
    ActionContext,
    Bool,
    CancelledError,
    Choice,
    EvalContext,
    Float,
    Image,
    Input,
    Int,
    NodeType,
    Path,
    String,
    conform,
    cuda_available,
    file_fingerprint,
)
from plugins.show_look.look_apply import DEVICES, LookApply

TILE_PIXELS = 262144


def model_fingerprint(ctx: EvalContext | ActionContext, model: str) -> Any:
    """What identifies the model file's contents: path, size, mtime and inode; a marker when absent.

    The inode changes with every atomic save (a new file is moved into place), so two
    checkpoints written within one tick of the file system clock still differ.
    """
    if not model.strip():
        return None
    path = ctx.resolve_path(model)
    try:
        return (*file_fingerprint(path), os.stat(path).st_ino)
    except FileNotFoundError:
        return ("no model yet", path)


class _FramePairs(Sequence[tuple[np.ndarray, np.ndarray]]):
    """The (source, graded) colour of each training frame, rendered when training reads it.

    Only the pair being sampled is held in memory; reading reports progress and honours cancel.
    """

    def __init__(self, ctx: ActionContext, frames: list[int]) -> None:
        self.ctx, self.frames = ctx, frames

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, index: int) -> Any:  # Sequence's overloads are not needed here
        frame = self.frames[index]
        self.ctx.progress(None, f"reading frame {frame} ({index + 1}/{len(self.frames)})", frame=frame)
        source, graded = self.ctx.input("source", frame), self.ctx.input("graded", frame)
        window = source.display_window
        if graded.display_window != window:
            raise self.ctx.error(f"at frame {frame} graded is {graded.display_window.width}x"
                                 f"{graded.display_window.height} but source is {window.width}x{window.height}",
                                 hint="the approved frames must match the plates pixel for pixel")
        return conform(source, window, RGB), conform(graded, window, RGB)


class LookTrain(NodeType):
    """Learns the look that turns `source` into `graded` (a plate and its approved version) and shows it.

    Press Train (or run `nodecomp run-action COMP LookTrain1 train`) to train the show_look
    model on the frames listed in `frames`: both inputs are rendered at each frame, up to
    pixels_per_frame pixels are sampled from each pair, and the network is trained for `epochs`
    passes over those pixels on the CPU or a CUDA GPU. Progress and the loss are shown live,
    Cancel stops at the next step after writing a checkpoint, and a checkpoint is written every
    checkpoint_every epochs. With resume on, training continues from the checkpoint in `model`
    (same weights, optimiser state and batches, up to `epochs`); off, it starts afresh and
    replaces the file.

    The node's image is the model in `model` applied to `source` (as LookApply does); while the
    file does not exist the source passes through. The file's identity is in the cache key, so
    the image updates at every checkpoint and when training ends. Feed the same model file to
    LookApply nodes in other comps, and to LookToLUT for a LUT.
    """

    type_id = "show_look.LookTrain"
    version = 1
    category = "Color"
    inputs = (
        Input("source", doc="The plate as it comes (scene-linear, working space)."),
        Input("graded", doc="The approved version of the same frames (graded, retouched); used only by Train."),
    )
    params = (
        String("frames", default="",
               doc="Training frames: 1-20, 1,5,9-12 or 1-100x10; empty is the comp's frame range."),
        Path("model", default="",
             doc="The look model file (.nclook) Train writes, and the node shows; relative to the comp."),
        Int("epochs", default=20, min=1, max=100000,
            doc="Passes over the sampled pixels (steps = epochs x pixels / batch_size)."),
        Float("learning_rate", default=0.01, min=1e-6, max=1.0,
              doc="Starting learning rate; it falls along a cosine to a tenth."),
        Int("batch_size", default=4096, min=64, max=1 << 20, doc="Pixels per optimiser step."),
        Int("pixels_per_frame", default=20000, min=100, max=1 << 24, label="Pixels/Frame",
            doc="Pixels sampled from each training frame."),
        Int("checkpoint_every", default=1, min=0, max=100000, label="Checkpoints",
            doc="Epochs between checkpoints written to model (the image updates at each); 0: only at the end "
                "and on cancel."),
        Bool("resume", default=False, doc="Continue from the checkpoint in model instead of starting afresh."),
        Choice("device", choices=DEVICES, doc="Where to train and apply: auto (CUDA when available), cpu or cuda."),
        Int("seed", default=0, doc="Seeds the initial weights, the pixel sample and every batch."),
    )
    actions = (
        Action("train", "Train", doc="Train the model on the training frames, with progress, the loss, cancel "
                                     "and checkpoints; the node's image updates as it learns."),
    )

    @classmethod
    def input_requests(cls, request: Any, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The image needs only the source; graded is read by Train."""
        return {"source": request, "graded": None}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The model file's identity (or that there is none yet)."""
        return model_fingerprint(ctx, params["model"])

    @staticmethod
    def compute(ctx: EvalContext, source: Image, graded: Image | None, model: str, device: str,
                **_training: Any) -> Image:
        """The saved model on the source; the source itself before there is one."""
        if not model.strip() or not os.path.isfile(ctx.resolve_path(model)):
            return source
        return LookApply.compute(ctx, source, model, 1.0, device, TILE_PIXELS)

    @classmethod
    def run_action(cls, ctx: ActionContext, action: str) -> str | None:
        """Train: render the pairs, sample pixels, train with progress, checkpoints and cancel."""
        from plugins.show_look.look_model import read_header
        from plugins.show_look.training import pixel_pool, train_look

        params = ctx.params
        if not params["model"].strip():
            raise ctx.error("no model file is set", hint="set the model param to where the .nclook should go")
        path = ctx.resolve_path(params["model"])
        device = _device(ctx, params["device"])
        frames = ctx.frames(params["frames"])
        resume = path if params["resume"] and os.path.isfile(path) else None
        if params["resume"] and resume is None:
            ctx.warn(f"no checkpoint at {path} to resume from: training from the start")
        names = [f"{ctx.node} frame {frame}" for frame in frames]
        pool = pixel_pool(_FramePairs(ctx, frames), params["pixels_per_frame"], params["seed"], names)
        per_epoch = max(1, math.ceil(pool.features.shape[0] / params["batch_size"]))
        epochs = params["epochs"]
        total = epochs * per_epoch
        start = int(read_header(resume).get("step", "0")) if resume is not None else 0
        if start >= total:
            return (f"the checkpoint already has {start} steps, {epochs} epochs need {total}: nothing to train "
                    f"(raise epochs to train further)")

        def progress(step: int, steps: int, loss: float) -> None:
            epoch = min(epochs, math.ceil(step / per_epoch))
            try:
                ctx.progress(step / steps, f"epoch {epoch}/{epochs}, step {step}/{steps}, loss {loss:.3e}",
                             loss=loss, epoch=epoch, step=step)
            except CancelledError:
                pass  # the training loop stops before its next step, after writing a checkpoint

        model = train_look(
            pool, steps=total, lr=params["learning_rate"], seed=params["seed"], progress=progress,
            cancel=lambda: ctx.cancelled, batch_size=params["batch_size"], checkpoint=path,
            checkpoint_every=params["checkpoint_every"] * per_epoch, resume=resume, device=device,
            colour_space=ctx.eval_context().working_space,
            on_checkpoint=lambda step: ctx.output_changed(f"checkpoint at epoch {step // per_epoch}"),
        )
        resumed = f"resumed at step {start}, " if resume is not None else ""
        return (f"{resumed}trained to epoch {epochs} ({model.step} steps) on {len(frames)} frames, "
                f"{pool.features.shape[0]} pixels, in {model.metadata.get('training_seconds', '?')} s on {device}; "
                f"final loss {model.losses[-1]:.3e}; saved {path}")


def _device(ctx: ActionContext, device: str) -> str:
    if device == "cuda" and not cuda_available():
        raise ctx.error("device is cuda but no CUDA GPU is available", hint="set device to auto or cpu")
    return "cuda" if device == "cuda" or (device == "auto" and cuda_available()) else "cpu"
