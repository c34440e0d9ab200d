"""What the generator nodes share: their params, their cache fingerprint and their output image."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Bool, Box, Choice, EvalContext, Float, Image, Int, ParamSpec, Path, String
from plugins.generators import settings
from plugins.generators.choices import DeviceChoice, Scheduler, SeedMode, values
from plugins.generators.imaging import DEFAULT_MODEL_SPACE
from plugins.generators.settings import Generation

MODEL = Path(
    "model",
    doc="A diffusers model folder (with model_index.json) or a single .safetensors checkpoint of SD 1.x or SDXL; "
        "empty uses the look bible's default model. Nothing is downloaded.",
)
PROMPTS = (
    String("prompt", multiline=True, doc="What to generate; the look bible's style fragments are appended."),
    String("negative_prompt", multiline=True,
           doc="What to avoid; the look bible's negative prompt is appended. Ignored when guidance <= 1."),
)
SEED = (
    Int("seed", default=0, min=0, doc="Starting noise: the same seed and settings give the same image."),
    Choice("seed_mode", choices=values(SeedMode),
           doc="fixed: one image for every frame (cached once); frame_offset: frame N uses seed + N."),
    Int("variation", default=0, min=0, max=1_000_000,
        doc="0 for the seed itself; 1, 2... pick other images from a seed derived from seed and index."),
)
SAMPLING = (
    Int("steps", default=25, min=1, max=500, doc="Denoising steps: more is slower and usually finer."),
    Float("guidance", default=7.5, min=0.0, max=50.0, slider_max=15.0,
          doc="Classifier-free guidance scale: how strongly the prompt steers the image (1 turns it off)."),
    Choice("scheduler", choices=values(Scheduler),
           doc="Sampler: the model's own (default), ddim, euler, euler_a (ancestral) or dpm++ (2M)."),
)
STYLE = (
    String("loras", multiline=True,
           doc="LoRA adapters, one `path weight` per line (weight 1 when omitted); applied after the look bible's."),
    Bool("use_look_bible", default=True,
         doc="Inherit the document's look bible: style and negative prompt fragments, default model and LoRAs."),
)
RUNTIME = (
    Choice("device", choices=values(DeviceChoice), doc="auto (CUDA when available), cpu or cuda."),
    Bool("fp16", default=True, doc="Half-precision weights on CUDA (half the memory); the CPU always uses float32."),
    String("model_colorspace", default=DEFAULT_MODEL_SPACE,
           doc="OCIO colour space the model's images are in (display-referred sRGB for SD models); "
               "images are converted from and to the working space."),
)


def strength_param(default: float) -> ParamSpec:
    """The strength param of image-to-image and inpainting (how much the start image may change)."""
    return Float("strength", default=default, min=0.0, max=1.0,
                 doc="0 keeps the start image, 1 replaces it entirely; about strength x steps steps run.")


def tile_params(default_strength: float) -> tuple[ParamSpec, ...]:
    """Strength, tile size and overlap of the tiled nodes (Upscale, Outpaint)."""
    return (
        strength_param(default_strength),
        Int("tile_size", default=512, min=32, max=4096,
            doc="Tile side in pixels (rounded down to a multiple of 8): the model's native size suits it best "
                "(512 for SD 1.x, 1024 for SDXL); memory grows with its square."),
        Int("overlap", default=64, min=0, max=1024,
            doc="Pixels neighbouring tiles share; they are blended across it so seams do not show."),
    )


def fingerprint(ctx: EvalContext, params: Mapping[str, Any]) -> Any:
    """Model and LoRA file fingerprints, look-bible prompts and LoRAs, and this frame's seed."""
    return settings.resolve(ctx, params).fingerprint()


def output_image(ctx: EvalContext, pixels: np.ndarray, window: Box, display: Box, generation: Generation,
                 pixel_aspect: float, extra: Mapping[str, Any] | None = None) -> Image:
    """The node's result: RGBA pixels in the working space, with how it was made in its metadata.

    The metadata (`generator/model`, `/prompt`, `/seed`...) travels with the image downstream,
    so the viewer's info and later nodes can tell how a frame was made.
    """
    metadata = {
        "generator/model": generation.model.path,
        "generator/prompt": generation.prompt,
        "generator/negative_prompt": generation.negative,
        "generator/seed": generation.seed,
        "generator/steps": generation.steps,
        "generator/guidance": generation.guidance,
        "generator/scheduler": generation.scheduler,
        "generator/loras": "; ".join(f"{spec.path} {spec.weight:g}" for spec in generation.loras),
        **(extra or {}),
    }
    return Image(pixels, RGBA, window, display, pixel_aspect=pixel_aspect, metadata=metadata,
                 colorspace=ctx.working_space)
