"""Clamp: keep values inside a range, optionally replacing outliers by chosen values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Color, EvalContext, Image, Input, NodeType, String
from nodecomp.nodes.channel import names


def clamp_pixels(pixels: np.ndarray, low: np.ndarray, high: np.ndarray, low_to: np.ndarray | None = None,
                 high_to: np.ndarray | None = None) -> np.ndarray:
    """Clamp (H, W, C) float32 pixels per channel into a new array.

    Args:
        pixels: never written.
        low, high: per-channel bounds (C each); -inf / +inf leave a side open.
        low_to, high_to: per-channel replacements for values below `low` / above `high`
            (None: the bound itself).

    Returns:
        A new array; NaN stays NaN (it is neither below nor above a bound).
    """
    height, width, count = pixels.shape
    out = np.empty((height, width, count), dtype=np.float32)
    if out.size == 0:
        return out
    src = np.ascontiguousarray(pixels).reshape(height, width * count)
    dst = out.reshape(height, width * count)
    low_row, high_row = (np.tile(np.asarray(v, np.float32), width) for v in (low, high))
    if np.all(low == low[0]) and np.all(high == high[0]):
        np.clip(src, np.float32(low[0]), np.float32(high[0]), out=dst)  # scalar bounds: twice as fast
    else:
        np.clip(src, low_row, high_row, out=dst)
    for replacement, bound, below in ((low_to, low_row, True), (high_to, high_row, False)):
        if replacement is None:
            continue
        outside = np.less(src, bound) if below else np.greater(src, bound)
        np.copyto(dst, np.tile(np.asarray(replacement, np.float32), width)[np.newaxis], where=outside)
    return out


class Clamp(NodeType):
    """Limits the selected channels to minimum..maximum, per component, as Nuke's Clamp.

        out = minimum            where in < minimum  (or min_clamp_to when that is on)
        out = maximum            where in > maximum  (or max_clamp_to when that is on)
        out = in                 elsewhere

    The four values of each colour param apply to R, G, B, A (other layers by channel name or
    position). Either side can be switched off. With a "clamp to" value on, out-of-range values
    are replaced by it instead of the bound: min_clamp_to (1, 0, 0, 1) paints every negative
    value red to find it. NaN is neither below nor above a bound and stays NaN; -inf and +inf
    are clamped. A minimum above the maximum on a clamped channel is an error.
    """

    type_id = "nodecomp.Clamp"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to clamp."),)
    params = (
        String("channels", default="rgba",
               doc="Channels to clamp: rgb, rgba, alpha, all, layers or channel names (depth.Z)."),
        Color("minimum", default=(0.0, 0.0, 0.0, 0.0), doc="Lowest value kept, per component."),
        Bool("minimum_enable", default=True, doc="Clamp values below the minimum."),
        Color("maximum", default=(1.0, 1.0, 1.0, 1.0), doc="Highest value kept, per component."),
        Bool("maximum_enable", default=True, doc="Clamp values above the maximum."),
        Color("min_clamp_to", default=(0.0, 0.0, 0.0, 0.0), doc="What values below the minimum become, when enabled."),
        Bool("min_clamp_to_enable", default=False,
             doc="Replace values below the minimum by min_clamp_to instead of the minimum."),
        Color("max_clamp_to", default=(1.0, 1.0, 1.0, 1.0), doc="What values above the maximum become, when enabled."),
        Bool("max_clamp_to_enable", default=False,
             doc="Replace values above the maximum by max_clamp_to instead of the maximum."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Both sides off, or no channels, change nothing."""
        off = not params["minimum_enable"] and not params["maximum_enable"]
        return "source" if off or not names.entries(params["channels"]) else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, channels: str, minimum: tuple[float, ...], minimum_enable: bool,
                maximum: tuple[float, ...], maximum_enable: bool, min_clamp_to: tuple[float, ...],
                min_clamp_to_enable: bool, max_clamp_to: tuple[float, ...], max_clamp_to_enable: bool) -> Image:
        """Clamp the selected channels."""
        selected = names.pick(ctx, channels, source.channels)
        if not selected:
            return source
        count = len(source.channels)
        low, high = np.full(count, -np.inf), np.full(count, np.inf)
        low_to, high_to = np.full(count, np.nan), np.full(count, np.nan)
        for index in selected:
            name = source.channels[index]
            component = names.component(name, source.channels)
            if minimum_enable and maximum_enable and minimum[component] > maximum[component]:
                raise ctx.error(
                    f"minimum {minimum[component]:g} is above maximum {maximum[component]:g} for channel {name}",
                    hint="lower the minimum or raise the maximum",
                )
            if minimum_enable:
                low[index], low_to[index] = minimum[component], min_clamp_to[component]
            if maximum_enable:
                high[index], high_to[index] = maximum[component], max_clamp_to[component]
        pixels = clamp_pixels(
            source.pixels, low, high,
            np.where(np.isnan(low_to), low, low_to) if min_clamp_to_enable and minimum_enable else None,
            np.where(np.isnan(high_to), high, high_to) if max_clamp_to_enable and maximum_enable else None,
        )
        return source.with_pixels(pixels)
