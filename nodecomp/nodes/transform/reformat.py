"""Reformat: fit an image into another format (resolution and pixel aspect), as Nuke does."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.api import PRESETS as FORMAT_PRESETS
from nodecomp.api import Bool, Box, Choice, EvalContext, Float, Image, Input, Int, NodeType, Request
from nodecomp.nodes.transform.warp import FILTERS, crop_image, warp_image

# (width, height, pixel aspect) of the named formats.
PRESETS: dict[str, tuple[int, int, float]] = {
    name: (fmt.width, fmt.height, fmt.pixel_aspect) for name, fmt in FORMAT_PRESETS.items()
}
FORMATS = ("document", *PRESETS, "custom")
RESIZE_MODES = ("none", "fit", "fill", "width", "height", "distort")
_RESIZE_INTERPOLATIONS = {  # cv2.resize's centre-aligned nearest is NEAREST_EXACT
    "nearest": cv2.INTER_NEAREST_EXACT,
    "bilinear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
    "lanczos": cv2.INTER_LANCZOS4,
}


def reformat_scale(
    mode: str, source: tuple[int, int, float], target: tuple[int, int, float]
) -> tuple[float, float]:
    """Pixel scale (sx, sy) taking a `source` (w, h, pixel aspect) format into `target`.

    `width` matches the widths and `height` the heights, keeping the picture's shape: the
    other axis scales by the ratio of pixel aspects too. `fit` picks whichever of the two keeps
    the whole picture inside, `fill` whichever covers the whole target; `distort` matches both
    sides; `none` keeps pixel sizes.
    """
    (in_w, in_h, in_aspect), (out_w, out_h, out_aspect) = source, target
    if mode == "none":
        return 1.0, 1.0
    if mode == "distort":
        return out_w / in_w, out_h / in_h
    by_width = (out_w / in_w, out_w / in_w * out_aspect / in_aspect)
    by_height = (out_h / in_h * in_aspect / out_aspect, out_h / in_h)
    if mode == "width":
        return by_width
    if mode == "height":
        return by_height
    width_fits = in_h * by_width[1] <= out_h
    return by_width if width_fits == (mode == "fit") else by_height


def reformat_matrix(display: Box, scale: tuple[float, float], target: Box, center: bool) -> np.ndarray:
    """The 3x3 matrix placing `display` scaled by `scale` into `target`, centred or at its corner.

    With a scale of 1 the centring offset is rounded down to whole pixels, so a `none` reformat
    only moves pixels and never filters them.
    """
    sx, sy = scale
    ox = (target.width - display.width * sx) / 2 if center else 0.0
    oy = (target.height - display.height * sy) / 2 if center else 0.0
    if (sx, sy) == (1.0, 1.0):
        ox, oy = math.floor(ox), math.floor(oy)
    return np.array([
        [sx, 0.0, target.x0 + ox - display.x0 * sx],
        [0.0, sy, target.y0 + oy - display.y0 * sy],
        [0.0, 0.0, 1.0],
    ])


def aligned_box(data: Box, matrix: np.ndarray) -> Box | None:
    """Where `data` lands under a scale-and-offset `matrix` if its corners land on whole pixels."""
    corners = [data.x0 * matrix[0, 0] + matrix[0, 2], data.y0 * matrix[1, 1] + matrix[1, 2],
               data.x1 * matrix[0, 0] + matrix[0, 2], data.y1 * matrix[1, 1] + matrix[1, 2]]
    rounded = [round(c) for c in corners]
    if any(abs(c - r) > 1e-9 for c, r in zip(corners, rounded, strict=True)):
        return None
    return Box(*rounded)


class Reformat(NodeType):
    """Scales and places the image into a new format, like Nuke's Reformat.

    The input's format (display window, pixel aspect) is mapped into the target format:
    `width` scales so the widths match, `height` so the heights match (the other axis keeps the
    picture's shape, accounting for both pixel aspects), `fit` uses whichever keeps the whole
    picture inside the format, `fill` whichever covers all of it (cropping the rest),
    `distort` stretches both axes to match, `none` keeps pixel sizes. With `center` the scaled
    picture is centred in the new format, otherwise aligned to its top-left corner. In pixels,
    x' = x * sx + ox, y' = y * sy + oy.

    The output display window and pixel aspect are the target format's; the data window is the
    scaled one clipped to it. Edge pixels are extended outward while resampling rather than
    fading to black, so resized plates keep clean borders. Scales whose result lands on whole
    pixels use cv2.resize, others an affine warp; `filter` is used as chosen for enlarging and
    reducing alike (no extra pre-filter: reducing by more than 2x can alias, so blur first).

    For a region of interest the input is asked for everything (where the region comes from
    depends on the input's format) and only the region's pixels are resampled. At a proxy
    scale 1/n the reduced input goes into the reduced target format, so the picture equals the
    full one reduced up to resampling when both formats' sizes are multiples of n (otherwise
    the scale and the centring differ by a fraction of a proxy pixel).
    """

    type_id = "nodecomp.Reformat"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to reformat."),)
    params = (
        Choice("format", default="document", choices=FORMATS,
               doc="Target format: the document's, a named preset, or custom (width, height, pixel aspect)."),
        Int("width", default=1920, min=1, max=65536, doc="Width in pixels of the custom format."),
        Int("height", default=1080, min=1, max=65536, doc="Height in pixels of the custom format."),
        Float("pixel_aspect", default=1.0, min=0.01, max=100.0, doc="Pixel aspect of the custom format."),
        Choice("resize", default="width", choices=RESIZE_MODES,
               doc="How the picture is scaled into the format: none, fit, fill, width, height, distort."),
        Bool("center", default=True, doc="Centre the picture in the format instead of aligning it top-left."),
        Choice("filter", default="cubic", choices=FILTERS,
               doc="Resampling filter: nearest (blocky), bilinear (soft), cubic, lanczos (sharpest)."),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The document format, when that is the target (it is read outside the params)."""
        if params["format"] != "document":
            return None
        return (ctx.format.width, ctx.format.height, ctx.format.pixel_aspect)

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """Everything, at the request's scale: the input's format places the region."""
        return {"source": request.with_region(None)}

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        format: str,
        width: int,
        height: int,
        pixel_aspect: float,
        resize: str,
        center: bool,
        filter: str,
    ) -> Image:
        """Scale and place `source` into the target format."""
        if format == "document":
            target = (ctx.format.width, ctx.format.height, float(ctx.format.pixel_aspect))
        elif format == "custom":
            target = (width, height, pixel_aspect)
        else:
            target = PRESETS[format]
        display = source.display_window
        if display.is_empty:
            raise ctx.error("the input has an empty format", hint="give the input a format before reformatting")
        target_box = Box(0, 0, target[0], target[1]).reduced(ctx.request.step)
        scale = reformat_scale(resize, (display.width, display.height, source.pixel_aspect),
                               (target_box.width, target_box.height, target[2]))
        matrix = reformat_matrix(display, scale, target_box, center)
        clip = target_box if ctx.request.window is None else target_box.intersect(ctx.request.window)
        placed = aligned_box(source.data_window, matrix)
        if placed is not None and placed.width == source.width and placed.height == source.height:
            image = crop_image(source, placed, clip)  # whole-pixel move: no resampling
        elif placed is not None and not placed.is_empty and not source.data_window.is_empty:
            resized = cv2.resize(source.pixels, (placed.width, placed.height),
                                 interpolation=_RESIZE_INTERPOLATIONS[filter])
            resized = resized.reshape(placed.height, placed.width, len(source.channels))
            image = crop_image(source.with_pixels(resized, data_window=placed), placed, clip)
        else:
            image = warp_image(source, matrix, filter, clip, extend_edges=True)
        return image.replace(display_window=target_box, pixel_aspect=target[2])
