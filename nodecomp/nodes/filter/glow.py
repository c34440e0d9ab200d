"""Glow: the bright parts of an image, blurred and added back (light blooming around highlights)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGB, Bool, EvalContext, Float, Image, Input, NodeType, Request, Vec2, conform
from nodecomp.nodes.filter.blur import blur_pixels, blur_radius
from nodecomp.nodes.filter.window import output_window, region_pixels

# Rec. 709 luminance weights: the brightness the threshold is measured on.
LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


def highlights(rgb: np.ndarray, tolerance: float) -> np.ndarray:
    """The part of each pixel brighter than `tolerance`, with its hue kept.

    h = rgb * max(L - tolerance, 0) / L, L the Rec. 709 luminance: a pixel at L = 2 with
    tolerance 1 keeps half of its colour. Pixels with L <= tolerance, or L <= 0, give 0.

    Args:
        rgb: (H, W, 3) float32; only read.
        tolerance: luminance below which nothing glows.

    Returns:
        A new (H, W, 3) float32 array.
    """
    luma = rgb @ LUMA
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(luma > max(tolerance, 0.0), (luma - np.float32(tolerance)) / luma, np.float32(0.0))
    return rgb * scale[..., None].astype(np.float32)


def glow_pixels(rgb: np.ndarray, tolerance: float, brightness: float, size: tuple[float, float],
                effect_only: bool) -> np.ndarray:
    """The image plus brightness * G(highlights, size), or the glow alone; black beyond the array's edge."""
    glow = blur_pixels(highlights(rgb, tolerance), size, "gaussian")
    glow *= np.float32(brightness)
    if not effect_only:
        glow += rgb
    return glow


class Glow(NodeType):
    """Adds a soft bloom around the parts of the image brighter than `tolerance`.

    L = 0.2126 R + 0.7152 G + 0.0722 B; h = rgb * max(L - tolerance, 0) / L;
    out.rgb = in.rgb + brightness * G(h, size), with G a Gaussian of standard deviation
    `size` per axis. The highlight keeps its hue; work in scene-linear so over-range
    highlights (L > 1) bloom the most. Alpha and other layers are copied: a glow is light,
    so in the grown margin it is added colour over alpha 0 (premultiplied "emission").
    With `effect_only` the output is the glow alone, to merge (plus) elsewhere.

    Pixels outside the data window are black; the data window grows by the blur radius and,
    with `crop` on, is clipped to the format. The glow is written to the main layer's R, G, B (missing
    ones read as 0 and are not created; an image without any of them is returned as it is).
    A brightness of 0 passes the input through. At a proxy scale size is scaled with the image;
    for a region of interest only the pixels within the blur's reach of it are asked of the input.
    """

    type_id = "nodecomp.Glow"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image whose highlights glow (scene-linear)."),)
    params = (
        Float("tolerance", default=0.8, slider_min=0.0, slider_max=4.0,
              doc="Luminance above which pixels glow; the excess is what glows."),
        Float("brightness", default=1.0, min=0.0, slider_max=4.0, doc="Multiplies the glow before it is added."),
        Vec2("size", default=(10.0, 10.0), min=0.0, pixels=True,
             doc="Gaussian standard deviation of the glow per axis, in pixels (x, y)."),
        Bool("effect_only", default=False, doc="Output only the glow instead of the image plus the glow."),
        Bool("crop", default=True, doc="Clip the grown data window to the format."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No brightness adds nothing (unless only the effect is wanted)."""
        return "source" if params["brightness"] == 0.0 and not params["effect_only"] else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the highlights whose glow reaches it: grown by the Gaussian's reach."""
        return {"source": request.grown(*blur_radius(params["size"], "gaussian"))}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, tolerance: float, brightness: float, size: tuple[float, float],
                effect_only: bool, crop: bool) -> Image:
        """Add the blurred highlights to the main layer's RGB over the grown data window."""
        if not any(name in source.channels for name in RGB):
            return source
        reach = blur_radius(size, "gaussian")
        window = output_window(source, reach, grow=True, crop=crop)
        if window.is_empty:
            return source.with_pixels(np.zeros((0, 0, len(source.channels)), np.float32), data_window=window)
        region = window.union(source.data_window.intersect(window.padded(*reach)))
        present = [name for name in RGB if name in source.channels]
        rgb = region_pixels(source, region, [source.index(c) for c in RGB]) if len(present) == 3 \
            else conform(source, region, RGB)
        glow = glow_pixels(rgb, tolerance, brightness, size, effect_only)
        glow = glow[window.y0 - region.y0:window.y1 - region.y0, window.x0 - region.x0:window.x1 - region.x0]
        if effect_only:
            pixels = np.zeros((window.height, window.width, len(source.channels)), np.float32)
        elif window == source.data_window:
            pixels = np.array(source.pixels)
        else:
            pixels = conform(source, window)
        pixels[..., [source.index(c) for c in present]] = glow[..., [RGB.index(c) for c in present]]
        return source.with_pixels(pixels, data_window=window)
