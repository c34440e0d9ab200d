"""Defocus: an out-of-focus lens blur, every pixel spread over a flat disc (bokeh)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType, Request
from nodecomp.nodes.filter.blur import SELECTIONS
from nodecomp.nodes.filter.kernels import convolve, disc_kernel
from nodecomp.nodes.filter.window import filter_channels


def disc_reach(radius: float) -> int:
    """How far (pixels) a disc of `radius` spreads a pixel: the kernel's half size."""
    return len(disc_kernel(radius)) // 2


class Defocus(NodeType):
    """Simulates a lens out of focus: each pixel becomes a flat, antialiased disc of light.

    out(x, y) = sum over taps (i, j) of in(x + i, y + j) * D(i, j), with D the disc of radius
    `size` integrated over each tap's pixel and normalised to sum 1. Unlike a Gaussian the
    disc keeps bright highlights as crisp-edged circles (bokeh), which is why it should run on
    scene-linear, premultiplied pixels: a 10x over-range highlight stays 10x brighter than its
    surround inside its disc. Large discs use OpenCV's DFT convolution, so the time barely
    depends on `size`.

    Pixels outside the data window are black; the data window grows by the disc radius and,
    with `crop` on, is clipped to the format. A NaN or infinite input spreads over its own
    disc only (+inf as +inf, NaN as NaN), never over the whole frame. A `size` of 0.5 or less
    touches no neighbour, so the node passes its input through. At a proxy scale size is
    scaled with the image; for a region of interest only the pixels within a disc radius of it
    are asked of the input (large discs go through a DFT whose rounding depends on the image
    size, so a region's pixels may differ from the whole render's by about 1e-6).
    """

    type_id = "nodecomp.Defocus"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to defocus (scene-linear, premultiplied)."),)
    params = (
        Float("size", default=0.0, min=0.0, slider_max=100.0, pixels=True,
              doc="Radius of the bokeh disc, in pixels."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels to defocus: the main layer's RGBA, RGB, alpha, or every layer."),
        Bool("crop", default=True, doc="Clip the grown data window to the format."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """A disc that stays inside its own pixel changes nothing."""
        return "source" if disc_reach(params["size"]) == 0 else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the pixels whose discs reach it: grown by the disc radius."""
        reach = disc_reach(params["size"])
        return {"source": request.grown(reach, reach)}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, size: float, channels: str, crop: bool) -> Image:
        """Convolve the selected channels with the disc over the grown data window."""
        kernel = disc_kernel(size)
        reach = len(kernel) // 2
        if reach == 0:
            return source
        return filter_channels(
            source, channels, lambda pixels: convolve(pixels, kernel), reach=(reach, reach), grow=True, crop=crop
        )
