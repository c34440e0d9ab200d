"""Running one generation: the model, its LoRAs, the scheduler, the seed, progress and cancel.

`generate` is the one place the nodes call diffusers. Progress is reported after every
denoising step through the pipeline's `callback_on_step_end`; `ctx.progress` raises
CancelledError when the render was cancelled, which stops the pipeline in the middle of the
loop instead of after the frame. A step of a large model on a CPU can take a minute, so the
denoiser's blocks also check for a cancel as each one starts (forward pre-hooks, removed after
the call): a cancel takes effect within the running step. Generation uses a CPU torch generator seeded with the node's
effective seed, so a seed gives the same starting noise on every device.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from nodecomp.api import EvalContext, EvaluationError
from plugins.generators import loading
from plugins.generators.lora import apply_loras
from plugins.generators.schedulers import make_scheduler
from plugins.generators.settings import Generation


@dataclass
class RunStats:
    """Process-wide counters: pipeline calls finished and denoising steps run (tests, benchmarks)."""

    calls: int = 0
    steps: int = 0


stats = RunStats()
_stats_lock = threading.Lock()


def generate(
    ctx: EvalContext,
    generation: Generation,
    task: str,
    width: int,
    height: int,
    *,
    image: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    strength: float | None = None,
    seed_offset: int = 0,
    span: tuple[float, float] = (0.0, 1.0),
) -> np.ndarray:
    """Run the model and return its image, (height, width, 3) float32 in the model's space (0..1).

    Args:
        ctx: the node's context (progress, cancellation, errors).
        generation: the resolved settings.
        task: "text2image", "image2image" or "inpaint".
        width, height: the size to generate (multiples of 8).
        image: the start image for image2image and inpaint, (height, width, 3) in 0..1.
        mask: the inpaint mask, (height, width) in 0..1 (1 = regenerate).
        strength: how far from the start image the result may go (0..1).
        seed_offset: added to the generation's seed (tiles of one frame each get their own noise).
        span: the part of the node's progress this call covers (tiled nodes make several calls).

    Raises:
        CancelledError: the render was cancelled (checked after every step).
        EvaluationError: the model cannot be loaded or the pipeline fails.
    """
    if strength is not None and int(generation.steps * strength) < 1:
        raise EvaluationError(f"strength {strength:g} x {generation.steps} steps leaves no denoising step",
                              hint="raise strength or steps")
    loading.import_diffusers()  # a clear error when the AI packages are missing
    import torch

    arguments: dict[str, Any] = {
        "prompt": generation.prompt,
        "negative_prompt": generation.negative or None,
        "num_inference_steps": generation.steps,
        "guidance_scale": generation.guidance,
        "height": height,
        "width": width,
        "generator": torch.Generator("cpu").manual_seed((generation.seed + seed_offset) % 2**63),
        "output_type": "np",
    }
    if image is not None:
        arguments["image"] = image[None]
    if mask is not None:
        arguments["mask_image"] = mask[None, ..., None]
    if strength is not None:
        arguments["strength"] = float(strength)

    def on_step_end(pipeline: Any, step: int, timestep: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
        total = int(getattr(pipeline, "num_timesteps", 0) or generation.steps)
        with _stats_lock:
            stats.steps += 1
        done = min(1.0, (step + 1) / total)
        ctx.progress(span[0] + (span[1] - span[0]) * done, f"step {step + 1}/{total}")
        return callback_kwargs

    arguments["callback_on_step_end"] = on_step_end
    ctx.progress(span[0], "generating")
    output = None
    while output is None:
        model = loading.cached(generation.model, generation.device, generation.fp16)
        with model.lock:
            if model.pipeline is None:  # released by the cache between lookup and lock: load it again
                continue
            output = _run(ctx, model, generation, task, arguments)
    with _stats_lock:
        stats.calls += 1
    return np.asarray(output.images[0], dtype=np.float32)


def _run(ctx: EvalContext, model: loading.LoadedModel, generation: Generation, task: str,
         arguments: dict[str, Any]) -> Any:
    """One pipeline call on a model whose lock the caller holds."""
    import torch

    apply_loras(model, generation.loras)
    pipeline = loading.task_pipeline(model, task, make_scheduler(model.pipeline.scheduler, generation.scheduler))
    hooks = _cancel_hooks(pipeline, ctx)
    try:
        with torch.inference_mode():
            return pipeline(**arguments)
    except torch.cuda.OutOfMemoryError:
        raise EvaluationError("out of GPU memory", path=generation.model.path,
                              hint="lower the size, turn fp16 on, or set device to cpu") from None
    except (RuntimeError, ValueError) as exc:
        text = str(exc).strip().splitlines()
        raise EvaluationError(f"the {task} pipeline failed ({text[0][:300] if text else type(exc).__name__})",
                              path=generation.model.path) from None
    finally:
        for hook in hooks:
            hook.remove()


def _cancel_hooks(pipeline: Any, ctx: EvalContext) -> list[Any]:
    """Forward pre-hooks on the denoiser's blocks (UNet down/mid/up, transformer blocks) that check for a cancel.

    The hooks go on modules shared with other pipelines of the model; the model lock held
    during the call keeps any other generation from running through them.
    """
    import torch

    denoiser = getattr(pipeline, "unet", None) or getattr(pipeline, "transformer", None)
    if denoiser is None:
        return []

    def check(module: Any, args: Any) -> None:
        ctx.check_cancelled()

    blocks = [m for child in denoiser.children() if isinstance(child, torch.nn.ModuleList) for m in child]
    mid = getattr(denoiser, "mid_block", None)
    if mid is not None:
        blocks.append(mid)
    return [block.register_forward_pre_hook(check) for block in blocks]
