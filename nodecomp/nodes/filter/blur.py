"""Blur: Gaussian or box blur per axis, black outside the data window (the EXR convention)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import cv2
import numpy as np

from nodecomp.api import (
    RGB,
    RGBA,
    Bool,
    Choice,
    EvalContext,
    Image,
    Input,
    NodeType,
    Region,
    Request,
    Vec2,
    conform,
)

FILTERS = ("gaussian", "box")
# Channels each `channels` choice blurs; None means every channel of every layer.
SELECTIONS: dict[str, tuple[str, ...] | None] = {"rgba": RGBA, "rgb": RGB, "alpha": ("A",), "all": None}


def gaussian_radius(sigma: float) -> int:
    """Half the kernel size OpenCV picks for a float32 Gaussian: round(8 sigma + 1) | 1, i.e. ~4 sigma."""
    return 0 if sigma <= 0 else (int(round(sigma * 8 + 1)) | 1) // 2


def box_kernel(width: float) -> np.ndarray:
    """Normalised taps of a centred box `width` pixels wide; fractional widths weight the end taps.

    Tap i gets the length of [i - 0.5, i + 0.5] inside [-width/2, width/2], so the box stays
    centred for even and fractional widths (OpenCV's box filter would shift an even box by half
    a pixel). A width of 1 or less is the identity.
    """
    half = max(float(width), 1.0) / 2
    radius = math.ceil(half - 0.5)
    taps = np.arange(-radius, radius + 1, dtype=np.float64)
    weights = np.clip(np.minimum(taps + 0.5, half) - np.maximum(taps - 0.5, -half), 0.0, None)
    return (weights / weights.sum()).astype(np.float32)


def blur_radius(size: Sequence[float], filter: str) -> tuple[int, int]:
    """How far (x, y pixels) the blur spreads a pixel: how much the data window grows."""
    if filter == "gaussian":
        return gaussian_radius(size[0]), gaussian_radius(size[1])
    return len(box_kernel(size[0])) // 2, len(box_kernel(size[1])) // 2


def blur_pixels(pixels: np.ndarray, size: Sequence[float], filter: str) -> np.ndarray:
    """Blur an (H, W, C) float32 array into a new one, reading black beyond its edges.

    Args:
        pixels: any channel count; only read.
        size: (x, y) Gaussian standard deviation, or box width, in pixels; 0 leaves that axis.
        filter: "gaussian" or "box".

    Returns:
        A new (H, W, C) float32 array.
    """
    if filter == "gaussian":
        rx, ry = blur_radius(size, filter)
        result = cv2.GaussianBlur(
            pixels, (2 * rx + 1, 2 * ry + 1), sigmaX=float(size[0]), sigmaY=float(size[1]),
            borderType=cv2.BORDER_CONSTANT,
        )
    else:
        kx, ky = box_kernel(size[0]), box_kernel(size[1])
        if all(len(k) == max(float(w), 1.0) for k, w in ((kx, size[0]), (ky, size[1]))):  # odd widths
            result = cv2.blur(pixels, (len(kx), len(ky)), borderType=cv2.BORDER_CONSTANT)
        else:
            result = cv2.sepFilter2D(pixels, -1, kx, ky, borderType=cv2.BORDER_CONSTANT)
    return result.reshape(pixels.shape)  # OpenCV drops the channel axis of one-channel images


def selected_indices(channels: Sequence[str], selection: str) -> list[int]:
    """Indices of the channels a `channels` choice blurs, in pixel order."""
    wanted = SELECTIONS[selection]
    return [i for i, name in enumerate(channels) if wanted is None or name in wanted]


class Blur(NodeType):
    """Blurs with a Gaussian (size = standard deviation per axis) or a box (size = width).

    Gaussian: out(x, y) = sum over (i, j) of in(x - i, y - j) * g(i; size.x) * g(j; size.y),
    with g(t; s) = exp(-t^2 / (2 s^2)), normalised, out to about 4 standard deviations (the
    kernel OpenCV builds for float32 images). Box: the mean over a centred box size.x by size.y
    pixels wide; fractional widths weight the edge taps. A size of 0 on an axis leaves that
    axis sharp; 0 on both passes the input through.

    Pixels outside the data window are black, so edges darken as they would against a black
    surround. The data window grows by the kernel radius; with `crop` on (the default, like
    Nuke's Blur) it is then clipped to the image's format (display window). Channels not
    selected by `channels` are copied (black in the grown margin). Colour is premultiplied,
    so blurring R, G, B with A keeps edges free of dark or bright fringes. At a proxy scale
    size is scaled with the image; for a region of interest only the pixels within the
    kernel's reach of it are asked of the input.
    """

    type_id = "nodecomp.Blur"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to blur."),)
    params = (
        Vec2("size", default=(0.0, 0.0), min=0.0, pixels=True,
             doc="Per-axis Gaussian standard deviation, or box width, in pixels (x, y)."),
        Choice("filter", default="gaussian", choices=FILTERS,
               doc="gaussian: smooth falloff; box: flat average, size is the box width."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels to blur: the main layer's RGBA, RGB, alpha, or every layer."),
        Bool("crop", default=True, doc="Clip the grown data window to the format."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """A zero size (or a box of at most one pixel) changes nothing."""
        return "source" if blur_radius(params["size"], params["filter"]) == (0, 0) else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region of interest grows by the kernel's reach: the pixels that blur into it."""
        return {"source": request.grown(*blur_radius(params["size"], params["filter"]))}

    @classmethod
    def region_of_definition(cls, ctx: EvalContext, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Any:
        """The input's window grown by the kernel's reach, cropped to its format when `crop` is on."""
        source = inputs.get("source")
        if source is None:
            return None
        rx, ry = blur_radius(params["size"], params["filter"])
        if (rx, ry) == (0, 0):
            return source
        window = source.data_window.padded(rx, ry)
        if params["crop"]:
            window = window.intersect(source.display_window)
        return Region(window, source.display_window)

    @staticmethod
    def compute(
        ctx: EvalContext, source: Image, size: tuple[float, float], filter: str, channels: str, crop: bool
    ) -> Image:
        """Blur the selected channels over the grown (and optionally cropped) data window."""
        selected = selected_indices(source.channels, channels)
        rx, ry = blur_radius(size, filter)
        if not selected or (rx, ry) == (0, 0):
            return source
        data = source.data_window
        window = data.padded(rx, ry)
        if crop:
            window = window.intersect(source.display_window)
        if window.is_empty:
            return source.with_pixels(np.zeros((0, 0, len(source.channels)), np.float32), data_window=window)
        # Filter over the output window plus the input pixels within reach of it; pixels farther
        # out cannot affect the result. With a full-frame input this is the input itself: no copy.
        reach = data.intersect(window.padded(rx, ry))
        region = window.union(reach)
        if region == data and len(selected) == len(source.channels):
            region_pixels = source.pixels
        else:
            region_pixels = conform(source, region, [source.channels[i] for i in selected])
        blurred = blur_pixels(region_pixels, size, filter)
        if region != window:
            blurred = np.ascontiguousarray(
                blurred[window.y0 - region.y0:window.y1 - region.y0, window.x0 - region.x0:window.x1 - region.x0]
            )
        if len(selected) < len(source.channels):
            pixels = conform(source, window)
            pixels[..., selected] = blurred
            blurred = pixels
        return source.with_pixels(blurred, data_window=window)
