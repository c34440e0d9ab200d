"""NodeGraphQt node classes built from nodecomp declarations, their colours and a fallback layout.

The graph editor draws one `BaseNode` subclass per registered node type: ports come from the
declaration, nothing else lives on the view node (params stay in the Document and the
properties panel). Types that are not loaded get a placeholder class whose input ports are
added per node from the connections the file kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from NodeGraphQt import BaseNode

from nodecomp.core.node import Node
from nodecomp.core.nodetype import NodeType

IDENTIFIER = "nodecomp"
PLACEHOLDER_CLASS = "Placeholder"

# Node body colours by category (r, g, b), in the spirit of the compositors users know.
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "IO": (72, 84, 100),
    "Color": (64, 98, 70),
    "Merge": (54, 78, 120),
    "Filter": (120, 82, 50),
    "Transform": (92, 70, 118),
    "Draw": (110, 100, 60),
    "Time": (60, 100, 104),
}
DEFAULT_COLOUR = (80, 80, 80)
PLACEHOLDER_COLOUR = (90, 90, 90)
ERROR_COLOUR = (178, 38, 38)

COLUMN_SPACING = 180
ROW_SPACING = 100


def class_name(type_id: str) -> str:
    """The Python class name of a type's view node (`nodecomp.Grade` -> `nodecomp_Grade`)."""
    return type_id.replace(".", "_")


def view_type(type_id: str | None) -> str:
    """The NodeGraphQt type string of a type's view node (placeholders share one class)."""
    return f"{IDENTIFIER}.{class_name(type_id) if type_id else PLACEHOLDER_CLASS}"


def colour_for(node: Node) -> tuple[int, int, int]:
    """A node's body colour: the user's (`ui["color"]`), else its category's."""
    custom = node.ui.get("color")
    if isinstance(custom, list | tuple) and len(custom) >= 3:
        return (int(custom[0]), int(custom[1]), int(custom[2]))
    if node.node_type is None:
        return PLACEHOLDER_COLOUR
    return CATEGORY_COLOURS.get(node.node_type.category, DEFAULT_COLOUR)


def make_view_class(node_type: type[NodeType]) -> type[BaseNode]:
    """A BaseNode subclass with the type's input and output ports.

    Input names are shown only when a node has several inputs (Merge's a/b/mask); one input
    or the output needs no label.
    """
    inputs = tuple(spec.name for spec in node_type.inputs)
    outputs = tuple(spec.name for spec in node_type.outputs)

    def __init__(self: BaseNode) -> None:
        BaseNode.__init__(self)
        for name in inputs:
            self.add_input(name, display_name=len(inputs) > 1)
        for name in outputs:
            self.add_output(name, display_name=False)

    attributes: dict[str, Any] = {
        "__identifier__": IDENTIFIER,
        "NODE_NAME": node_type.short_name(),
        "__init__": __init__,
        "__doc__": f"View of {node_type.type_id}.",
    }
    return type(class_name(node_type.type_id), (BaseNode,), attributes)


class Placeholder(BaseNode):
    """View of a node whose type is not loaded; ports are added per node (see `add_ports`)."""

    __identifier__ = IDENTIFIER
    NODE_NAME = "Placeholder"

    def add_ports(self, inputs: Iterable[str]) -> None:
        """Add one input per kept connection, and an output so downstream links still draw."""
        for name in inputs:
            if name not in self.inputs():
                self.add_input(name)
        if not self.outputs():
            self.add_output("result", display_name=False)


class GroupView(Placeholder):
    """View of a Group node: its inputs follow the GroupInput nodes inside, so ports are per node."""

    NODE_NAME = "Group"

    def add_ports(self, inputs: Iterable[str]) -> None:
        """One labelled input per group input, and the output."""
        for name in inputs:
            if name not in self.inputs():
                self.add_input(name, display_name=True)
        if not self.outputs():
            self.add_output("result", display_name=False)


def auto_positions(nodes: list[Node]) -> dict[str, tuple[float, float]]:
    """Positions (by node id) for nodes saved without one: rows by depth, columns in order.

    Nodes made by scripts have no `ui["pos"]`; placing each one a row below its deepest input
    keeps the flow top to bottom, as in the graph editor. Nothing is written to the document.
    """
    depth: dict[str, int] = {}

    def depth_of(node: Node, trail: frozenset[str] = frozenset()) -> int:
        if node.id in depth:
            return depth[node.id]
        if node.id in trail:
            return 0
        sources = [s for s in node.inputs.values() if s is not None]
        value = 1 + max((depth_of(s, trail | {node.id}) for s in sources), default=-1)
        depth[node.id] = value
        return value

    columns: dict[int, int] = {}
    positions: dict[str, tuple[float, float]] = {}
    for node in nodes:
        row = depth_of(node)
        column = columns.get(row, 0)
        columns[row] = column + 1
        positions[node.id] = (float(column * COLUMN_SPACING), float(row * ROW_SPACING))
    return positions
