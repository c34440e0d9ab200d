"""Inpaint: regenerate the masked part of an image with a local diffusion model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGB, Box, Choice, EvalContext, Image, Input, NodeType, conform
from plugins.generators import runner, settings
from plugins.generators.choices import InpaintOutput, values
from plugins.generators.imaging import from_model_rgb, generation_size, mask_plane, resample, rgba, to_model_rgb
from plugins.generators.nodes import common


class Inpaint(NodeType):
    """Regenerates the masked area of the source from a prompt: plate clean-up, set extension.

    The mask is the mask input's alpha (or its only channel, or the mean of its RGB), 1 where
    pixels are regenerated, 0 where they are kept; outside its data window it is 0. The model
    sees the source in display-referred sRGB (as Image2Image does) and the mask.

    output `patch` (the default) gives the generated pixels premultiplied by the mask with
    alpha = mask, to merge over the plate; `composite` gives the plate with the masked area
    replaced, plate = gen * m + plate * (1 - m), so unmasked pixels are the plate's exactly;
    `full` gives the model's whole frame, opaque. Model, seed, LoRA, look bible and cache
    behaviour are those of Text2Image. An empty mask runs no model (patch is then transparent
    black, composite the plate).
    """

    type_id = "generators.Inpaint"
    version = 1
    category = "Generate"
    inputs = (
        Input("source", doc="The plate to repair or extend."),
        Input("mask", doc="Where to regenerate: 1 (white, or alpha 1) regenerates, 0 keeps."),
    )
    params = (
        common.MODEL,
        *common.PROMPTS,
        common.strength_param(1.0),
        Choice("output", choices=values(InpaintOutput),
               doc="patch (generated x mask, alpha = mask), composite (plate with the area replaced) or full."),
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
    def compute(ctx: EvalContext, source: Image, mask: Image, strength: float, output: str, model_colorspace: str,
                **params: Any) -> Image:
        """Run the inpainting pipeline on the source and mask, then shape the output."""
        generation = settings.resolve(ctx, params)
        window = source.data_window
        if window.is_empty:
            raise ctx.error("the source image is empty", hint="connect an image with pixels")
        matte = mask_plane(mask, window)
        mode = InpaintOutput(output)
        if not matte.any() and mode is not InpaintOutput.FULL:  # nothing to regenerate: no model run
            return _without_generation(ctx, source, window, mode, generation)
        gen_width, gen_height = generation_size(window.width, window.height)
        start = resample(to_model_rgb(ctx, source, window, model_colorspace), gen_width, gen_height)
        gen_mask = resample(matte[..., None], gen_width, gen_height)[..., 0]
        rgb = runner.generate(ctx, generation, "inpaint", gen_width, gen_height, image=start, mask=gen_mask,
                              strength=strength)
        rgb = from_model_rgb(ctx, resample(rgb, window.width, window.height), model_colorspace)
        if mode is InpaintOutput.FULL:
            pixels = rgba(rgb)
        elif mode is InpaintOutput.PATCH:
            pixels = rgba(rgb * matte[..., None], matte)
        else:
            plate = conform(source, window, (*RGB, "A"))
            m = matte[..., None]
            pixels = rgba(rgb * m + plate[..., :3] * (1.0 - m), matte + plate[..., 3] * (1.0 - matte))
        return common.output_image(ctx, np.ascontiguousarray(pixels), window, source.display_window, generation,
                                   source.pixel_aspect, {"generator/strength": strength})


def _without_generation(ctx: EvalContext, source: Image, window: Box, mode: InpaintOutput,
                        generation: settings.Generation) -> Image:
    """The output for an empty mask: nothing generated, so the plate (composite) or nothing (patch)."""
    if mode is InpaintOutput.PATCH:
        pixels = np.zeros((window.height, window.width, 4), np.float32)
    else:
        plate = conform(source, window, (*RGB, "A"))
        pixels = rgba(plate[..., :3], plate[..., 3])
    return common.output_image(ctx, pixels, window, source.display_window, generation, source.pixel_aspect)
