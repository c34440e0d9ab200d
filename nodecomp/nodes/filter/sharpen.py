"""Sharpen: an unsharp mask, the image plus a multiple of its difference from a blurred copy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.api import Choice, EvalContext, Float, Image, Input, NodeType, Request
from nodecomp.nodes.filter.blur import SELECTIONS, gaussian_radius
from nodecomp.nodes.filter.window import filter_channels


def sharpen_pixels(pixels: np.ndarray, size: float, amount: float, threshold: float) -> np.ndarray:
    """Unsharp-mask an (H, W, C) float32 array into a new one.

    d = in - gaussian(in, size); out = in + amount * d where |d| > threshold, else in. Beyond
    the array's edge the blur repeats the edge pixels (OpenCV `BORDER_REPLICATE`, OIIO's
    clamp), so a frame's border does not turn into a bright rim.

    Args:
        pixels: any channel count; only read.
        size: Gaussian standard deviation in pixels (OpenCV's float32 kernel, ~4 sigma).
        amount: how much of the difference is added (OIIO's `contrast`).
        threshold: differences of at most this magnitude are left out (OIIO's `threshold`).

    Returns:
        A new (H, W, C) float32 array.
    """
    radius = gaussian_radius(size)
    blurred = cv2.GaussianBlur(
        pixels, (2 * radius + 1, 2 * radius + 1), sigmaX=float(size), sigmaY=float(size),
        borderType=cv2.BORDER_REPLICATE,
    ).reshape(pixels.shape)
    detail = np.subtract(pixels, blurred, out=blurred)
    if threshold > 0.0:
        detail[np.abs(detail) <= np.float32(threshold)] = 0.0
    detail *= np.float32(amount)
    return np.add(pixels, detail, out=detail)


class Sharpen(NodeType):
    """Sharpens with an unsharp mask: adds back the detail a Gaussian blur removes.

    d = in - G(in, size); out = in + amount * d where |d| > threshold, else in. This is
    OpenImageIO's `unsharp_mask` (size = its kernel width / 4, amount = contrast, same strict
    threshold) with OpenCV's Gaussian, which reaches 4 standard deviations instead of 2. The
    threshold keeps flat areas and grain from being sharpened. Sharpening overshoots at hard
    edges (by design); on alpha that makes values outside 0..1, which is why the default
    channels are RGB.

    The data window does not change, and the blur repeats the edge pixels beyond it, so a
    full-frame plate gets no rim at the frame edge. NaN and infinity follow IEEE arithmetic
    over the blur's footprint. An `amount` of 0 or a `size` too small to reach a neighbour
    passes the input through. At a proxy scale size is scaled with the image; for a region
    of interest only the pixels within the blur's reach of it are asked of the input.
    """

    type_id = "nodecomp.Sharpen"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to sharpen."),)
    params = (
        Float("size", default=1.0, min=0.0, slider_max=10.0, pixels=True,
              doc="Standard deviation of the blur the detail is measured against, in pixels."),
        Float("amount", default=1.0, min=0.0, slider_max=5.0,
              doc="Multiple of the detail added back; 0 leaves the image unchanged."),
        Float("threshold", default=0.0, min=0.0, slider_max=0.2,
              doc="Detail of at most this magnitude is not sharpened (keeps grain and flat areas clean)."),
        Choice("channels", default="rgb", choices=tuple(SELECTIONS),
               doc="Which channels to sharpen: the main layer's RGB, RGBA, alpha, or every layer."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No amount, or a blur that reaches no neighbour, changes nothing."""
        return "source" if params["amount"] == 0.0 or gaussian_radius(params["size"]) == 0 else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the pixels its blur reads: grown by the Gaussian's reach."""
        radius = gaussian_radius(params["size"])
        return {"source": request.grown(radius, radius)}

    @staticmethod
    def compute(
        ctx: EvalContext, source: Image, size: float, amount: float, threshold: float, channels: str
    ) -> Image:
        """Unsharp-mask the selected channels in place of the data window."""
        return filter_channels(source, channels, lambda pixels: sharpen_pixels(pixels, size, amount, threshold))
