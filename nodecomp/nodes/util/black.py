"""Black frames in the document format, for nodes with nothing to show (a gap, outside a range)."""

from __future__ import annotations

from typing import Any

from nodecomp.api import RGBA, EvalContext, Image


def black_frame(ctx: EvalContext) -> Image:
    """A transparent black RGBA image filling the document format, in the working space."""
    return Image.blank(ctx.format_box, RGBA, 0.0, colorspace=ctx.working_space).replace(
        pixel_aspect=ctx.format.pixel_aspect
    )


def format_fingerprint(ctx: EvalContext) -> Any:
    """What `black_frame` reads outside the params: the document format (and working space)."""
    return (ctx.format.width, ctx.format.height, ctx.format.pixel_aspect, ctx.working_space)
