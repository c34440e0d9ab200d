"""The graph editor: a NodeGraphQt view kept in step with the Document, which owns every edit.

Document events (node added, removed, renamed, connected, changed) update the view without
touching NodeGraphQt's own undo stack; the view's gestures (dragging a connection, slicing
one, moving, renaming in place, dropping a node on a pipe) become Document commands, so undo
and redo walk the Document's one history. When the Document refuses a gesture (a cycle, a
taken name) the view is put back as the Document has it and `message` says why.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from NodeGraphQt import BaseNode, NodeGraph
from NodeGraphQt.constants import LayoutDirectionEnum, PortTypeEnum
from NodeGraphQt.qgraphics.pipe import LivePipeItem, PipeItem
from PySide6 import QtCore

from nodecomp.core import groups
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.ui import graph_backdrops, graph_nodes, ngqt_compat
from nodecomp.ui.graph_backdrops import is_backdrop

log = logging.getLogger(__name__)

NEW_NODE_GAP = 100.0


class GraphView(QtCore.QObject):
    """Adapter between a Document and a NodeGraphQt graph.

    Signals:
        selection_changed(list): the selected core nodes, after any selection change.
        node_activated(object): a node was double-clicked (open its properties).
        message(str): a gesture the Document refused, worded for the status bar.
        scope_changed(object): the Group now shown (None: the top level).

    The view shows one level of the document at a time: the nodes directly inside `scope`
    (a Group node, or None for the top level). Entering a group shows its inside.
    """

    selection_changed = QtCore.Signal(list)
    node_activated = QtCore.Signal(object)
    message = QtCore.Signal(str)
    scope_changed = QtCore.Signal(object)

    def __init__(self, doc: Document, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        ngqt_compat.patch_enums()
        self.graph = NodeGraph(layout_direction=LayoutDirectionEnum.VERTICAL.value)
        ngqt_compat.detach_undo(self.graph)
        ngqt_compat.detach_gestures(self.graph)
        self.graph.set_acyclic(False)  # the Document refuses cycles, with a message naming the nodes
        self.graph.set_pipe_collision(True)  # dropping a node on a pipe inserts it
        self.graph.register_node(graph_nodes.Placeholder)
        self.graph.register_node(graph_nodes.GroupView)
        self._registered: set[str] = {graph_nodes.Placeholder.type_, graph_nodes.GroupView.type_}
        self._views: dict[str, BaseNode] = {}  # core node id -> view node
        self._cores: dict[str, Node] = {}  # view node id -> core node
        self._errors: dict[str, str] = {}  # core node id -> message
        self._states: dict[str, str] = {}  # core node id -> NodeState value (cached, computing)
        self._badges: dict[str, graph_nodes.StateBadge] = {}  # core node id -> badge item
        self.doc: Document | None = None
        self.scope: Node | None = None
        viewer = self.graph.viewer()
        viewer.connection_changed.connect(self._on_connection_changed)
        viewer.connection_sliced.connect(self._on_connection_sliced)
        viewer.moved_nodes.connect(self._on_nodes_moved)
        viewer.node_name_changed.connect(self._on_name_edited)
        viewer.insert_node.connect(self._on_insert_node)
        viewer.search_triggered.connect(self._on_search_triggered)
        viewer.node_backdrop_updated.connect(self._on_backdrop_resized)
        self.graph.node_selection_changed.connect(lambda *_: self.selection_changed.emit(self.selected()))
        self.graph.node_double_clicked.connect(self._on_double_clicked)
        self.set_document(doc)

    @property
    def widget(self) -> Any:
        """The graph editor widget to put in a layout."""
        return self.graph.widget

    @property
    def viewer(self) -> Any:
        """NodeGraphQt's QGraphicsView (for event filters and cursor positions)."""
        return self.graph.viewer()

    # ------------------------------------------------------------ documents
    def set_document(self, doc: Document) -> None:
        """Show `doc`, replacing whatever was shown."""
        if self.doc is not None:
            self._bind(self.doc, connect=False)
        self._errors.clear()
        self._states.clear()
        self.doc = doc
        doc.scope = None
        for node_type in doc.registry:
            self._register(node_type)
        self._show_scope(None)
        self._bind(doc, connect=True)

    def enter(self, group: Node | None) -> None:
        """Show the inside of `group` (None: the top level); new nodes are created there."""
        if group is not None and groups.role(group) != "group":
            return
        self._show_scope(group)

    def leave(self) -> None:
        """Go up one level (no-op at the top level); the group just left is selected."""
        if self.scope is None:
            return
        left = self.scope
        self._show_scope(left.parent)
        self.select([left])

    def _show_scope(self, group: Node | None) -> None:
        for view in list(self._views.values()):
            self.graph.delete_node(view, push_undo=False)
        self._views.clear()
        self._cores.clear()
        self._badges.clear()  # their items went with the views; `_states` is redrawn below
        self.scope = group
        assert self.doc is not None  # noqa: S101 - set by set_document first
        self.doc.scope = group
        shown = [n for n in self.doc.nodes if n.parent is group]
        fallback = graph_nodes.auto_positions([n for n in shown if "pos" not in n.ui])
        for node in shown:
            self._add_view(node, fallback.get(node.id))
        for node in shown:
            self._sync_inputs(node)
        self._draw_badges()
        self.viewer.scene().clearSelection()
        if shown:
            self.frame_all()
        self.scope_changed.emit(group)

    def _shown(self, node: Node) -> bool:
        return node.parent is self.scope and self.doc is not None and self.doc.find(node.name) is node

    def _refresh_group_ports(self, node: Node) -> None:
        """Redraw a shown group whose inputs changed (a GroupInput inside was added, removed, renamed)."""
        group = node.parent
        if group is None or groups.role(node) != "input" or group.id not in self._views:
            return
        selected = group.id in {n.id for n in self.selected()}
        self._on_node_removed(group)
        self._add_view(group)
        self._sync_inputs(group)
        for other in self.doc.nodes if self.doc else []:
            if group in other.inputs.values():
                self._sync_inputs(other)
        if selected:
            self.select([group])

    def close(self) -> None:
        """Stop following the document and free NodeGraphQt's parentless widgets."""
        if self.doc is not None:
            self._bind(self.doc, connect=False)
            self.doc = None
        ngqt_compat.release(self.graph)

    def _bind(self, doc: Document, *, connect: bool) -> None:
        events = doc.events
        pairs = (
            (events.node_added, self._on_node_added),
            (events.node_removed, self._on_node_removed),
            (events.node_renamed, self._on_node_renamed),
            (events.connection_changed, self._on_connection_event),
            (events.node_changed, self._on_node_changed),
            (events.param_changed, self._on_param_changed),
        )
        for signal, slot in pairs:
            (signal.connect if connect else signal.disconnect)(slot)

    def _register(self, node_type: Any) -> None:
        if graph_nodes.view_type(node_type.type_id) in self._registered:
            return
        view_class = graph_nodes.make_view_class(node_type)
        self.graph.register_node(view_class)
        self._registered.add(view_class.type_)

    # ---------------------------------------------------------------- lookup
    def view_of(self, node: Node) -> BaseNode | None:
        """The view node showing `node`."""
        return self._views.get(node.id)

    def core_of(self, view: BaseNode) -> Node | None:
        """The core node a view node shows."""
        return self._cores.get(view.id)

    def selected(self) -> list[Node]:
        """Selected core nodes, in document order."""
        chosen = {self._cores[v.id].id for v in self.graph.selected_nodes() if v.id in self._cores}
        return [n for n in self.doc.nodes if n.id in chosen] if self.doc else []

    def select(self, nodes: Iterable[Node]) -> None:
        """Make `nodes` the selection (and say so through `selection_changed`)."""
        scene = self.viewer.scene()
        blocker = QtCore.QSignalBlocker(scene)
        scene.clearSelection()
        for node in nodes:
            view = self._views.get(node.id)
            if view is not None:
                view.view.setSelected(True)
        del blocker
        self.selection_changed.emit(self.selected())

    def scene_cursor(self) -> tuple[float, float]:
        """The mouse position in graph coordinates (where new nodes go)."""
        return self.graph.cursor_pos()

    def frame_all(self) -> None:
        """Zoom the editor to show every node."""
        views = list(self._views.values())
        if views:
            self.viewer.zoom_to_nodes([v.view for v in views])

    # ------------------------------------------------------- document -> view
    def _add_view(self, node: Node, fallback: tuple[float, float] | None = None) -> None:
        if node.node_type is not None:
            self._register(node.node_type)
        pos = node.ui.get("pos") or fallback or (0.0, 0.0)
        is_group = groups.role(node) == "group"
        kind = graph_nodes.view_type(node.type_id if node.node_type else None)
        view = self.graph.create_node(
            graph_nodes.GroupView.type_ if is_group else kind,
            name=node.name, selected=False, pos=(float(pos[0]), float(pos[1])), push_undo=False,
        )
        if is_group:
            view.add_ports(node.inputs)
        elif isinstance(view, graph_nodes.Placeholder):
            view.add_ports(node.raw_inputs)
        if view.name() != node.name:  # NodeGraphQt renames clashes; the Document's name is the truth
            view.set_property("name", node.name, push_undo=False)
        self._views[node.id] = view
        self._cores[view.id] = node
        if node.disabled:
            view.set_property("disabled", True, push_undo=False)
        self._refresh_look(node)
        self._draw_badge(node.id)

    def _refresh_look(self, node: Node) -> None:
        view = self._views.get(node.id)
        if view is None:
            return
        if is_backdrop(node):
            graph_backdrops.show(view, node)
            view.view.setToolTip(f"<b>{graph_backdrops.title(node)}</b> ({node.name})<br/>"
                                 "Drag the bar to move it with the nodes on it, the corner to resize")
            return
        error = self._errors.get(node.id)
        colour = graph_nodes.ERROR_COLOUR if error else graph_nodes.colour_for(node)
        view.set_property("color", (*colour, 255), push_undo=False)
        if error:
            tip = f"<b>{node.name}</b> ({node.type_name})<br/><font color='#ff8080'>{error}</font>"
        elif node.is_placeholder:
            tip = f"<b>{node.name}</b>: node type {node.type_id} is not loaded; its params are kept"
        else:
            doc_line = (node.node_type.__doc__ or "").strip().splitlines()[0] if node.node_type.__doc__ else ""
            tip = f"<b>{node.name}</b> ({node.type_id}){' — disabled' if node.disabled else ''}<br/>{doc_line}"
        view.view.setToolTip(tip)

    def _on_node_added(self, node: Node) -> None:
        self._refresh_group_ports(node)
        if node.id in self._views or not self._shown(node):
            return
        self._add_view(node)
        self._sync_inputs(node)
        for other in self.doc.nodes if self.doc else []:
            if node in other.inputs.values():
                self._sync_inputs(other)

    def _on_node_removed(self, node: Node) -> None:
        if node is self.scope or (self.scope is not None and self.doc is not None
                                  and self.doc.find(self.scope.name) is not self.scope):
            self._show_scope(None)  # the group being shown was deleted
            return
        if node.id not in self._views:
            self._refresh_group_ports(node)
        view = self._views.pop(node.id, None)
        if view is None:
            return
        self._cores.pop(view.id, None)
        self._errors.pop(node.id, None)
        self._badges.pop(node.id, None)  # its state stays: a view drawn anew (a group's ports) gets it back
        self.graph.delete_node(view, push_undo=False)

    def _on_node_renamed(self, node: Node, old_name: str) -> None:
        view = self._views.get(node.id)
        if view is not None and view.name() != node.name:
            view.set_property("name", node.name, push_undo=False)
            self._refresh_look(node)
        self._refresh_group_ports(node)

    def _on_connection_event(self, node: Node, input_name: str) -> None:
        self._sync_inputs(node, only=input_name)

    def _on_node_changed(self, node: Node, attribute: str) -> None:
        if attribute == "parent":  # moved into or out of the level shown
            if self._shown(node) and node.id not in self._views:
                self._on_node_added(node)
            elif not self._shown(node) and node.id in self._views:
                self._on_node_removed(node)
            self._refresh_group_ports(node)
            return
        view = self._views.get(node.id)
        if view is None:
            return
        if attribute == "node_type":  # a plugin (re)loaded: the ports may differ, so draw it anew
            self._on_node_removed(node)
            self._on_node_added(node)
            return
        if attribute == "disabled":
            view.set_property("disabled", node.disabled, push_undo=False)
        elif attribute == "pos" and node.ui.get("pos") is not None:
            x, y = node.ui["pos"]
            if tuple(view.pos()) != (float(x), float(y)):
                view.set_property("pos", [float(x), float(y)], push_undo=False)
        self._refresh_look(node)

    def _on_param_changed(self, node: Node, name: str) -> None:
        if is_backdrop(node):
            self._refresh_look(node)

    def _sync_inputs(self, node: Node, *, only: str | None = None, force: bool = False) -> None:
        """Make the view's input pipes of `node` match the Document's connections."""
        view = self._views.get(node.id)
        if view is None:
            return
        ports = view.inputs()
        for input_name, source in node.inputs.items():
            if only is not None and input_name != only:
                continue
            port = ports.get(input_name)
            if port is None:
                continue
            source_view = self._views.get(source.id) if source is not None else None
            wanted = source_view.output_ports()[0] if source_view is not None and source_view.output_ports() else None
            current = port.connected_ports()
            if not force and current == ([wanted] if wanted is not None else []):
                continue
            for other in current:
                port.disconnect_from(other, push_undo=False, emit_signal=False)
            if wanted is not None:
                port.connect_to(wanted, push_undo=False, emit_signal=False)

    # ---------------------------------------------------------- node states
    def set_error(self, node_name: str, message: str | None) -> None:
        """Show (or clear, with None) an error on a node: red body, the message as tooltip."""
        node = self.doc.find(node_name) if self.doc else None
        if node is None:
            return
        if message:
            self._errors[node.id] = message
        else:
            self._errors.pop(node.id, None)
        self._refresh_look(node)

    def clear_errors(self) -> None:
        """Clear every error shown on nodes."""
        ids = list(self._errors)
        self._errors.clear()
        for node in self.doc.nodes if self.doc else []:
            if node.id in ids:
                self._refresh_look(node)

    def error_of(self, node: Node) -> str | None:
        """The error shown on `node`, if any."""
        return self._errors.get(node.id)

    def set_states(self, states: dict[str, str]) -> None:
        """Show badges for node states by node name (`cached`, `computing`); others lose theirs."""
        self._states = {node.id: states[node.name] for node in self.doc.nodes if node.name in states} \
            if self.doc else {}
        self._draw_badges()

    def _draw_badges(self) -> None:
        for node_id in self._views:
            self._draw_badge(node_id)

    def _draw_badge(self, node_id: str) -> None:
        view, state, badge = self._views.get(node_id), self._states.get(node_id), self._badges.get(node_id)
        if view is None or isinstance(view, graph_nodes.BackdropNode) or (badge is None and state is None):
            return
        if badge is None:
            badge = self._badges[node_id] = graph_nodes.StateBadge(view.view)
        if badge.state != state:
            badge.show_state(state)

    def state_of(self, node: Node) -> str | None:
        """The state badge shown on `node` (`cached`, `computing`), if any."""
        return self._states.get(node.id)

    # ------------------------------------------------------ view -> document
    def _edit(self, label: str, action: Any, *, resync: Iterable[Node] = ()) -> bool:
        """Run a Document edit for a gesture; on refusal, report it and restore the view."""
        try:
            with self.doc.macro(label):
                action()
        except NodecompError as exc:
            self.message.emit(str(exc))
            for node in resync:
                if node.id in self._views:
                    self._sync_inputs(node, force=True)
            return False
        for node in resync:
            self._sync_inputs(node, force=True)
        return True

    def edit(self, label: str, action: Any, *, resync: Iterable[Node] = ()) -> bool:
        """Run `action` as one Document edit labelled `label`; a refusal goes to `message`.

        For commands built outside this class (auto-layout, dots): `resync` lists nodes whose
        pipes are redrawn from the Document afterwards.
        """
        return self._edit(label, action, resync=resync)

    def _port_pair(self, first: Any, second: Any) -> tuple[Node, str, Node] | None:
        """(target node, input name, source node) for two port items, in either order."""
        in_item, out_item = (first, second) if first.port_type == PortTypeEnum.IN.value else (second, first)
        target = self._cores.get(in_item.node.id)
        source = self._cores.get(out_item.node.id)
        if target is None or source is None:
            return None
        return target, in_item.name, source

    def _on_connection_changed(self, disconnected: list, connected: list) -> None:
        pairs_off = [p for p in (self._port_pair(a, b) for a, b in disconnected) if p]
        pairs_on = [p for p in (self._port_pair(a, b) for a, b in connected) if p]
        if not pairs_off and not pairs_on:
            return

        def apply() -> None:
            for target, input_name, source in pairs_off:
                if target.inputs.get(input_name) is source:
                    self.doc.disconnect(target, input_name)
            for target, input_name, source in pairs_on:
                self.doc.connect(source, target, input_name)

        label = "Connect" if pairs_on else "Disconnect"
        self._edit(label, apply, resync=[p[0] for p in pairs_off + pairs_on])

    def _on_connection_sliced(self, ports: list) -> None:
        pairs = [p for p in (self._port_pair(a, b) for a, b in ports) if p]
        if pairs:
            self._edit("Cut connections", lambda: [self.doc.disconnect(t, name) for t, name, _ in pairs],
                       resync=[p[0] for p in pairs])

    def _on_nodes_moved(self, moved: dict) -> None:
        nodes = [self._cores[item.id] for item in moved if item.id in self._cores]

        def apply() -> None:
            for node in nodes:
                x, y = self._views[node.id].pos()
                self.doc.set_ui(node, "pos", [round(x, 1), round(y, 1)])

        if nodes:
            self._edit("Move nodes", apply)

    def _on_name_edited(self, view_id: str, name: str) -> None:
        node = self._cores.get(view_id)
        if node is None:
            return
        if not self._edit(f"Rename {node.name}", lambda: self.doc.rename(node, name.strip())):
            self._views[node.id].set_property("name", node.name, push_undo=False)

    def _on_insert_node(self, pipe: Any, view_id: str, previous_positions: dict) -> None:
        node = self._cores.get(view_id)
        pair = self._port_pair(pipe.input_port, pipe.output_port)
        if node is None or pair is None or node.node_type is None or not node.node_type.inputs:
            return
        target, input_name, source = pair

        def apply() -> None:
            self.doc.connect(source, node, 0)
            self.doc.connect(node, target, input_name)
            x, y = self._views[node.id].pos()
            self.doc.set_ui(node, "pos", [round(x, 1), round(y, 1)])

        self._edit(f"Insert {node.name}", apply, resync=[node, target])

    def _on_backdrop_resized(self, view_id: str, update: str, value: Any) -> None:
        """The backdrop's corner was dragged (or double-clicked to fit): store size and place."""
        node = self._cores.get(view_id)
        if node is None or not isinstance(value, dict):
            return
        width, height = (max(float(value[k]), graph_backdrops.MIN_SIZE) for k in ("width", "height"))
        x, y = value.get("pos") or self._views[node.id].pos()

        def apply() -> None:
            self.doc.set_param(node, "width", round(width, 1))
            self.doc.set_param(node, "height", round(height, 1))
            self.doc.set_ui(node, "pos", [round(float(x), 1), round(float(y), 1)])

        if not self._edit(f"Resize {node.name}", apply):
            self._refresh_look(node)

    def _on_search_triggered(self, view_type: str, pos: tuple[float, float]) -> None:
        node_type = next((t for t in self.doc.registry if graph_nodes.view_type(t.type_id) == view_type), None)
        if node_type is not None:
            self.create_node(node_type.type_id, pos=pos)

    def _on_double_clicked(self, view: BaseNode) -> None:
        node = self._cores.get(view.id) if view is not None else None
        if node is not None:
            self.node_activated.emit(node)

    # --------------------------------------------------------------- actions
    def create_node(self, type_id: str, pos: tuple[float, float] | None = None) -> Node | None:
        """Add a node of `type_id`; with one node selected, feed it in and place the new one below.

        This is how compositors chain nodes: select a node, Tab, type, Enter.
        """
        selected = self.selected()
        upstream = selected[0] if len(selected) == 1 else None
        node_type = self.doc.registry.resolve(type_id)
        around = None
        if node_type.type_id == graph_nodes.BACKDROP_TYPE:
            around = graph_backdrops.wrap(graph_backdrops.rect_of(self._views[n.id]) for n in selected
                                          if n.id in self._views)
        if around is not None:  # a backdrop made with nodes selected goes around them, as in Nuke
            upstream, pos = None, around[:2]
        if upstream is not None and upstream.id in self._views and pos is None:
            x, y = self._views[upstream.id].pos()
            pos = (x, y + NEW_NODE_GAP)
        created: list[Node] = []

        def apply() -> None:
            node = self.doc.add(node_type.type_id)
            created.append(node)
            if upstream is not None and node_type.inputs and upstream.node_type is not None \
                    and upstream.node_type.outputs:
                self.doc.connect(upstream, node, 0)
            where = pos if pos is not None else self.scene_cursor()
            self.doc.set_ui(node, "pos", [round(where[0], 1), round(where[1], 1)])
            if around is not None:
                self.doc.set_param(node, "width", around[2])
                self.doc.set_param(node, "height", around[3])

        if not self._edit(f"Add {node_type.short_name()}", apply):
            return None
        self.select(created)
        return created[0]

    def connection_at(self, pos: tuple[float, float], reach: float = 8.0) -> tuple[Node, str, Node] | None:
        """The connection drawn within `reach` graph units of `pos`, as (target, input name, source)."""
        area = QtCore.QRectF(pos[0] - reach, pos[1] - reach, 2 * reach, 2 * reach)
        for item in self.viewer.scene().items(area):
            if isinstance(item, PipeItem) and not isinstance(item, LivePipeItem) \
                    and item.input_port is not None and item.output_port is not None:
                pair = self._port_pair(item.input_port, item.output_port)
                if pair is not None:
                    return pair
        return None

    def selected_connections(self) -> list[tuple[Node, str, Node]]:
        """Selected pipes as (target node, input name, source node), in document order of targets."""
        pairs = []
        for item in self.viewer.scene().selectedItems():
            if isinstance(item, PipeItem) and not isinstance(item, LivePipeItem) \
                    and item.input_port is not None and item.output_port is not None:
                pair = self._port_pair(item.input_port, item.output_port)
                if pair is not None:
                    pairs.append(pair)
        order = {node.id: index for index, node in enumerate(self.doc.nodes)} if self.doc else {}
        return sorted(pairs, key=lambda p: (order.get(p[0].id, 0), p[1]))
