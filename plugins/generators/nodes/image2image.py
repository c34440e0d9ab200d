"""Image2Image: an input image re-imagined by a local diffusion model, as far as strength allows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, NodeType
from plugins.generators import runner, settings
from plugins.generators.imaging import from_model_rgb, generation_size, resample, rgba, to_model_rgb
from plugins.generators.nodes import common


class Image2Image(NodeType):
    """Repaints the source image from a prompt, keeping its layout as much as strength says.

    The source's RGB (premultiplied, over its data window) is converted from the working space
    to the model's display-referred sRGB, clipped to 0..1, noised to `strength` and denoised
    for about strength x steps steps. The result covers the source's data window, is opaque
    and is converted back to the working space. Model, seed, LoRA, look bible and cache
    behaviour are those of Text2Image. Strength 0 passes the source through untouched; a
    strength that leaves less than one step (strength x steps < 1) is an error.
    """

    type_id = "generators.Image2Image"
    version = 1
    category = "Generate"
    inputs = (Input("source", doc="The start image (a plate, a layout, a rough paint-over)."),)
    params = (
        common.MODEL,
        *common.PROMPTS,
        common.strength_param(0.6),
        *common.SEED,
        *common.SAMPLING,
        *common.STYLE,
        *common.RUNTIME,
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Strength 0 keeps the start image: the source itself, with no model run."""
        return "source" if params["strength"] == 0.0 else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """Model and LoRA files, look-bible prompts and this frame's seed."""
        return common.fingerprint(ctx, params)

    @staticmethod
    def compute(ctx: EvalContext, source: Image, strength: float, model_colorspace: str, **params: Any) -> Image:
        """Encode the source, run the model from it, and decode to the working space."""
        generation = settings.resolve(ctx, params)
        window = source.data_window
        if window.is_empty:
            raise ctx.error("the source image is empty", hint="connect an image with pixels")
        gen_width, gen_height = generation_size(window.width, window.height)
        start = resample(to_model_rgb(ctx, source, window, model_colorspace), gen_width, gen_height)
        rgb = runner.generate(ctx, generation, "image2image", gen_width, gen_height, image=start, strength=strength)
        rgb = from_model_rgb(ctx, resample(rgb, window.width, window.height), model_colorspace)
        return common.output_image(ctx, rgba(rgb), window, source.display_window, generation, source.pixel_aspect,
                                   {"generator/strength": strength})
