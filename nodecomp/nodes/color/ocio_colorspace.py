"""OCIOColorSpace: convert colour between two spaces of the document's OCIO config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Bool, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.color.affine import main_rgb
from nodecomp.nodes.color.ocio_apply import apply_processor


class OCIOColorSpace(NodeType):
    """Converts R, G, B from one colour space of the OCIO config to another.

    Names may be colour spaces, aliases or roles (`scene_linear`, `compositing_log`,
    `ACEScct`, `sRGB Encoded Rec.709 (sRGB)`); `nodecomp info --colorspaces` lists them. The
    conversion is the config's processor, as `oiiotool --colorconvert` and Nuke's
    OCIOColorSpace apply it. With `unpremultiply` (default) colour is divided by alpha first
    and multiplied back after, so a transfer function does not darken soft edges; pixels with
    alpha 0 are converted as they are. Alpha and other layers are copied. The output is tagged
    with `out_colorspace`; the rest of the graph assumes the working space, so convert back
    before merging with other images. Same spaces pass through; an unknown name is an error.
    The config's cache id is part of the cache key.
    """

    type_id = "nodecomp.OCIOColorSpace"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to convert."),)
    params = (
        String("in_colorspace", default="scene_linear", doc="Colour space of the input (name, alias or role)."),
        String("out_colorspace", default="scene_linear", doc="Colour space to convert to (name, alias or role)."),
        Bool("unpremultiply", default=True, doc="Convert unpremultiplied colour (divide by alpha, multiply after)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """The same name on both sides converts nothing."""
        return "source" if params["in_colorspace"].strip() == params["out_colorspace"].strip() else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The config (its cache id changes whenever its meaning does)."""
        return ctx.colour.cache_id

    @staticmethod
    def compute(ctx: EvalContext, source: Image, in_colorspace: str, out_colorspace: str,
                unpremultiply: bool) -> Image:
        """Convert the main R, G, B."""
        source_space = ctx.colour.canonical(in_colorspace.strip())
        target_space = ctx.colour.canonical(out_colorspace.strip())
        rgb = main_rgb(source.channels)
        if rgb is None or source_space == target_space:
            return source.replace(colorspace=target_space)
        processor = ctx.colour.processor(source_space, target_space)
        alpha = source.alpha_index() if unpremultiply else None
        pixels = apply_processor(processor, source.pixels, rgb, alpha=alpha, check=ctx.check_cancelled)
        return source.replace(pixels=pixels, colorspace=target_space)
