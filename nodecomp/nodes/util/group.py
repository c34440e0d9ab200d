"""Group, GroupInput and GroupOutput: a sub-graph shown as one node, with published params.

The document keeps the nodes inside a group (`nodecomp.core.groups`); the engine plans a Group as
its GroupOutput's input and a GroupInput as what feeds the group's matching input, so a grouped
graph has exactly the cache keys of the same nodes ungrouped. These types only declare that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import EvalContext, Image, Input, NodeType


class Group(NodeType):
    """A sub-graph as one node: nodes inside it, inputs from its GroupInput nodes, its result from GroupOutput.

    Collapse a selection with `doc.group(nodes)` (Ctrl+G in the app), open it to edit the inside,
    and publish inner params (`doc.publish(group, node, "size")`) so they show on the group. Its
    inputs and params are per node: they follow the GroupInput nodes inside and the published
    params. Disabled, it passes its first input through.
    """

    type_id = "nodecomp.Group"
    version = 1
    category = "Utility"
    group_role = "group"

    @staticmethod
    def compute(ctx: EvalContext, **kwargs: Any) -> Image:
        """Not reached: the engine evaluates the group's GroupOutput instead."""
        raise RuntimeError("a Group is evaluated through its GroupOutput node")


class GroupInput(NodeType):
    """An input of the group it sits in: gives whatever feeds the group's input of the same name.

    The group's inputs are its GroupInput nodes, named after them and in the order they were made;
    renaming one renames the group's input. Unconnected, it gives a blank (transparent black) image
    of the document format. Outside a group it is always blank.
    """

    type_id = "nodecomp.GroupInput"
    version = 1
    category = "Utility"
    group_role = "input"
    name_stem = "Input"

    @staticmethod
    def compute(ctx: EvalContext) -> Image:
        """Not reached: the engine forwards the group's input (or a blank image)."""
        raise RuntimeError("a GroupInput is evaluated through its group's input")


class GroupOutput(NodeType):
    """The result of the group it sits in: what reaches its input is what the group gives."""

    type_id = "nodecomp.GroupOutput"
    version = 1
    category = "Utility"
    group_role = "output"
    name_stem = "Output"
    inputs = (Input("source", doc="The group's result."),)

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Always forwards its input (same cache key)."""
        return "source"

    @staticmethod
    def compute(ctx: EvalContext, source: Image) -> Image:
        """Not reached while the input is forwarded; kept for the engine's contract."""
        return source
