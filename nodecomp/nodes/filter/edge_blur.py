"""EdgeBlur: soften an element only along its alpha edge, the usual fix for a hard key or cut-out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType, Request
from nodecomp.nodes.filter.blur import SELECTIONS, blur_pixels, gaussian_radius, selected_indices
from nodecomp.nodes.filter.window import filter_channels


def edge_band(alpha: np.ndarray, size: float, edge_mult: float) -> np.ndarray:
    """How much each pixel is blurred: 1 on the alpha edge, falling to 0 inside and outside.

    band = clamp(edge_mult * 4 * b * (1 - b), 0, 1) with b = clamp(G(alpha, size), 0, 1): b is
    0.5 on a straight edge and 0 or 1 farther than ~2 sizes from it, so the band is about
    2 * size wide and reaches 1 on the edge for edge_mult >= 1.

    Args:
        alpha: (H, W) float32 alpha; only read.
        size: Gaussian standard deviation in pixels.
        edge_mult: widens (> 1) or weakens (< 1) the band.

    Returns:
        A new (H, W) float32 array in 0..1.
    """
    smooth = blur_pixels(alpha[..., None], (size, size), "gaussian")[..., 0]
    np.clip(smooth, 0.0, 1.0, out=smooth)
    band = smooth * (1.0 - smooth)
    band *= np.float32(4.0 * edge_mult)
    return np.clip(band, 0.0, 1.0, out=band)


def edge_blur_pixels(pixels: np.ndarray, alpha: np.ndarray, size: float, edge_mult: float) -> np.ndarray:
    """Blend channels towards their Gaussian blur by the alpha edge band; black beyond the array.

    Args:
        pixels: (H, W, C) float32 channels to blend; only read.
        alpha: (H, W) float32 alpha that places the band; only read.
        size: Gaussian standard deviation in pixels.
        edge_mult: band strength (see `edge_band`).

    Returns:
        A new (H, W, C) float32 array.
    """
    band = edge_band(alpha, size, edge_mult)[..., None]
    colour = np.ascontiguousarray(pixels)
    blurred = blur_pixels(colour, (size, size), "gaussian")
    blurred -= colour
    blurred *= band
    blurred += colour
    return blurred


class EdgeBlur(NodeType):
    """Blurs an image only near the edges of its alpha, leaving the inside and outside sharp.

    b = clamp(G(A, size), 0, 1); band = clamp(edge_mult * 4 b (1 - b), 0, 1);
    out = in + band * (G(in, size) - in), with G a Gaussian of standard deviation `size`
    and A the main alpha. The band peaks on the alpha edge and is about 2 * size wide. Alpha is
    blurred with the same band, so colour and alpha stay premultiplied-consistent.

    Pixels outside the data window are black; the data window grows by the blur radius and,
    with `crop` on, is clipped to the format. An image without alpha is an error. A size or
    edge_mult of 0 passes the input through. At a proxy scale size is scaled with the image;
    for a region of interest only the pixels within the blur's reach of it are asked of the input.
    """

    type_id = "nodecomp.EdgeBlur"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The element to soften; its alpha decides where the edges are."),)
    params = (
        Float("size", default=3.0, min=0.0, slider_max=20.0, pixels=True,
              doc="Gaussian standard deviation of the blur, in pixels; the edge band is about twice as wide."),
        Float("edge_mult", default=1.0, min=0.0, slider_max=4.0,
              doc="Strength of the edge band: above 1 widens it, below 1 blends less of the blur in."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels to blur at the edge: the main layer's RGBA, RGB, alpha, or every layer."),
        Bool("crop", default=True, doc="Clip the grown data window to the format."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No blur or no band changes nothing."""
        return "source" if gaussian_radius(params["size"]) == 0 or params["edge_mult"] == 0.0 else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the pixels its blurs read: grown by the Gaussian's reach."""
        radius = gaussian_radius(params["size"])
        return {"source": request.grown(radius, radius)}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, size: float, edge_mult: float, channels: str, crop: bool) -> Image:
        """Blend the selected channels towards their blur by the alpha edge band."""
        if "A" not in source.channels:
            raise ctx.error(
                f"EdgeBlur needs an alpha channel to find edges (channels: {', '.join(source.channels)})",
                hint="add an alpha upstream, e.g. with a Shuffle or a Roto",
            )
        radius = gaussian_radius(size)
        selected = [source.channels[i] for i in selected_indices(source.channels, channels)]
        if "A" in selected:  # alpha is among the filtered channels: no separate guide, no copy
            alpha_at = selected.index("A")
            return filter_channels(
                source, channels, lambda pixels: edge_blur_pixels(pixels, pixels[..., alpha_at], size, edge_mult),
                reach=(radius, radius), grow=True, crop=crop,
            )
        return filter_channels(
            source, channels, lambda pixels: edge_blur_pixels(pixels[..., :-1], pixels[..., -1], size, edge_mult),
            reach=(radius, radius), grow=True, crop=crop, guide="A",
        )
