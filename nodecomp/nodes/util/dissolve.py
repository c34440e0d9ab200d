"""Dissolve: a weighted mix between two inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import EvalContext, Float, Image, Input, NodeType
from nodecomp.nodes.util.black import black_frame, format_fingerprint
from nodecomp.nodes.util.mix import mix_images


class Dissolve(NodeType):
    """Cross-fades from input a to input b: out = a * (1 - which) + b * which (Nuke's Dissolve).

    The mix covers the union of both data windows and channels; a channel or pixel one input
    lacks counts as 0 (so an RGB image without alpha contributes no alpha). The display
    window, pixel aspect, metadata and colour space are a's. An unconnected input counts as
    transparent black. which 0 passes a through and which 1 passes b through, untouched.
    """

    type_id = "nodecomp.Dissolve"
    version = 1
    category = "Utility"
    supports_region = True
    supports_scale = True
    inputs = (
        Input("a", optional=True, doc="Shown at which 0."),
        Input("b", optional=True, doc="Shown at which 1."),
    )
    params = (Float("which", default=0.5, min=0.0, max=1.0, doc="Mix from a (0) to b (1); key it to dissolve."),)

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """The ends of the dissolve are the inputs themselves."""
        if params["which"] == 0.0:
            return "a"
        return "b" if params["which"] == 1.0 else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """With both inputs unconnected the result is black in the document format."""
        return format_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, a: Image | None, b: Image | None, which: float) -> Image:
        """Mix the two inputs."""
        if a is None and b is None:
            return black_frame(ctx)
        if b is None:
            return a.with_pixels(a.pixels * np.float32(1.0 - which))
        if a is None:
            return b.with_pixels(b.pixels * np.float32(which))
        return mix_images(a, b, which)
