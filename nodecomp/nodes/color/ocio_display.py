"""OCIODisplay: a display/view transform, as a viewer or a review render applies it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import PyOpenColorIO as ocio

from nodecomp.api import Bool, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.color.affine import main_rgb
from nodecomp.nodes.color.ocio_apply import ProcessorCache, apply_processor

PROCESSORS = ProcessorCache()


def display_view(config: ocio.Config, display: str, view: str) -> tuple[str, str]:
    """The display and view to use (empty means the config's defaults), checked against the config.

    Raises:
        ValueError: an unknown display, or a view the display does not have (the message lists
            the valid ones).
    """
    display = display.strip() or config.getDefaultDisplay()
    displays = list(config.getDisplays())
    if display not in displays:
        raise ValueError(f"unknown display {display!r}; the config has: {', '.join(displays)}")
    views = list(config.getViews(display))
    view = view.strip() or config.getDefaultView(display)
    if view not in views:
        raise ValueError(f"display {display!r} has no view {view!r}; it has: {', '.join(views)}")
    return display, view


def display_processor(config: ocio.Config, source: str, display: str, view: str, *, inverse: bool = False,
                      looks: str = "") -> ocio.CPUProcessor:
    """The CPU processor of a DisplayViewTransform (with a looks override when `looks` is set)."""
    direction = ocio.TRANSFORM_DIR_INVERSE if inverse else ocio.TRANSFORM_DIR_FORWARD
    transform = ocio.DisplayViewTransform(src=source, display=display, view=view, direction=direction)
    if not looks.strip():
        return config.getProcessor(transform).getDefaultCPUProcessor()
    pipeline = ocio.LegacyViewingPipeline()
    pipeline.setDisplayViewTransform(transform)
    pipeline.setLooksOverrideEnabled(True)
    pipeline.setLooksOverride(looks.strip())
    return pipeline.getProcessor(config, config.getCurrentContext()).getDefaultCPUProcessor()


class OCIODisplay(NodeType):
    """Applies an OCIO display/view transform: what a monitor of `display` shows through `view`.

    The input is in `input_colorspace` (default: the working space); the output is display
    code values (e.g. sRGB-encoded 0..1 for "sRGB - Display"), ready for a review file or a
    burn-in, tagged with the view's colour space. Empty `display`/`view` take the config's
    defaults ("sRGB - Display" / "ACES 2.0 - SDR 100 nits (Rec.709)" in the built-in studio
    config). `looks` overrides the view's looks (comma list, as OCIO spells them). `inverse`
    goes from display values back to the input space (for graphics made on a monitor).

    Speed: the ACES 2.0 output transforms are expensive on the CPU, about 1 s per 1920x1080
    frame; "Un-tone-mapped" and "Video (colorimetric)" views take about 0.03 s. Built
    processors are cached (per config, space, display, view, looks, direction), so only the
    first frame pays the build. With `unpremultiply` (default) colour is divided by alpha first
    and multiplied back. Alpha and other layers are copied.
    """

    type_id = "nodecomp.OCIODisplay"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The scene-referred image to view."),)
    params = (
        String("input_colorspace", default="scene_linear", doc="Colour space of the input (name, alias or role)."),
        String("display", default="", doc="OCIO display; empty for the config's default display."),
        String("view", default="", doc="View of that display; empty for the display's default view."),
        String("looks", default="", doc="Looks replacing the view's own (comma list); empty keeps the view's."),
        Bool("inverse", default=False, doc="Apply the inverse: display values back to the input colour space."),
        Bool("unpremultiply", default=True, doc="Transform unpremultiplied colour (divide by alpha, multiply after)."),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The config (its cache id changes whenever its meaning does)."""
        return ctx.colour.cache_id

    @staticmethod
    def compute(ctx: EvalContext, source: Image, input_colorspace: str, display: str, view: str, looks: str,
                inverse: bool, unpremultiply: bool) -> Image:
        """Apply the display/view transform to the main R, G, B."""
        config = ctx.colour.config
        space = ctx.colour.canonical(input_colorspace.strip())
        try:
            display, view = display_view(config, display, view)
        except ValueError as exc:
            raise ctx.error(str(exc), path=ctx.colour.source, hint="fix the display or view param") from None
        key = (ctx.colour.cache_id, space, display, view, looks.strip(), inverse)
        try:
            processor = PROCESSORS.get(
                key, lambda: display_processor(config, space, display, view, inverse=inverse, looks=looks)
            )
        except ocio.Exception as exc:
            raise ctx.error(f"cannot build the {display}/{view} transform: {exc}", path=ctx.colour.source,
                            hint="check the looks and the config") from None
        tag = config.getDisplayViewColorSpaceName(display, view)
        if tag in ("", "<USE_DISPLAY_NAME>"):
            tag = display
        rgb = main_rgb(source.channels)
        if rgb is None:
            return source.replace(colorspace=space if inverse else tag)
        alpha = source.alpha_index() if unpremultiply else None
        pixels = apply_processor(processor, source.pixels, rgb, alpha=alpha, check=ctx.check_cancelled)
        return source.replace(pixels=pixels, colorspace=space if inverse else tag)
