"""Erode and Dilate: shrink or grow mattes, hard (min/max) or soft (blur and threshold).

Both nodes share this module's maths: `minmax` takes the minimum (erode) or maximum (dilate)
over a box or ellipse, as OpenCV's `erode`/`dilate` and OIIO's do; `filter` blurs with a
Gaussian and re-thresholds, which moves an edge by a fractional number of pixels and keeps it
antialiased (Nuke's FilterErode and "Erode (blur)" idea).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import cv2
import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType, Request, Vec2
from nodecomp.nodes.filter.blur import SELECTIONS, blur_pixels, gaussian_radius
from nodecomp.nodes.filter.kernels import ellipse_element, propagate_nan
from nodecomp.nodes.filter.window import filter_channels

MODES = ("minmax", "filter")
SHAPES = ("box", "disc")
# The soft mode blurs with sigma = size / _SIGMAS and cuts where the blurred step of a
# straight edge sits `size` pixels away: Phi(+-_SIGMAS) of the standard normal.
_SIGMAS = 2.0
_FLOAT_MAX = float(np.finfo(np.float32).max)


def integer_radii(size: Sequence[float]) -> tuple[int, int]:
    """The structuring element radii minmax mode uses: `size` rounded to whole pixels."""
    return int(round(size[0])), int(round(size[1]))


def element(radii: tuple[int, int], shape: str) -> np.ndarray:
    """The uint8 structuring element: a (2rx+1) x (2ry+1) box, or the ellipse inscribed in it."""
    if shape == "disc":
        return ellipse_element(*radii)
    return np.ones((2 * radii[1] + 1, 2 * radii[0] + 1), np.uint8)


def minmax_pixels(pixels: np.ndarray, radii: tuple[int, int], shape: str, dilate: bool) -> np.ndarray:
    """Minimum (erode) or maximum (dilate) of every channel over the structuring element.

    Pixels beyond the array's edge never win (OpenCV's default morphology border), which for
    the pixels inside equals repeating the edge. A NaN in a window makes that output NaN.

    Args:
        pixels: (H, W, C) float32, any channel count; only read.
        radii: integer (x, y) radii of the element.
        shape: `box` or `disc`.
        dilate: maximum instead of minimum.

    Returns:
        A new (H, W, C) float32 array.
    """
    kernel = element(radii, shape)
    low, high = (pixels.min(), pixels.max()) if pixels.size else (0.0, 0.0)
    nan = np.isnan(pixels) if np.isnan(high) else None
    source = np.where(nan, np.float32(0.0), pixels) if nan is not None else pixels
    operation = cv2.dilate if dilate else cv2.erode
    # OpenCV's default border for morphology never wins, in every channel (an explicit
    # borderValue is a 4-value Scalar and would leave the other channels at 0). It is the
    # largest finite float32, which stands for "nothing here"; it can only come out where a
    # window holds nothing but infinities, so only then is it turned into the infinity it means.
    result = operation(source, kernel).reshape(pixels.shape)
    if nan is not None or np.isinf(low) or np.isinf(high):  # (with a NaN, min and max say nothing)
        border = np.float32(-_FLOAT_MAX if dilate else _FLOAT_MAX)
        result[result == border] = -np.inf if dilate else np.inf
    if nan is not None:
        propagate_nan(result, nan, kernel.astype(bool))
    return result


def morphology_reach(size: Sequence[float], mode: str) -> tuple[int, int]:
    """How far (x, y pixels) an output reads its input: the element's radii, or the soft blur's reach."""
    if mode == "minmax":
        return integer_radii(size)
    return gaussian_radius(size[0] / _SIGMAS), gaussian_radius(size[1] / _SIGMAS)


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def soft_thresholds(size: Sequence[float], softness: float, dilate: bool) -> tuple[float, float, float]:
    """The blurred values (low, middle, high) that filter mode maps to 0, 0.5 and 1.

    A straight edge blurred with sigma = size / 2 is Phi(x / sigma) at x pixels inside it, so
    cutting at Phi(2) puts the new edge `size` pixels inside (erode), Phi(-2) `size` pixels
    outside (dilate). The ramp spans `softness * size` pixels around that, at least one
    pixel so the edge stays antialiased; it is linear on each side of the middle, so the
    0.5 crossing lands exactly on the moved edge.
    """
    moving = [value for value in size if value > 0.0] or [1.0]
    mean_size = math.prod(moving) ** (1.0 / len(moving))  # an axis of size 0 does not move
    half_width = max(softness * mean_size, 1.0) / 2.0 / (mean_size / _SIGMAS)  # in sigmas
    centre = -_SIGMAS if dilate else _SIGMAS
    return _normal_cdf(centre - half_width), _normal_cdf(centre), _normal_cdf(centre + half_width)


def soft_pixels(pixels: np.ndarray, size: Sequence[float], softness: float, dilate: bool) -> np.ndarray:
    """Filter mode: blur with sigma = size / 2 per axis, then map (low, middle, high) to (0, 0.5, 1), clamped.

    Meant for mattes in 0..1: each channel is treated as coverage. Beyond the array's edge a
    dilate reads black and an erode repeats the edge (so a full-frame matte does not shrink
    from the frame edge, as in minmax mode).
    """
    sigma = (size[0] / _SIGMAS, size[1] / _SIGMAS)
    if dilate:
        blurred = blur_pixels(pixels, sigma, "gaussian")
    else:
        radii = (gaussian_radius(sigma[0]), gaussian_radius(sigma[1]))
        blurred = cv2.GaussianBlur(pixels, (2 * radii[0] + 1, 2 * radii[1] + 1), sigmaX=sigma[0], sigmaY=sigma[1],
                                   borderType=cv2.BORDER_REPLICATE).reshape(pixels.shape)
    low, middle, high = soft_thresholds(size, softness, dilate)
    result = np.interp(blurred, (low, middle, high), (0.0, 0.5, 1.0)).astype(np.float32)
    result[np.isnan(blurred)] = np.nan  # np.interp has no NaN rule of its own
    return result


class _Morphology(NodeType):
    """Shared declaration of Erode and Dilate; `dilate` picks the direction."""

    dilate: ClassVar[bool] = False
    category = "Filter"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image or matte to change."),)
    params = (
        Vec2("size", default=(0.0, 0.0), min=0.0, pixels=True,
             doc="Distance the edges move, in pixels (x, y); minmax mode rounds it to whole pixels."),
        Choice("mode", default="minmax", choices=MODES,
               doc="minmax: hard minimum/maximum over a window; filter: soft, sub-pixel, for mattes."),
        Choice("shape", default="box", choices=SHAPES,
               doc="minmax window: a box, or the ellipse inscribed in it (rounder corners)."),
        Float("softness", default=0.0, min=0.0, max=1.0,
              doc="filter mode: width of the new edge's ramp as a fraction of size (at least 1 pixel)."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels to change: the main layer's RGBA, RGB, alpha, or every layer."),
        Bool("crop", default=True, doc="Clip a grown data window to the format (Dilate only grows it)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """A size that moves no edge changes nothing."""
        if params["mode"] == "minmax":
            return "source" if integer_radii(params["size"]) == (0, 0) else None
        return "source" if max(params["size"]) == 0.0 else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region needs the pixels the window (minmax) or the blur (filter) reads around it."""
        return {"source": request.grown(*morphology_reach(params["size"], params["mode"]))}

    @classmethod
    def run(cls, source: Image, size: tuple[float, float], mode: str, shape: str, softness: float,
            channels: str, crop: bool) -> Image:
        """Erode or dilate the selected channels (see the node descriptions)."""
        dilate = cls.dilate
        if mode == "minmax":
            radii = integer_radii(size)
            if radii == (0, 0):
                return source
            return filter_channels(
                source, channels, lambda pixels: minmax_pixels(pixels, radii, shape, dilate),
                reach=radii, grow=dilate, crop=crop, fill=-np.inf if dilate else np.inf,
            )
        if max(size) == 0.0:
            return source
        return filter_channels(
            source, channels, lambda pixels: soft_pixels(pixels, size, softness, dilate),
            reach=morphology_reach(size, mode), grow=dilate, crop=crop,
        )


class Erode(_Morphology):
    """Shrinks bright areas and mattes by `size` pixels.

    minmax: out = the minimum over a (2 rx + 1) x (2 ry + 1) box (or the ellipse inside it),
    r = round(size): OpenCV's `erode`, OIIO's `erode`. Pixels outside the data window are
    ignored (as if the edge repeated), so a full-frame matte does not shrink from the frame
    edge; the data window does not change.

    filter: b = G(in, size / 2) is mapped piecewise linearly from Phi(2 - h), Phi(2), Phi(2 + h)
    to 0, 0.5, 1 (clamped), G a Gaussian of standard deviation size / 2, Phi the standard
    normal CDF, and h the half ramp width in standard deviations (softness * size, at least
    one pixel). A straight edge
    then moves exactly `size` pixels inward and stays antialiased; corners round off. Each
    selected channel is treated as a 0..1 matte, so use it on alpha or mattes and minmax on
    colour. The blur repeats the edge pixels beyond the data window, like minmax mode.

    A NaN in a window gives NaN. A size of 0 passes the input through; a negative size is
    refused (use Dilate). At a proxy scale size is scaled with the image (minmax
    then rounds the scaled size; filter mode's one-pixel ramp is a proxy pixel, so softer); for
    a region of interest only the pixels within reach of it are asked of the input.
    """

    type_id = "nodecomp.Erode"
    version = 1
    dilate = False

    @staticmethod
    def compute(ctx: EvalContext, source: Image, size: tuple[float, float], mode: str, shape: str,
                softness: float, channels: str, crop: bool) -> Image:
        """Erode the selected channels."""
        return Erode.run(source, size, mode, shape, softness, channels, crop)


class Dilate(_Morphology):
    """Grows bright areas and mattes by `size` pixels.

    minmax: out = the maximum over a (2 rx + 1) x (2 ry + 1) box (or the ellipse inside it),
    r = round(size): OpenCV's `dilate`, OIIO's `dilate`. Pixels outside the data window are
    ignored; the data window grows by r (clipped to the format with `crop`), and grown pixels
    that no input pixel reaches are black.

    filter: G(in, size / 2) mapped from Phi(-2 - h), Phi(-2), Phi(-2 + h) to 0, 0.5, 1, the
    mirror of Erode's filter mode: a straight edge moves `size` pixels outward, antialiased.
    Each selected channel is treated as a 0..1 matte.

    A NaN in a window gives NaN. A size of 0 passes the input through; a negative size is
    refused (use Erode). At a proxy scale size is scaled with the image (minmax
    then rounds the scaled size; filter mode's one-pixel ramp is a proxy pixel, so softer); for
    a region of interest only the pixels within reach of it are asked of the input.
    """

    type_id = "nodecomp.Dilate"
    version = 1
    dilate = True

    @staticmethod
    def compute(ctx: EvalContext, source: Image, size: tuple[float, float], mode: str, shape: str,
                softness: float, channels: str, crop: bool) -> Image:
        """Dilate the selected channels."""
        return Dilate.run(source, size, mode, shape, softness, channels, crop)
