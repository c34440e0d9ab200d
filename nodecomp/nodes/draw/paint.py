"""Putting what a draw node rendered into an image: on its own, or over an optional background.

Every draw node that has a `source` input renders premultiplied RGBA "paint" on part of a
canvas (the source's display window, or the document format without a source) and hands it
here. Without a source the paint becomes a new image of the format; with one it goes over
the source (out = paint + source * (1 - paint.alpha)) and the source's other layers, display
window, metadata and colour space are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Box, EvalContext, Image, conform


def canvas_box(ctx: EvalContext, source: Image | None) -> Box:
    """Where a draw node draws: the source's display window, else the document format."""
    return source.display_window if source is not None else ctx.format_box


def draw_box(ctx: EvalContext, source: Image | None) -> Box:
    """The part of the canvas a draw node computes: all of it, or the requested region of it."""
    canvas = canvas_box(ctx, source)
    window = ctx.request.window
    return canvas if window is None else canvas.intersect(window)


def generator_fingerprint(ctx: EvalContext) -> tuple[Any, ...]:
    """What a draw node reads besides its params when it has no source: the format and working space.

    The engine adds the document format to the cache key only of nodes without inputs; a draw
    node with an unconnected optional input needs it too.
    """
    return (ctx.format.width, ctx.format.height, float(ctx.format.pixel_aspect), ctx.working_space)


def nothing_drawn(params: Mapping[str, Any]) -> bool:
    """True when a draw node's paint is invisible (zero opacity or a black, transparent colour).

    Such a node passes its source through untouched (its `pass_through`).
    """
    return params["opacity"] == 0.0 or not any(params["color"])


def paint_image(
    ctx: EvalContext,
    source: Image | None,
    paint: np.ndarray,
    box: Box,
    outside: tuple[float, float, float, float] | None = None,
) -> Image:
    """The draw node's result: `paint` on `box`, `outside` elsewhere on the canvas, over `source`.

    Args:
        ctx: the node's context (format, working space).
        source: the optional background; None draws on a transparent canvas of the format.
        paint: (box.height, box.width, 4) premultiplied RGBA; only read, except that a
            contiguous float32 paint covering the whole canvas of a node without source
            becomes the result itself (callers pass an array they own).
        box: where `paint` lies, inside the canvas (inside `draw_box`).
        outside: premultiplied RGBA painted over the rest of the canvas (an inverted shape),
            or None for nothing.

    Returns:
        A new image: RGBA (plus the source's other channels after them).
    """
    canvas = canvas_box(ctx, source)
    draw = draw_box(ctx, source)
    if source is None and box == draw and outside is None and paint.dtype == np.float32 \
            and paint.flags.c_contiguous:
        pixels = paint  # the paint already is the whole image (a ramp, noise): no copy
        return Image(pixels, RGBA, draw, canvas, pixel_aspect=ctx.format.pixel_aspect,
                     colorspace=ctx.working_space)
    if source is None:
        pixels = np.zeros((draw.height, draw.width, 4), np.float32)
        if outside is not None:
            pixels[...] = np.asarray(outside, np.float32)
        _put(pixels, draw, paint, box)
        return Image(pixels, RGBA, draw, canvas, pixel_aspect=ctx.format.pixel_aspect,
                     colorspace=ctx.working_space)
    window = source.data_window.union(draw if outside is not None else box)
    names = RGBA + tuple(c for c in source.channels if c not in RGBA)
    pixels = conform(source, window, names)
    rgba = pixels[..., :4]
    if outside is not None:
        colour = np.asarray(outside, np.float32)
        saved = _view(rgba, window, box).copy()  # the box gets `paint` instead of `outside`
        part = _view(rgba, window, draw.intersect(window))
        part *= np.float32(1.0 - colour[3])
        part += colour
        _view(rgba, window, box)[...] = saved
    target = _view(rgba, window, box)
    target *= 1.0 - paint[..., 3:4]
    target += paint
    return source.replace(pixels=pixels, channels=names, data_window=window)


def _view(pixels: np.ndarray, window: Box, box: Box) -> np.ndarray:
    """The part of `pixels` (laid out on `window`) that covers `box` (inside the window)."""
    return pixels[box.y0 - window.y0:box.y1 - window.y0, box.x0 - window.x0:box.x1 - window.x0]


def _put(pixels: np.ndarray, window: Box, paint: np.ndarray, box: Box) -> None:
    """Copy `paint` (on `box`) into `pixels` (on `window`)."""
    if not box.is_empty:
        _view(pixels, window, box)[...] = paint
