"""Graph editor commands as QActions with compositor shortcuts.

Create (Tab and right-click), delete, copy/cut/paste, duplicate, disable, rename, colour,
view (1 views a node as the viewer's A input, 2 sets it as B for the A/B compare), Dots on
connections ('.'), auto-layout ('L') and backdrops. Shortcuts are scoped to the graph editor
so single keys (D, N, 1, L) do not fire while typing in a field
elsewhere. Every command is one Document edit, so Edit > Undo reverts it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.ui import graph_tidy
from nodecomp.ui.clipboard import fragment_text, paste_fragment
from nodecomp.ui.graph_backdrops import is_backdrop
from nodecomp.ui.graph_nodes import BACKDROP_TYPE, DOT_TYPE, colour_for
from nodecomp.ui.graph_view import GraphView
from nodecomp.ui.node_search import NodeSearch

TextPrompt = Callable[[str, str], str | None]
ColourPrompt = Callable[[tuple[int, int, int]], tuple[int, int, int] | None]


class GraphActions(QtCore.QObject):
    """The graph editor's actions, menus and node search.

    Args:
        graph_view: the adapter the actions edit through.
        host: the widget that owns the popup and dialogs (the main window).

    Signals:
        view_requested(object): show this node in the viewer as its A input (key 1).
        compare_requested(object): set this node as the viewer's B input (key 2).
    """

    view_requested = QtCore.Signal(object)
    compare_requested = QtCore.Signal(object)

    def __init__(self, graph_view: GraphView, host: QtWidgets.QWidget) -> None:
        super().__init__(host)
        self.graph_view = graph_view
        self.host = host
        self.search = NodeSearch(host)
        self.search.chosen.connect(self._create_from_search)
        self._search_pos: tuple[float, float] | None = None
        self.ask_text: TextPrompt = self._ask_text
        self.ask_colour: ColourPrompt = self._ask_colour
        self.group_actions: list[QtGui.QAction] = []  # shown in the right-click menu (the window adds them)
        shortcuts = {
            "search": ("Create Node…", "Tab", self.open_search),
            "delete": ("Delete", QtGui.QKeySequence.StandardKey.Delete, lambda: self.delete_selected(reconnect=True)),
            "delete_disconnect": ("Delete Without Reconnecting", "Shift+Del",
                                  lambda: self.delete_selected(reconnect=False)),
            "copy": ("Copy Nodes", QtGui.QKeySequence.StandardKey.Copy, self.copy_selected),
            "cut": ("Cut Nodes", QtGui.QKeySequence.StandardKey.Cut, self.cut_selected),
            "paste": ("Paste Nodes", QtGui.QKeySequence.StandardKey.Paste, self.paste),
            "duplicate": ("Duplicate", "Alt+C", self.duplicate_selected),
            "disable": ("Disable / Enable", "D", self.toggle_disabled),
            "rename": ("Rename…", "N", self.rename_selected),
            "colour": ("Node Colour…", "", self.colour_selected),
            "view": ("View as A", "1", self.view_selected),
            "view_b": ("Set as B", "2", self.compare_selected),
            "dot": ("Insert Dot", ".", self.insert_dot),
            "layout": ("Auto-Layout", "L", self.auto_layout),
            "backdrop": ("Backdrop Around Selection", "", self.backdrop_selected),
            "frame": ("Frame All Nodes", "Home", graph_view.frame_all),
        }
        self.actions = graph_editor_actions(self, graph_view.widget, shortcuts)
        self.actions["delete"].setShortcuts(
            [QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Delete), QtGui.QKeySequence("Backspace")]
        )
        graph_view.viewer.installEventFilter(self)
        graph_view.viewer.viewport().installEventFilter(self)

    # ----------------------------------------------------------------- create
    def open_search(self, global_pos: QtCore.QPoint | None = None) -> None:
        """Show the node search at the mouse (new nodes go where it was opened)."""
        self._search_pos = self.graph_view.scene_cursor()
        self.search.set_registry(self.graph_view.doc.registry)
        self.search.open_at(global_pos or QtGui.QCursor.pos())

    def _create_from_search(self, type_id: str) -> None:
        chained = len(self.graph_view.selected()) == 1
        self.create(type_id, None if chained else self._search_pos)

    def create(self, type_id: str, pos: tuple[float, float] | None = None) -> Node | None:
        """Create a node (chained below the selected node when exactly one is selected)."""
        return self.graph_view.create_node(type_id, pos)

    def context_menu(self, scene_pos: tuple[float, float]) -> QtWidgets.QMenu:
        """The right-click menu: create by category, search, and the node commands."""
        menu = QtWidgets.QMenu(self.host)
        menu.addAction(self.actions["search"])
        create = menu.addMenu("Create")
        by_category: dict[str, list] = {}
        for node_type in self.graph_view.doc.registry:
            by_category.setdefault(node_type.category, []).append(node_type)
        for category in sorted(by_category):
            sub = create.addMenu(category)
            for node_type in sorted(by_category[category], key=lambda t: t.short_name()):
                action = sub.addAction(node_type.short_name())
                action.triggered.connect(
                    lambda _checked=False, t=node_type.type_id: self.create(t, scene_pos)
                )
        menu.addSeparator()
        has_selection = bool(self.graph_view.selected())
        for key in ("view", "view_b", "rename", "disable", "colour", "duplicate", "copy", "cut", "paste", "delete",
                    "delete_disconnect"):
            action = self.actions[key]
            action.setEnabled(has_selection or key == "paste")
            menu.addAction(action)
        menu.addSeparator()
        for key in ("dot", "backdrop", "layout"):
            menu.addAction(self.actions[key])
        if self.group_actions:
            menu.addSeparator()
            for action in self.group_actions:
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.actions["frame"])
        return menu

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 - Qt override
        """Tab opens the search (before Qt moves the focus); right-click opens our menu."""
        viewer = self.graph_view.viewer
        if watched is viewer and event.type() == QtCore.QEvent.Type.KeyPress \
                and event.key() == QtCore.Qt.Key.Key_Tab:
            self.open_search()
            return True
        if watched is viewer.viewport() and event.type() == QtCore.QEvent.Type.ContextMenu:
            scene = viewer.mapToScene(event.pos())
            menu = self.context_menu((scene.x(), scene.y()))
            menu.exec(event.globalPos())
            menu.deleteLater()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ edits
    def delete_selected(self, *, reconnect: bool = True) -> None:
        """Delete the selection; with `reconnect`, what fed each node feeds what it fed."""
        nodes = self.graph_view.selected()
        if nodes:
            doc = self.graph_view.doc
            self.graph_view.edit(f"Delete {_count(nodes)}", lambda: [doc.remove(n, reconnect=reconnect) for n in nodes])

    def copy_selected(self) -> str | None:
        """Put the selection on the clipboard as `.ncomp` text; returns the text."""
        nodes = self.graph_view.selected()
        if not nodes:
            return None
        text = fragment_text(nodes)
        QtWidgets.QApplication.clipboard().setText(text)
        return text

    def cut_selected(self) -> None:
        """Copy, then delete (reconnecting around the removed nodes)."""
        if self.copy_selected() is not None:
            self.delete_selected(reconnect=True)

    def paste(self, text: str | None = None) -> list[Node]:
        """Paste clipboard nodes (or `text`) at the mouse; the pasted nodes become the selection."""
        text = QtWidgets.QApplication.clipboard().text() if text is None else text
        viewer = self.graph_view.viewer
        under_mouse = viewer.rect().contains(viewer.mapFromGlobal(QtGui.QCursor.pos()))
        at = self.graph_view.scene_cursor() if under_mouse else None
        try:
            nodes = paste_fragment(self.graph_view.doc, text, at=at)
        except NodecompError as exc:
            self.graph_view.message.emit(str(exc))
            return []
        self.graph_view.select(nodes)
        return nodes

    def duplicate_selected(self) -> list[Node]:
        """Copies of the selection next to it, without touching the clipboard."""
        nodes = self.graph_view.selected()
        if not nodes:
            return []
        try:
            pasted = paste_fragment(self.graph_view.doc, fragment_text(nodes))
        except NodecompError as exc:
            self.graph_view.message.emit(str(exc))
            return []
        self.graph_view.select(pasted)
        return pasted

    def toggle_disabled(self) -> None:
        """Disable (bypass) the selected nodes, or enable them if all were disabled."""
        nodes = self.graph_view.selected()
        if nodes:
            state = not all(n.disabled for n in nodes)
            doc = self.graph_view.doc
            label = f"{'Disable' if state else 'Enable'} {_count(nodes)}"
            self.graph_view.edit(label, lambda: [doc.set_disabled(n, state) for n in nodes])

    def rename_selected(self) -> None:
        """Ask for a new name for the selected node."""
        nodes = self.graph_view.selected()
        if len(nodes) != 1:
            return
        name = self.ask_text("Rename node", nodes[0].name)
        if name and name != nodes[0].name:
            doc = self.graph_view.doc
            self.graph_view.edit(f"Rename {nodes[0].name}", lambda: doc.rename(nodes[0], name.strip()))

    def colour_selected(self) -> None:
        """Ask for a body colour for the selected nodes (stored in the document)."""
        nodes = self.graph_view.selected()
        if not nodes:
            return
        first = nodes[0]
        current = tuple(round(c * 255) for c in first["colour"][:3]) if is_backdrop(first) else colour_for(first)
        colour = self.ask_colour(current)
        if colour is not None:
            doc = self.graph_view.doc

            def apply() -> None:
                for node in nodes:
                    if is_backdrop(node):  # a backdrop's colour is its param (shown in its properties)
                        doc.set_param(node, "colour", (*(c / 255 for c in colour), 1.0))
                    else:
                        doc.set_ui(node, "color", list(colour))

            self.graph_view.edit(f"Colour {_count(nodes)}", apply)

    def view_selected(self) -> None:
        """Show the selected node in the viewer (its A input; backdrops have nothing to show)."""
        nodes = _with_image(self.graph_view.selected())
        if nodes:
            self.view_requested.emit(nodes[-1])

    def compare_selected(self) -> None:
        """Set the selected node as the viewer's B input, to compare with A."""
        nodes = _with_image(self.graph_view.selected())
        if nodes:
            self.compare_requested.emit(nodes[-1])

    def insert_dot(self) -> list[Node]:
        """'.': Dots on the selected connections, else on the connection under the mouse.

        Connections are selected by dragging a selection box across them (a click on a pipe
        picks it up to reconnect it, as in Nuke). With nodes selected the selected pipes are
        left alone: a Dot follows the selected node, or goes to the mouse.
        """
        graph = self.graph_view
        nodes = graph.selected()
        if not nodes and graph.selected_connections():
            return graph_tidy.insert_dots(graph)
        viewer = graph.viewer
        under_mouse = viewer.rect().contains(viewer.mapFromGlobal(QtGui.QCursor.pos()))
        cursor = graph.scene_cursor()
        hovered = graph.connection_at(cursor) if under_mouse else None
        if hovered is not None:
            return graph_tidy.insert_dots(graph, [hovered], at=cursor)
        dot = self.create(DOT_TYPE, None if len(nodes) == 1 else cursor)
        return [dot] if dot is not None else []

    def auto_layout(self) -> bool:
        """'L': arrange the selected nodes (all nodes when fewer than two are selected) by dataflow."""
        return graph_tidy.auto_layout(self.graph_view)

    def backdrop_selected(self) -> Node | None:
        """A backdrop around the selected nodes (at the mouse when nothing is selected)."""
        return self.create(BACKDROP_TYPE, None if self.graph_view.selected() else self.graph_view.scene_cursor())

    # ---------------------------------------------------------------- prompts
    def _ask_text(self, title: str, current: str) -> str | None:
        text, ok = QtWidgets.QInputDialog.getText(self.host, title, "Name:", text=current)
        return text if ok else None

    def _ask_colour(self, current: tuple[int, int, int]) -> tuple[int, int, int] | None:
        colour = QtWidgets.QColorDialog.getColor(QtGui.QColor(*current), self.host, "Node colour")
        return (colour.red(), colour.green(), colour.blue()) if colour.isValid() else None


def _with_image(nodes: list[Node]) -> list[Node]:
    """The nodes that have an image to show (not backdrops)."""
    return [n for n in nodes if n.node_type is None or n.node_type.outputs]


def graph_editor_actions(owner: QtCore.QObject, widget: QtWidgets.QWidget,
                         specs: dict[str, tuple[str, object, Callable[[], object]]]) -> dict[str, QtGui.QAction]:
    """QActions from `{key: (text, shortcut, slot)}`, their shortcuts live only while `widget` has focus.

    Single-key shortcuts (D, N, 1) would otherwise fire while typing in a field elsewhere.
    """
    actions: dict[str, QtGui.QAction] = {}
    for key, (text, shortcut, slot) in specs.items():
        action = QtGui.QAction(text, owner)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False, run=slot: run())
        widget.addAction(action)
        actions[key] = action
    return actions


def _count(nodes: list[Node]) -> str:
    return nodes[0].name if len(nodes) == 1 else f"{len(nodes)} nodes"
