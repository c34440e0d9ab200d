"""Switch: output one of several inputs, chosen by an animatable number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, Int, NodeType, Request
from nodecomp.nodes.util.black import black_frame, format_fingerprint

INPUTS = 8


class Switch(NodeType):
    """Passes input `which` through and ignores the others (Nuke's Switch).

    Only the chosen input is asked for: the others are neither hashed nor rendered, so a
    Switch in front of an expensive branch costs nothing while that branch is off. `which`
    can be keyed or driven by an expression (for example `frame > 50`). Choosing an
    unconnected input gives transparent black in the document format.
    """

    type_id = "nodecomp.Switch"
    version = 1
    category = "Utility"
    supports_region = True
    supports_scale = True
    inputs = tuple(Input(f"input{i}", optional=True, doc=f"Choice {i}.") for i in range(INPUTS))
    params = (Int("which", default=0, min=0, max=INPUTS - 1, doc="Index of the input passed through (0 to 7)."),)

    @classmethod
    def forward_input(cls, request: Request, params: Mapping[str, Any]) -> str | None:
        """The chosen input."""
        return f"input{params['which']}"

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """Only the chosen input is pulled."""
        chosen = f"input{params['which']}"
        return {spec.name: (request if spec.name == chosen else None) for spec in cls.inputs}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The black frame of an unconnected choice takes the document format."""
        return format_fingerprint(ctx)

    @staticmethod
    def compute(ctx: EvalContext, which: int, **inputs: Image | None) -> Image:
        """Reached only when the chosen input is unconnected: black."""
        return black_frame(ctx)
