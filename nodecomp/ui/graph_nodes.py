"""NodeGraphQt node classes built from nodecomp declarations, their colours and a fallback layout.

The graph editor draws one `BaseNode` subclass per registered node type: ports come from the
declaration, nothing else lives on the view node (params stay in the Document and the
properties panel). Types that are not loaded get a placeholder class whose input ports are
added per node from the connections the file kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from NodeGraphQt import BackdropNode, BaseNode
from NodeGraphQt.constants import NodeEnum, PipeEnum, PortTypeEnum
from NodeGraphQt.qgraphics.node_abstract import AbstractNodeItem
from NodeGraphQt.qgraphics.node_base import NodeItem
from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.node import Node
from nodecomp.core.nodetype import NodeType

IDENTIFIER = "nodecomp"
PLACEHOLDER_CLASS = "Placeholder"
DOT_TYPE = "nodecomp.Dot"
BACKDROP_TYPE = "nodecomp.Backdrop"
DOT_SIZE = 20.0

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
STATE_COLOURS: dict[str, tuple[int, int, int]] = {"cached": (70, 170, 90), "computing": (240, 170, 60)}
STATE_TIPS = {"cached": "cached at this frame", "computing": "computing…"}
BADGE_SIZE = 12.0

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


def make_view_class(node_type: type[NodeType]) -> type[BaseNode] | type[BackdropNode]:
    """A view class for the type: a BaseNode subclass with its ports, a Dot, or a backdrop.

    Input names are shown only when a node has several inputs (Merge's a/b/mask); one input
    or the output needs no label. Dots are drawn as small discs (`DotItem`); Backdrops use
    NodeGraphQt's BackdropNode, whose look the graph view sets from the node's params.
    """
    if node_type.type_id == BACKDROP_TYPE:
        return type(class_name(node_type.type_id), (BackdropNode,), {
            "__identifier__": IDENTIFIER, "NODE_NAME": node_type.short_name(),
            "__doc__": f"View of {node_type.type_id}.",
        })
    inputs = tuple(spec.name for spec in node_type.inputs)
    outputs = tuple(spec.name for spec in node_type.outputs)
    dot = node_type.type_id == DOT_TYPE

    def __init__(self: BaseNode) -> None:
        BaseNode.__init__(self, qgraphics_item=DotItem if dot else None)
        port_look = {"painter_func": paint_dot_port} if dot else {}
        for name in inputs:
            self.add_input(name, display_name=len(inputs) > 1, **port_look)
        for name in outputs:
            self.add_output(name, display_name=False, **port_look)

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


def paint_dot_port(painter: QtGui.QPainter, rect: QtCore.QRectF, info: dict[str, Any]) -> None:
    """A Dot's port: an invisible handle just outside the disc.

    A connected port draws a stub from its centre (where NodeGraphQt ends the pipe) to the
    disc, so the connection reads as one line through the Dot; under the mouse a ring shows
    where to drag from.
    """
    painter.save()
    centre = rect.center()
    half = rect.height() * 0.9  # NodeGraphQt hands over the port box shrunk by 1.8
    if info.get("connected"):
        painter.setPen(QtGui.QPen(QtGui.QColor(*PipeEnum.COLOR.value), PipeEnum.WIDTH.value))
        toward = half if info.get("port_type") == PortTypeEnum.IN.value else -half
        painter.drawLine(centre, QtCore.QPointF(centre.x(), centre.y() + toward))
    if info.get("hovered"):
        painter.setPen(QtGui.QPen(QtGui.QColor(*PipeEnum.HIGHLIGHT_COLOR.value), 1.4))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, rect.width() / 3, rect.height() / 3)
    painter.restore()


class DotItem(NodeItem):
    """A Dot as compositors know it: a small disc on the pipe, no title, no icon.

    The ports sit just above and below the disc, so the disc itself stays free for dragging
    (see `paint_dot_port`).
    """

    def __init__(self, name: str = "dot", parent: Any = None) -> None:
        super().__init__(name, parent)
        self._width = self._height = DOT_SIZE
        self._text_item.setVisible(False)
        self._icon_item.setVisible(False)

    def calc_size(self, add_w: float = 0.0, add_h: float = 0.0) -> tuple[float, float]:
        """Always the disc's size."""
        return DOT_SIZE, DOT_SIZE

    def _set_base_size(self, add_w: float = 0.0, add_h: float = 0.0) -> None:
        self._width = self._height = DOT_SIZE

    @NodeItem.width.setter
    def width(self, width: float = 0.0) -> None:
        """Fixed: NodeItem would grow it to fit a title."""
        AbstractNodeItem.width.fset(self, DOT_SIZE)

    @NodeItem.height.setter
    def height(self, height: float = 0.0) -> None:
        """Fixed: NodeItem would grow it to 70 units."""
        AbstractNodeItem.height.fset(self, DOT_SIZE)

    def set_proxy_mode(self, mode: bool) -> None:
        """Keep the title and icon hidden whatever the zoom."""
        super().set_proxy_mode(mode)
        self._text_item.setVisible(False)
        self._icon_item.setVisible(False)

    def _align_ports_vertical(self, v_offset: float) -> None:
        for ports, y_edge in ((self.inputs, 0.0), (self.outputs, self._height)):
            for port in ports:
                box = port.boundingRect()
                below = y_edge == self._height
                port.setPos(self._width / 2 - box.width() / 2, y_edge if below else y_edge - box.height())

    def _align_ports_horizontal(self, v_offset: float) -> None:
        self._align_ports_vertical(v_offset)

    def paint(self, painter: QtGui.QPainter, option: Any, widget: Any) -> None:
        """The disc, with its border highlighted when selected."""
        self.auto_switch_mode()
        painter.save()
        rect = QtCore.QRectF(1.0, 1.0, self._width - 2.0, self._height - 2.0)
        border = NodeEnum.SELECTED_BORDER_COLOR.value if self.selected else self.border_color
        painter.setPen(QtGui.QPen(QtGui.QColor(*border), 1.6 if self.selected else 1.0))
        painter.setBrush(QtGui.QColor(*self.color))
        painter.drawEllipse(rect)
        if self.selected:
            painter.setBrush(QtGui.QColor(*NodeEnum.SELECTED_COLOR.value))
            painter.drawEllipse(rect)
        painter.restore()


class StateBadge(QtWidgets.QGraphicsEllipseItem):
    """A small disc on a node's top-right corner: green when cached, amber while computing.

    It is a child of the node's item, so it moves with the node, and it takes no mouse
    buttons, so clicks go through to the node.
    """

    def __init__(self, node_item: QtWidgets.QGraphicsItem) -> None:
        super().__init__(node_item)
        self.state: str | None = None
        self.setPen(QtGui.QPen(QtGui.QColor(24, 24, 24), 1.2))
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.setVisible(False)

    def show_state(self, state: str | None) -> None:
        """Show `state` (a NodeState value), or hide for None."""
        self.state = state
        if state is None:
            self.setVisible(False)
            return
        box = self.parentItem().boundingRect()
        size = min(BADGE_SIZE, box.width() * 0.6)
        self.setRect(QtCore.QRectF(box.right() - size * 0.75, box.top() - size * 0.25, size, size))
        self.setBrush(QtGui.QColor(*STATE_COLOURS[state]))
        self.setToolTip(STATE_TIPS[state])
        self.setVisible(True)


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
