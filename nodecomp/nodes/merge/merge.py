"""Merge: composite image A onto image B with a Porter-Duff or blend operation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Box, Choice, EvalContext, Float, Image, Input, NodeType, Region, conform
from nodecomp.nodes.merge.ops import OPERATIONS, blend, merge_pixels

BBOX_MODES = ("union", "intersection", "a", "b")


def output_window(mode: str, a: Box, b: Box) -> Box:
    """The data window of the result for a `bbox` choice."""
    if mode == "union":
        return a.union(b)
    if mode == "intersection":
        return a.intersect(b)
    return a if mode == "a" else b


def rgba_on(image: Image, window: Box) -> np.ndarray:
    """The main layer of `image` as (H, W, 4) RGBA over `window`, black outside its data window.

    A missing channel reads as 0, alpha included (Nuke's rule): an RGB-only A input is
    treated as transparent, so `over` adds it to B. The image's own pixels are returned, not
    copied, when they already are RGBA on `window` (the common case costs nothing).
    """
    if image.channels == RGBA and image.data_window == window:
        return image.pixels
    pixels = conform(image, window, RGBA)
    if "A" not in image.channels:
        pixels[..., 3] = 0.0  # conform() makes an RGB plate opaque; Merge follows Nuke instead
    return pixels


def mask_channel(mask: Image) -> str | None:
    """The channel a mask input is read from: its alpha, or its only channel; None if neither."""
    if "A" in mask.channels:
        return "A"
    return mask.channels[0] if len(mask.channels) == 1 else None


class Merge(NodeType):
    """Composites A onto B with one of Nuke's merge operations, in premultiplied colour.

    With a, b the alphas of A and B, the operations are: over A + B(1-a); under A(1-b) + B;
    plus A + B; minus A - B; from B - A; multiply AB (A where A < 0 and B < 0); screen
    A + B - AB (max(A, B) where A > 1 and B > 1); max; min; difference |A - B|; average
    (A + B) / 2; in Ab; out A(1-b); mask Ba; stencil B(1-a); atop Ab + B(1-a);
    xor A(1-b) + B(1-a); copy A. Each applies to R, G, B and A alike.

    The result is then blended with B: out = B + (merged - B) * mix * m, where m is the
    mask input's alpha (its only channel for a one-channel matte; 0 outside its data window,
    1 everywhere when no mask is connected).

    Channels: the main layer (R, G, B, A) of both inputs is merged; a missing channel reads
    as 0, so an RGB image without alpha counts as transparent (Nuke's rule; merge it over a
    Constant of (0, 0, 0, 1) to make it opaque). B's other layers pass through into the output; A's are
    ignored. Outside its data window an input is black. The output data window follows
    `bbox`; the display window, pixel aspect, metadata and colour space are B's. With A
    unconnected, or mix 0, the node passes B through.
    """

    type_id = "nodecomp.Merge"
    version = 1
    category = "Merge"
    supports_region = True
    supports_scale = True
    inputs = (
        Input("a", optional=True, doc="Foreground: the image composited (A)."),
        Input("b", doc="Background (B): the image A is composited onto; its format is kept."),
        Input("mask", optional=True, doc="Limits the effect to where the mask's alpha is 1."),
    )
    params = (
        Choice("operation", default="over", choices=tuple(OPERATIONS),
               doc="How A and B combine (formulas in the node description)."),
        Float("mix", default=1.0, min=0.0, max=1.0,
              doc="Blend between B (0) and the full merge (1)."),
        Choice("bbox", default="union", choices=BBOX_MODES,
               doc="Output data window: both inputs' union, their intersection, A's or B's."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """With mix 0 the result is B itself."""
        return "b" if params["mix"] == 0.0 else None

    @classmethod
    def region_of_definition(cls, ctx: EvalContext, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Any:
        """The `bbox` choice applied to A's and B's data windows; B's format."""
        a, b = inputs.get("a"), inputs.get("b")
        if b is None:
            return None
        if a is None:
            return b
        return Region(output_window(params["bbox"], a.data_window, b.data_window), b.display_window)

    @staticmethod
    def compute(
        ctx: EvalContext,
        a: Image | None,
        b: Image,
        mask: Image | None,
        operation: str,
        mix: float,
        bbox: str,
    ) -> Image:
        """Merge A onto B over the chosen window, then blend by mix and mask."""
        if a is None:
            return b
        window = output_window(bbox, a.data_window, b.data_window)
        b_rgba = rgba_on(b, window)
        merged = merge_pixels(operation, rgba_on(a, window), b_rgba)
        amount: np.ndarray | float = np.float32(mix)
        if mask is not None:
            channel = mask_channel(mask)
            if channel is None:
                raise ctx.error(
                    f"the mask input has no alpha channel (channels: {', '.join(mask.channels)})",
                    hint="connect an image with an alpha, or a one-channel matte",
                )
            amount = conform(mask, window, (channel,))
            if mix != 1.0:
                amount *= np.float32(mix)
        if mask is not None or mix != 1.0:
            blend(merged, b_rgba, amount)
        extras = tuple(c for c in b.channels if c not in RGBA)
        if not extras:
            return b.replace(pixels=merged, channels=RGBA, data_window=window)
        pixels = np.empty((window.height, window.width, len(RGBA) + len(extras)), dtype=np.float32)
        pixels[..., :4] = merged
        pixels[..., 4:] = conform(b, window, extras)
        return b.replace(pixels=pixels, channels=RGBA + extras, data_window=window)
