"""The properties panel: one card per open node, generated from its param declarations.

Several nodes stay open at once (newest on top, the oldest closes past `max_open`), as in
the compositors users know. Cards follow the Document: a param changed by undo, a script or
another card is redrawn; a deleted node's card closes; a rename updates the title. The card
title edits the node's name; the node's description and each param's doc are the tooltips.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.ui.param_rows import make_row
from nodecomp.ui.param_widgets import (
    ColourPrompt,
    ParamRow,
    PathPrompt,
    RowContext,
    default_colour_prompt,
    default_path_prompt,
)

MAX_OPEN = 6


class NodeCard(QtWidgets.QFrame):
    """The editors of one node: a title (its name), a close button and one row per param."""

    closed = QtCore.Signal(object)

    def __init__(self, ctx: RowContext, node: Node, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.node = ctx, node
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setObjectName("NodeCard")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)
        header = QtWidgets.QHBoxLayout()
        self.name_edit = QtWidgets.QLineEdit(node.name, self)
        self.name_edit.setToolTip("Node name (press Enter to rename)")
        self.name_edit.editingFinished.connect(self._rename)
        close = QtWidgets.QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip("Close these properties")
        close.clicked.connect(lambda: self.closed.emit(self.node))
        header.addWidget(self.name_edit, 1)
        header.addWidget(close)
        layout.addLayout(header)
        summary = node.type_id + ("" if node.node_type else " (not loaded)")
        if node.node_type is not None and node.node_type.__doc__:
            summary += ": " + node.node_type.__doc__.strip().split("\n\n")[0].replace("\n", " ")
        about = QtWidgets.QLabel(summary, self)
        about.setWordWrap(True)
        about.setStyleSheet("color: #9a9a9a; font-size: 11px;")
        layout.addWidget(about)
        self.rows: dict[str, ParamRow] = {}
        specs = node.node_type.params if node.node_type else ()
        for spec in specs:
            row = make_row(ctx, node, spec, self)
            self.rows[spec.name] = row
            layout.addWidget(row)
        if node.node_type is None:
            layout.addWidget(QtWidgets.QLabel("The plugin providing this node is not loaded; its params "
                                              "are kept as they are in the file.", self))

    def _rename(self) -> None:
        name = self.name_edit.text().strip()
        if name == self.node.name:
            return
        try:
            self.ctx.doc.rename(self.node, name)
        except NodecompError as exc:
            self.ctx.report(str(exc))
            self.name_edit.setText(self.node.name)

    def refresh(self, param: str | None = None) -> None:
        """Redraw one param's row, or every row."""
        rows = [self.rows[param]] if param in self.rows else ([] if param else list(self.rows.values()))
        for row in rows:
            row.refresh()

    def refresh_animated(self) -> None:
        """Redraw rows whose value depends on the frame (after the frame changed)."""
        for row in self.rows.values():
            if row.state.is_animated:
                row.refresh()
            else:
                row.show_animation_state()  # the key marker depends on the frame too


class PropertiesPanel(QtWidgets.QScrollArea):
    """A scrolling stack of node cards.

    Signals:
        message(str): an edit the Document refused (for the status bar).
        nodes_changed(): a card opened or closed (the key editors show the open nodes).
    """

    message = QtCore.Signal(str)
    nodes_changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, *, max_open: int = MAX_OPEN) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.max_open = max_open
        self.container = QtWidgets.QWidget(self)
        self.stack = QtWidgets.QVBoxLayout(self.container)
        self.stack.setContentsMargins(4, 4, 4, 4)
        self.stack.addStretch(1)
        self.setWidget(self.container)
        self.doc: Document | None = None
        self.frame = 1.0
        self.cards: dict[str, NodeCard] = {}  # node id -> card
        self.ask_path: PathPrompt = default_path_prompt(self)
        self.ask_colour: ColourPrompt = default_colour_prompt(self)

    def set_document(self, doc: Document) -> None:
        """Follow `doc`; every card closes."""
        if self.doc is not None:
            self._bind(self.doc, connect=False)
        self.close_all()
        self.doc = doc
        self._bind(doc, connect=True)

    def _bind(self, doc: Document, *, connect: bool) -> None:
        pairs = (
            (doc.events.param_changed, self._on_param_changed),
            (doc.events.node_removed, self._on_node_removed),
            (doc.events.node_renamed, self._on_node_renamed),
            (doc.events.node_changed, self._on_node_changed),
        )
        for signal, slot in pairs:
            (signal.connect if connect else signal.disconnect)(slot)

    def _context(self) -> RowContext:
        return RowContext(self.doc, lambda: self.frame, self.message.emit,
                          lambda current, saving: self.ask_path(current, saving),
                          lambda current: self.ask_colour(current))

    def open(self, node: Node) -> NodeCard:
        """Show `node`'s card on top (opening it if needed)."""
        card = self.cards.get(node.id)
        if card is None:
            card = NodeCard(self._context(), node, self.container)
            card.closed.connect(self.close_node)
            self.cards[node.id] = card
        else:
            self.stack.removeWidget(card)
        self.stack.insertWidget(0, card)
        while len(self.cards) > self.max_open:
            oldest = self.stack.itemAt(len(self.cards) - 1).widget()
            self.close_node(oldest.node)
        self.verticalScrollBar().setValue(0)
        self.nodes_changed.emit()
        return card

    def close_node(self, node: Node) -> None:
        """Close `node`'s card."""
        card = self.cards.pop(node.id, None)
        if card is not None:
            self.stack.removeWidget(card)
            card.deleteLater()
            self.nodes_changed.emit()

    def close_all(self) -> None:
        """Close every card."""
        for card in list(self.cards.values()):
            self.close_node(card.node)

    def open_nodes(self) -> list[Node]:
        """Nodes with an open card, top first."""
        found = []
        for index in range(self.stack.count()):
            widget = self.stack.itemAt(index).widget()
            if isinstance(widget, NodeCard):
                found.append(widget.node)
        return found

    def set_frame(self, frame: float) -> None:
        """Show values at `frame`."""
        self.frame = float(frame)
        for card in self.cards.values():
            card.refresh_animated()

    def _on_param_changed(self, node: Node, name: str) -> None:
        card = self.cards.get(node.id)
        if card is not None:
            card.refresh(name)
        for other in self.cards.values():  # expressions may read it; a published param shows it
            if other is not card:
                for row_name, row in other.rows.items():
                    if row.state.expressions or self.doc.param_holder(other.node, row_name) == (node, name):
                        row.refresh()

    def _on_node_changed(self, node: Node, attribute: str) -> None:
        if attribute == "published" and node.id in self.cards:  # a group gained or lost params
            self.close_node(node)
            self.open(node)

    def _on_node_removed(self, node: Node) -> None:
        self.close_node(node)

    def _on_node_renamed(self, node: Node, old_name: str) -> None:
        card = self.cards.get(node.id)
        if card is not None:
            card.name_edit.setText(node.name)
