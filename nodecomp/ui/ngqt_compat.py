"""Workarounds for NodeGraphQt 0.6.44 on PySide6 6.12, kept in one place.

Each item says what goes wrong, why, and what this module does about it; drop an item once the
NodeGraphQt release in use fixes it (the tests in `tests/ui/test_ngqt_compat.py` will say so).

1. Old-style enum names on instances. PySide6 6.12 still accepts `QAbstractSpinBox.NoButtons` on
   a class but not `self.NoButtons` on an instance, so NodeGraphQt's property-bin spin boxes, a
   click on a port inside a backdrop and the tab-search completer raise AttributeError.
   `patch_enums()` copies the class-level values onto NodeGraphQt's subclasses, where instance
   lookups find them.
2. NodeGraphQt's own undo history. `NodeGraph` owns a QUndoStack and binds Ctrl+Z / Ctrl+Shift+Z
   to it in a hidden menu bar of its viewer. nodecomp's one history is the Document's, so
   `detach_undo()` removes those actions (two actions on one shortcut would make Qt ignore both)
   and caps the stack: selection changes are still pushed there and would otherwise pile up.
3. Gestures edit the view directly. The viewer's signals for connecting, slicing, moving,
   renaming, tab-search creation, dropping a node on a pipe and resizing a backdrop are wired
   to `NodeGraph` slots that change the view and push NodeGraphQt commands. `detach_gestures()` disconnects them so
   the adapter (`graph_view.py`) turns each gesture into a Document command instead.
4. A parentless top-level menu. The viewer's tab-search widget is a QMenu without a parent, so
   it outlives the graph and shows up as a leaked window; `release()` deletes it.
5. Not used on purpose: `BaseNode.add_spinbox()` stores its value as text and breaks
   `deserialize_session`; nodecomp never stores params in NodeGraphQt widgets (the properties
   panel is its own) and never saves NodeGraphQt sessions.
6. On Python 3.12 `import NodeGraphQt` needs `distutils`, which setuptools provides; it is in the
   `ui` extra of pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

_patched = False


def patch_enums() -> None:
    """Give NodeGraphQt's subclasses the enum names they read through `self` (idempotent)."""
    global _patched
    if _patched:
        return
    from NodeGraphQt.custom_widgets.properties_bin import prop_widgets_base
    from NodeGraphQt.qgraphics import node_backdrop
    from NodeGraphQt.widgets import tab_search

    no_buttons = QtWidgets.QAbstractSpinBox.ButtonSymbols.NoButtons
    prop_widgets_base.PropSpinBox.NoButtons = no_buttons
    prop_widgets_base.PropDoubleSpinBox.NoButtons = no_buttons
    node_backdrop.BackdropNodeItem.ItemIsMovable = QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    tab_search.TabSearchCompleter.PopupCompletion = QtWidgets.QCompleter.CompletionMode.PopupCompletion
    _patched = True


def detach_undo(graph: Any) -> None:
    """Remove NodeGraphQt's undo/redo actions from its viewer and cap its private stack."""
    viewer = graph.viewer()
    for action in (viewer.qaction_for_undo(), viewer.qaction_for_redo()):
        if action is not None:
            action.setShortcuts([])
            for menu in viewer.context_menus().values():
                menu.removeAction(action)
    stack = graph.undo_stack()
    stack.clear()
    stack.setUndoLimit(8)


def detach_gestures(graph: Any) -> None:
    """Disconnect the viewer's gesture signals from NodeGraph's own slots (see item 3)."""
    viewer = graph.viewer()
    pairs = (
        (viewer.search_triggered, graph._on_search_triggered),
        (viewer.connection_sliced, graph._on_connection_sliced),
        (viewer.connection_changed, graph._on_connection_changed),
        (viewer.moved_nodes, graph._on_nodes_moved),
        (viewer.node_name_changed, graph._on_node_name_changed),
        (viewer.insert_node, graph._on_insert_node),
        (viewer.node_backdrop_updated, graph._on_node_backdrop_updated),
    )
    for signal, slot in pairs:
        signal.disconnect(slot)


def release(graph: Any) -> None:
    """Delete the widgets NodeGraphQt creates without a parent (see item 4)."""
    viewer = graph.viewer()
    search = getattr(viewer, "_search_widget", None)
    if isinstance(search, QtWidgets.QWidget):
        search.deleteLater()
        viewer._search_widget = None
