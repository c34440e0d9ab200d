"""Upscale: enlarge an image and let a diffusion model add detail, tile by tile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Box, EvalContext, Float, Image, Input, Int, NodeType
from plugins.generators import runner, settings
from plugins.generators.imaging import SIZE_MULTIPLE, from_model_rgb, generation_size, resample, rgba, to_model_rgb
from plugins.generators.nodes import common
from plugins.generators.tiling import Blender, progress_spans, tiles


class Upscale(NodeType):
    """Enlarges the source to plate resolution and re-details it with image-to-image, in tiles.

    The source (its data window) is resampled (bicubic, in the model's display-referred sRGB) to
    width x height, or to its size x scale when those are 0, then every tile of tile_size pixels
    runs image-to-image at `strength` (low values, 0.2 to 0.4, add detail without changing the
    picture). Tiles overlap by `overlap` pixels and are blended with linear ramps across it.
    Tile n uses seed + n, so tiles do not repeat one noise pattern. The result is opaque, in the
    working colour space, with data and display windows of the new size at the origin. Model,
    seed, LoRA, look bible and cache behaviour are those of Text2Image; progress covers all tiles.
    """

    type_id = "generators.Upscale"
    version = 1
    category = "Generate"
    inputs = (Input("source", doc="The image to enlarge (a generated background, a plate)."),)
    params = (
        common.MODEL,
        *common.PROMPTS,
        Float("scale", default=2.0, min=1.0, max=8.0, doc="Size factor when width and height are 0."),
        Int("width", default=0, min=0, max=32768, doc="Output width in pixels; 0 uses the source width x scale."),
        Int("height", default=0, min=0, max=32768,
            doc="Output height in pixels; 0 uses the source height x scale."),
        *common.tile_params(0.3),
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
    def compute(ctx: EvalContext, source: Image, scale: float, width: int, height: int, strength: float,
                tile_size: int, overlap: int, model_colorspace: str, **params: Any) -> Image:
        """Resample, then run image-to-image on every tile and blend the tiles."""
        generation = settings.resolve(ctx, params)
        window = source.data_window
        if window.is_empty:
            raise ctx.error("the source image is empty", hint="connect an image with pixels")
        out_width = width or max(1, round(window.width * scale))
        out_height = height or max(1, round(window.height * scale))
        big = resample(to_model_rgb(ctx, source, window, model_colorspace), out_width, out_height)
        tile = max(SIZE_MULTIPLE, tile_size // SIZE_MULTIPLE * SIZE_MULTIPLE)
        overlap = min(overlap, tile // 2)
        pieces = tiles(out_width, out_height, tile, overlap)
        blender = Blender(out_width, out_height, 3, overlap)
        for index, (piece, span) in enumerate(zip(pieces, progress_spans(len(pieces)), strict=True)):
            gen_width, gen_height = generation_size(piece.width, piece.height)
            start = resample(big[piece.slices], gen_width, gen_height)
            rgb = runner.generate(ctx, generation, "image2image", gen_width, gen_height, image=start,
                                  strength=strength, seed_offset=index, span=span)
            blender.add(piece, resample(rgb, piece.width, piece.height))
        rgb = from_model_rgb(ctx, blender.result(), model_colorspace)
        out_window = Box(0, 0, out_width, out_height)
        return common.output_image(ctx, rgba(rgb), out_window, out_window, generation, source.pixel_aspect,
                                   {"generator/strength": strength, "generator/tiles": len(pieces)})
