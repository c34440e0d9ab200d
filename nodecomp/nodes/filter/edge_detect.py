"""EdgeDetect: gradient magnitude (Sobel, Scharr) or Laplacian, per channel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.api import Choice, EvalContext, Float, Image, Input, NodeType, Request
from nodecomp.nodes.filter.blur import SELECTIONS, gaussian_radius
from nodecomp.nodes.filter.kernels import nan_mask, propagate_nan
from nodecomp.nodes.filter.window import filter_channels

# Each derivative kernel's response to a ramp rising by 1 per pixel, so outputs are in units
# of "value per pixel": Sobel [-1 0 1] x [1 2 1] gives 2 * 4; Scharr [-3 0 3] x ... gives 2 * 16
# ([-1 0 1] x [3 10 3]); the Laplacian is a second derivative and needs no scale.
METHODS = {"sobel": 1.0 / 8.0, "scharr": 1.0 / 32.0, "laplacian": 1.0}
# The derivative order of each method: at proxy scale s its output is multiplied by s to this
# power, so it stays in value per full-resolution pixel.
ORDERS = {"sobel": 1, "scharr": 1, "laplacian": 2}


def edge_reach(size: float) -> int:
    """How far (pixels) an output reads its input: the 3x3 kernel's 1 plus the pre-blur's reach."""
    return 1 + (gaussian_radius(size) if size > 0.0 else 0)


def edge_pixels(pixels: np.ndarray, method: str, size: float) -> np.ndarray:
    """Edge strength of every channel of an (H, W, C) float32 array, edges repeated beyond it.

    Args:
        pixels: any channel count; only read.
        method: `sobel` or `scharr`: |gradient| = sqrt(gx^2 + gy^2) with the 3x3 kernels,
            scaled to value per pixel; `laplacian`: |d2/dx2 + d2/dy2| with the 4-neighbour
            kernel.
        size: Gaussian pre-blur standard deviation in pixels (0 for none), against noise.

    Returns:
        A new (H, W, C) float32 array, >= 0; NaN wherever the footprint (3x3 grown by the
        pre-blur) holds a NaN.
    """
    shape = pixels.shape
    nan = nan_mask(pixels)
    radius = gaussian_radius(size) if size > 0.0 else 0
    if radius:
        pixels = cv2.GaussianBlur(pixels, (2 * radius + 1, 2 * radius + 1), sigmaX=float(size),
                                  borderType=cv2.BORDER_REPLICATE).reshape(shape)
    if method == "laplacian":
        result = np.abs(cv2.Laplacian(pixels, cv2.CV_32F, ksize=1, borderType=cv2.BORDER_REPLICATE)).reshape(shape)
    else:
        scale = METHODS[method]
        ksize = cv2.FILTER_SCHARR if method == "scharr" else 3
        gx = cv2.Sobel(pixels, cv2.CV_32F, 1, 0, ksize=ksize, scale=scale, borderType=cv2.BORDER_REPLICATE)
        gy = cv2.Sobel(pixels, cv2.CV_32F, 0, 1, ksize=ksize, scale=scale, borderType=cv2.BORDER_REPLICATE)
        result = cv2.magnitude(gx.reshape(-1), gy.reshape(-1)).reshape(shape)
    if nan is not None:  # OpenCV skips the kernels' zero taps, so a NaN could vanish from its own pixel
        propagate_nan(result, nan, np.ones((3 + 2 * radius, 3 + 2 * radius), bool))
    return result


class EdgeDetect(NodeType):
    """Finds edges: how fast each channel changes, in value per pixel.

    sobel / scharr: out = sqrt(gx^2 + gy^2), with gx, gy the 3x3 Sobel or Scharr derivatives
    scaled so a ramp rising by 1 per pixel reads 1 (Scharr is more rotation-invariant).
    laplacian: out = |in(x-1,y) + in(x+1,y) + in(x,y-1) + in(x,y+1) - 4 in(x,y)|, which marks
    both sides of a line and ignores smooth ramps. `size` pre-blurs with a Gaussian so grain
    does not read as edges, and `gain` scales the result.

    The data window does not change; beyond it the edge pixels repeat, so a frame's border is
    not detected as an edge. Each selected channel becomes its own edge strength (a keyed
    alpha gives its outline); other channels are copied. A NaN makes its 3x3 footprint (grown
    by the pre-blur) NaN. At a proxy scale 1/n size is scaled with the image and the result
    stays in value per full-resolution pixel (the gradient is divided by n, the Laplacian by
    n^2), so smooth ramps read the same; a hard edge, spread over fewer pixels, reads about n
    times stronger and thinner than the full render reduced. For a region of interest only the
    pixels within the kernels' reach of it are asked of the input.
    """

    type_id = "nodecomp.EdgeDetect"
    version = 1
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image whose edges are found."),)
    params = (
        Choice("method", default="sobel", choices=tuple(METHODS),
               doc="sobel or scharr: gradient magnitude; laplacian: second-derivative magnitude."),
        Float("size", default=0.0, min=0.0, slider_max=10.0, pixels=True,
              doc="Gaussian pre-blur standard deviation in pixels, against noise; 0 for none."),
        Float("gain", default=1.0, doc="Multiplies the edge strength."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels become edge strengths: main RGBA, RGB, alpha, or every layer."),
    )

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the pixels its kernels read: grown by the 3x3 kernel and the pre-blur."""
        reach = edge_reach(params["size"])
        return {"source": request.grown(reach, reach)}

    @staticmethod
    def compute(ctx: EvalContext, source: Image, method: str, size: float, gain: float, channels: str) -> Image:
        """Replace the selected channels by their edge strength."""
        factor = gain * ctx.request.scale ** ORDERS[method]

        def edges(pixels: np.ndarray) -> np.ndarray:
            result = edge_pixels(pixels, method, size)
            if factor != 1.0:
                result *= np.float32(factor)
            return result

        return filter_channels(source, channels, edges)
