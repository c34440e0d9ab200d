"""Dot and NoOp: nodes that change nothing, for tidy graphs and named hand-off points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, NodeType


class Dot(NodeType):
    """A bend point in a connection: passes its input through untouched, at no cost."""

    type_id = "nodecomp.Dot"
    version = 1
    category = "Utility"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image passed on."),)

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Always forwards its input (same cache key)."""
        return "source"

    @staticmethod
    def compute(ctx: EvalContext, source: Image) -> Image:
        """Not reached while the input is forwarded; kept for the engine's contract."""
        return source


class NoOp(NodeType):
    """Does nothing: a named place in the graph to branch from or to hang expressions on.

    The input passes through untouched (same cache key). Unlike Nuke's NoOp it carries no
    user knobs: params are declared by node types, so there is nothing to add to.
    """

    type_id = "nodecomp.NoOp"
    version = 1
    category = "Utility"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image passed on."),)

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Always forwards its input (same cache key)."""
        return "source"

    @staticmethod
    def compute(ctx: EvalContext, source: Image) -> Image:
        """Not reached while the input is forwarded; kept for the engine's contract."""
        return source
