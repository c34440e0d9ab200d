"""Text2Image: an image from a prompt, made by a local diffusion model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Box, EvalContext, Image, Int, NodeType
from plugins.generators import runner, settings
from plugins.generators.imaging import from_model_rgb, generation_size, resample, rgba
from plugins.generators.nodes import common


class Text2Image(NodeType):
    """Generates an image from a text prompt with a diffusion model read from your disk.

    The model is a diffusers model folder (what `save_pretrained` writes) or a single SD 1.x/SDXL
    checkpoint; it is loaded once and shared by every generator node using it. The result is
    RGBA, opaque, converted from the model's display-referred sRGB to the working colour space.
    Sizes that are not multiples of 8 are generated at the nearest one and resampled.

    The cache key holds the model's and LoRAs' file fingerprints, the prompts (with the look
    bible's fragments), the effective seed and every param, so an unchanged node never runs
    again. With seed_mode fixed every frame is the same image (computed once); frame_offset
    gives frame N the seed seed + N. Progress is reported per denoising step, and a cancelled
    render stops inside the running step (the denoiser's blocks check for it).
    """

    type_id = "generators.Text2Image"
    version = 1
    category = "Generate"
    params = (
        common.MODEL,
        *common.PROMPTS,
        Int("width", default=0, min=0, max=16384, doc="Width in pixels; 0 uses the document format's width."),
        Int("height", default=0, min=0, max=16384, doc="Height in pixels; 0 uses the document format's height."),
        *common.SEED,
        *common.SAMPLING,
        *common.STYLE,
        *common.RUNTIME,
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """Model and LoRA files, look-bible prompts and this frame's seed."""
        return common.fingerprint(ctx, params)

    @staticmethod
    def compute(ctx: EvalContext, width: int, height: int, model_colorspace: str, **params: Any) -> Image:
        """Run the model at the requested size and convert its image to the working space."""
        generation = settings.resolve(ctx, params)
        window = Box(0, 0, width or ctx.format.width, height or ctx.format.height)
        gen_width, gen_height = generation_size(window.width, window.height)
        rgb = runner.generate(ctx, generation, "text2image", gen_width, gen_height)
        rgb = from_model_rgb(ctx, resample(rgb, window.width, window.height), model_colorspace)
        return common.output_image(ctx, rgba(rgb), window, window, generation, ctx.format.pixel_aspect)
