"""Group commands for the graph editor: collapse, expand, open, close and publish params.

Keys follow Nuke: Ctrl+G collapses the selection into a group, Ctrl+Shift+G expands the
selected group, Ctrl+Return opens it (the graph shows its inside, where new nodes now go) and
Ctrl+Backspace goes back up. The bar above the graph names the level shown. Every command is
one Document edit, so Edit > Undo reverts it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from nodecomp.core import groups
from nodecomp.core.node import Node
from nodecomp.ui.graph_actions import graph_editor_actions
from nodecomp.ui.graph_view import GraphView

ChoicePrompt = Callable[[str, list[str]], str | None]


class GroupActions(QtCore.QObject):
    """The group actions, installed on the graph editor widget."""

    def __init__(self, graph_view: GraphView, host: QtWidgets.QWidget) -> None:
        super().__init__(host)
        self.graph_view = graph_view
        self.host = host
        self.ask_choice: ChoicePrompt = self._ask_choice
        specs = {
            "group": ("Collapse to Group", "Ctrl+G", self.collapse_selected),
            "ungroup": ("Expand Group", "Ctrl+Shift+G", self.expand_selected),
            "enter": ("Open Group", "Ctrl+Return", self.enter_selected),
            "leave": ("Close Group (Up)", "Ctrl+Backspace", self.leave),
            "publish": ("Publish Param on Group…", "", self.publish_selected),
            "unpublish": ("Unpublish Group Param…", "", self.unpublish_selected),
        }
        self.actions = graph_editor_actions(self, graph_view.widget, specs)

    def _selected_group(self) -> Node | None:
        nodes = self.graph_view.selected()
        if len(nodes) == 1 and groups.role(nodes[0]) == "group":
            return nodes[0]
        self.graph_view.message.emit("select one Group node")
        return None

    def collapse_selected(self) -> Node | None:
        """Move the selected nodes into a new group wired in their place; returns the group."""
        nodes = self.graph_view.selected()
        if not nodes:
            return None
        made: list[Node] = []
        if self.graph_view.edit("Collapse to group", lambda: made.append(self.graph_view.doc.group(nodes))):
            self.graph_view.select(made)
            return made[0]
        return None

    def expand_selected(self) -> list[Node]:
        """Put the selected group's nodes back in its place; returns them."""
        group = self._selected_group()
        if group is None:
            return []
        kept: list[Node] = []
        if self.graph_view.edit(f"Expand {group.name}", lambda: kept.extend(self.graph_view.doc.ungroup(group))):
            self.graph_view.select(kept)
        return kept

    def enter_selected(self) -> None:
        """Show the inside of the selected group."""
        group = self._selected_group()
        if group is not None:
            self.graph_view.enter(group)

    def leave(self) -> None:
        """Show the level around the group shown."""
        self.graph_view.leave()

    def publish_selected(self) -> str | None:
        """Publish a param of the selected node (inside a group) on that group; returns its name."""
        nodes = self.graph_view.selected()
        group = self.graph_view.scope
        if len(nodes) != 1 or group is None or nodes[0].node_type is None:
            self.graph_view.message.emit("open a group and select the node whose param to publish")
            return None
        node = nodes[0]
        choices = [name for name in node.params if groups.linked(node, name) is None]
        param = self.ask_choice(f"Publish a param of {node.name} on {group.name}", choices) if choices else None
        if not param:
            return None
        published: list[str] = []
        if self.graph_view.edit(f"Publish {node.name}.{param}",
                     lambda: published.append(self.graph_view.doc.publish(group, node, param))):
            return published[0]
        return None

    def unpublish_selected(self) -> None:
        """Remove one published param from the selected group (the inner param keeps its value)."""
        group = self._selected_group()
        if group is None or not group.published:
            return
        name = self.ask_choice(f"Unpublish a param of {group.name}", [p.name for p in group.published])
        if name:
            self.graph_view.edit(f"Unpublish {group.name}.{name}", lambda: self.graph_view.doc.unpublish(group, name))

    def _ask_choice(self, title: str, choices: list[str]) -> str | None:
        choice, ok = QtWidgets.QInputDialog.getItem(self.host, title, "Param:", choices, 0, False)
        return choice if ok else None


class ScopeBar(QtWidgets.QWidget):
    """The line above the graph naming the level shown (`Comp › Look › Soften`), with an Up button."""

    def __init__(self, graph_view: GraphView, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph_view = graph_view
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.up = QtWidgets.QToolButton(self)
        self.up.setText("Up")
        self.up.setToolTip("Close the group and show the level around it (Ctrl+Backspace)")
        self.up.clicked.connect(graph_view.leave)
        self.label = QtWidgets.QLabel(self)
        layout.addWidget(self.up)
        layout.addWidget(self.label, 1)
        graph_view.scope_changed.connect(self.show_scope)
        self.show_scope(graph_view.scope)

    def show_scope(self, group: Node | None) -> None:
        """Name the level shown; hidden at the top level, where there is nothing to go up to."""
        trail: list[str] = []
        current = group
        while current is not None:
            trail.append(current.name)
            current = current.parent
        self.label.setText(" › ".join(["Comp", *reversed(trail)]))
        self.setVisible(group is not None)
