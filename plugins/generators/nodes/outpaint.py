"""Outpaint: extend an image beyond its edges with a diffusion model, tile by tile (set extension)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.api import RGB, Bool, Box, EvalContext, Image, Input, Int, NodeType, conform
from plugins.generators import runner, settings
from plugins.generators.imaging import SIZE_MULTIPLE, from_model_rgb, generation_size, resample, rgba, to_model_rgb
from plugins.generators.nodes import common
from plugins.generators.tiling import Blender, Tile, progress_spans, tiles

_MARGINS = ("left", "right", "top", "bottom")


def seam_mask(width: int, height: int, inside: Box, blend: int) -> np.ndarray:
    """(height, width) mask: 1 in the new area, 0 in the source, ramping over `blend` source pixels.

    The ramp runs inward from the source edges that touch new area only; edges on the canvas
    border stay sharp. `inside` is the source's box in canvas pixels.
    """
    known = np.zeros((height, width), np.uint8)
    known[inside.y0:inside.y1, inside.x0:inside.x1] = 1
    if blend <= 0 or known.all():
        return (1 - known).astype(np.float32)
    padded = cv2.copyMakeBorder(known, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)  # the canvas border is not new
    distance = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
    return np.clip(1.0 - distance / float(blend), 0.0, 1.0).astype(np.float32)


class Outpaint(NodeType):
    """Extends the source beyond its edges with inpainting, tile by tile: set extension.

    The canvas is the source's data window grown by left, right, top and bottom pixels, and, with
    extend_to_format, grown to cover the document format as well. The new area is generated with
    the inpainting pipeline, one tile of tile_size pixels at a time (tiles overlapping by
    `overlap` pixels, blended across it), row by row, each tile seeing the ones before it; tiles
    with nothing to generate are skipped. The mask reaches `blend` pixels into the source so the
    seam is repainted softly; deeper inside, the source's pixels are kept exactly:
    out = gen * m + source * (1 - m). The result is opaque, in the working colour space; its data
    window is the canvas and its display window the format (extend_to_format) or the canvas.
    With no margin and extend_to_format off, the source passes through untouched.
    """

    type_id = "generators.Outpaint"
    version = 1
    category = "Generate"
    inputs = (Input("source", doc="The plate or image to extend."),)
    params = (
        common.MODEL,
        *common.PROMPTS,
        *(Int(side, default=0, min=0, max=16384, doc=f"Pixels added on the {side}.") for side in _MARGINS),
        Bool("extend_to_format", default=False,
             doc="Also grow the canvas to cover the document format (reach plate resolution)."),
        Int("blend", default=16, min=0, max=512,
            doc="Source pixels next to the new area that are repainted, fading into the source, to hide the seam."),
        *common.tile_params(1.0),
        *common.SEED,
        *common.SAMPLING,
        *common.STYLE,
        *common.RUNTIME,
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Nothing to extend: the source itself."""
        if not params["extend_to_format"] and not any(params[side] for side in _MARGINS):
            return "source"
        return None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """Model and LoRA files, look-bible prompts and this frame's seed."""
        return common.fingerprint(ctx, params)

    @staticmethod
    def compute(ctx: EvalContext, source: Image, left: int, right: int, top: int, bottom: int,
                extend_to_format: bool, blend: int, strength: float, tile_size: int, overlap: int,
                model_colorspace: str, **params: Any) -> Image:
        """Build the canvas and mask, inpaint the tiles that touch new area, and blend."""
        window = source.data_window
        if window.is_empty:
            raise ctx.error("the source image is empty", hint="connect an image with pixels")
        canvas = Box(window.x0 - left, window.y0 - top, window.x1 + right, window.y1 + bottom)
        if extend_to_format:
            canvas = canvas.union(ctx.format_box)
        display = ctx.format_box if extend_to_format else canvas
        if canvas == window:
            return source.replace(display_window=display)
        generation = settings.resolve(ctx, params)
        inside = Box(window.x0 - canvas.x0, window.y0 - canvas.y0, window.x1 - canvas.x0, window.y1 - canvas.y0)
        width, height = canvas.width, canvas.height
        mask = seam_mask(width, height, inside, blend)
        start = cv2.copyMakeBorder(to_model_rgb(ctx, source, window, model_colorspace), inside.y0,
                                   height - inside.y1, inside.x0, width - inside.x1, cv2.BORDER_REPLICATE)
        tile = max(SIZE_MULTIPLE, tile_size // SIZE_MULTIPLE * SIZE_MULTIPLE)
        overlap = min(overlap, tile // 2)
        pieces = [p for p in tiles(width, height, tile, overlap) if mask[p.slices].max() > 0]
        blender = Blender(width, height, 3, overlap)
        current = start.copy()
        for index, (piece, span) in enumerate(zip(pieces, progress_spans(len(pieces)), strict=True)):
            rgb = _inpaint_tile(ctx, generation, current, mask, piece, strength, index, span)
            blender.add(piece, rgb)
            rows, cols = piece.slices  # later tiles see what this one made
            m = mask[rows, cols, None]
            current[rows, cols] = blender.region(piece, start) * m + start[rows, cols] * (1.0 - m)
        generated = from_model_rgb(ctx, blender.result(fill=start), model_colorspace)
        plate = conform(source, canvas, (*RGB, "A"))
        m = mask[..., None]
        pixels = rgba(generated * m + plate[..., :3] * (1.0 - m), mask + plate[..., 3] * (1.0 - mask))
        return common.output_image(ctx, pixels, canvas, display, generation, source.pixel_aspect,
                                   {"generator/strength": strength, "generator/tiles": len(pieces)})


def _inpaint_tile(ctx: EvalContext, generation: settings.Generation, canvas: np.ndarray, mask: np.ndarray,
                  piece: Tile, strength: float, index: int, span: tuple[float, float]) -> np.ndarray:
    gen_width, gen_height = generation_size(piece.width, piece.height)
    image = resample(canvas[piece.slices], gen_width, gen_height)
    tile_mask = resample(mask[piece.slices][..., None], gen_width, gen_height)[..., 0]
    rgb = runner.generate(ctx, generation, "inpaint", gen_width, gen_height, image=image, mask=tile_mask,
                          strength=strength, seed_offset=index, span=span)
    return resample(rgb, piece.width, piece.height)
