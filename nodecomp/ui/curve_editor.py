"""The curve editor: the animated params of the shown nodes in a tree, their curves beside it.

The tree lists node > param > component for every keyed or expression-driven component;
selecting items shows only those curves (nothing selected shows them all). The editor follows
the Document's events, so a key set in the properties panel, a script's edit or an undo is
drawn at once. Editing happens in the canvas (`curve_canvas.py`); the buttons above it set
the interpolation of the selected keys and frame the view, and the line beside them names the
selected key and takes a typed frame and value (`key_entry.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.curves import Interp
from nodecomp.core.document import Document
from nodecomp.core.node import Node
from nodecomp.ui.curve_canvas import CurveCanvas, channel_colours
from nodecomp.ui.key_edits import Channel, animated_channels, follow_document, live_nodes, set_key_at
from nodecomp.ui.key_entry import KeyEntry

ROLE = QtCore.Qt.ItemDataRole.UserRole
HINT = ("Drag keys · Shift or box to select · Double-click a curve to add a key · Del deletes · F frames · "
        "right-click: interpolation")


class CurveEditor(QtWidgets.QWidget):
    """The channel tree, interpolation buttons and the curve canvas.

    Signals:
        frame_requested(int): the user scrubbed in the editor's frame ruler.
        message(str): an edit the Document refused, or a hint.
    """

    frame_requested = QtCore.Signal(int)
    message = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.nodes: list[Node] = []
        self.channels: list[Channel] = []
        self._tree_key: tuple = ()
        self._shown_key: tuple = ()
        self.canvas = CurveCanvas(self)
        self.canvas.frame_requested.connect(self.frame_requested)
        self.canvas.message.connect(self.message)
        self.tree = QtWidgets.QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setToolTip("Select params to show only their curves; nothing selected shows all")
        self.tree.itemSelectionChanged.connect(self._show_channels)
        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.interp_buttons: dict[Interp, QtWidgets.QToolButton] = {}
        for interp in Interp:
            button = QtWidgets.QToolButton(self)
            button.setText(interp.value.capitalize())
            button.setToolTip(f"Interpolate the segments leaving the selected keys: {interp.value}")
            button.clicked.connect(lambda _checked=False, i=interp: self.canvas.set_interpolation(i))
            bar.addWidget(button)
            self.interp_buttons[interp] = button
        fit = QtWidgets.QToolButton(self)
        fit.setText("Fit")
        fit.setToolTip("Frame every curve (Home); F frames the selected keys")
        fit.clicked.connect(lambda _checked=False: self.canvas.fit())
        bar.addWidget(fit)
        self.readout = KeyEntry(HINT, self)
        self.readout.submitted.connect(lambda _frame, _value: self._apply_typed())
        bar.addWidget(self.readout, 1)
        self.canvas.selection_changed.connect(self._show_readout)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.canvas)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 800])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    # ---------------------------------------------------------- following
    def set_document(self, doc: Document) -> None:
        """Follow `doc`; the shown nodes are cleared."""
        if self.doc is not None:
            follow_document(self.doc, self.refresh, connect=False)
        self.doc = doc
        self.nodes = []
        follow_document(doc, self.refresh)
        self.canvas.set_document(doc)
        self.canvas.set_frame(doc.current_frame)
        self.refresh()

    def set_nodes(self, nodes: Iterable[Node]) -> None:
        """Show the animation of `nodes` (the selected and open ones)."""
        nodes = list(dict.fromkeys(nodes))
        if nodes != self.nodes:
            self.nodes = nodes
            self.refresh()

    def set_frame(self, frame: float) -> None:
        """Move the current-frame line."""
        self.canvas.set_frame(frame)

    def refresh(self, *_event: object) -> None:
        """Re-read the channels from the document and redraw (document events call this)."""
        self.channels = animated_channels(live_nodes(self.doc, self.nodes))
        tree_key = tuple((c.ident, c.node.name) for c in self.channels)
        if tree_key != self._tree_key:
            self._tree_key = tree_key
            self._rebuild_tree()
        self._show_channels()
        self.canvas.prune_selection()
        self._show_readout()

    def _show_readout(self) -> None:
        """The selected key's curve, frame and value (or how many are selected); else how to edit."""
        refs = self.canvas.selected_keys()
        if len(refs) == 1:
            ref = refs[0]
            channel = next((c for c in self.channels if (c.node, c.param, c.component) == ref[:3]), None)
            key = channel.curve.key_at(ref.frame) if channel is not None and channel.curve is not None else None
            if key is not None:
                self.readout.show_key(channel.label, key)
                return
        self.readout.show_hint(f"{len(refs)} keys selected" if refs else None)

    def _apply_typed(self) -> None:
        """Put the selected key at the typed frame and value (one undo step); a refusal is a message."""
        refs = self.canvas.selected_keys()
        if len(refs) != 1 or self.doc is None or self.canvas.drag is not None or refs[0].component is None:
            return
        ref = refs[0]
        curve = self.doc.param_state(ref.node, ref.param).curves.get(ref.component)
        key = curve.key_at(ref.frame) if curve is not None else None
        if key is None:
            return
        frame, value = self.readout.typed()
        frame = key.frame if frame is None else frame
        value = key.value if value is None else value
        moved = self.canvas.edit(lambda: set_key_at(self.doc, ref, frame, value))
        if moved is not None:
            self.readout.accept()
            self.canvas.select({moved})
            self._show_readout()
            self.canvas.update()

    # --------------------------------------------------------------- tree
    def _rebuild_tree(self) -> None:
        selected = {item.data(0, ROLE) for item in self.tree.selectedItems()}
        colours = channel_colours(self.channels)
        blocker = QtCore.QSignalBlocker(self.tree)
        self.tree.clear()
        node_items: dict[str, QtWidgets.QTreeWidgetItem] = {}
        param_items: dict[tuple[str, str], QtWidgets.QTreeWidgetItem] = {}
        for channel in self.channels:
            node, spec = channel.node, channel.node.spec(channel.param)
            node_item = node_items.get(node.id)
            if node_item is None:
                node_item = QtWidgets.QTreeWidgetItem(self.tree, [node.name])
                node_item.setData(0, ROLE, (node.id,))
                font = node_item.font(0)
                font.setBold(True)
                node_item.setFont(0, font)
                node_items[node.id] = node_item
            param_item = param_items.get((node.id, channel.param))
            if param_item is None:
                param_item = QtWidgets.QTreeWidgetItem(node_item, [spec.display_label])
                param_item.setData(0, ROLE, (node.id, channel.param))
                param_item.setToolTip(0, spec.doc)
                param_items[(node.id, channel.param)] = param_item
            item = param_item
            if channel.components > 1:
                item = QtWidgets.QTreeWidgetItem(param_item, [channel.suffix])
                item.setData(0, ROLE, channel.ident)
            item.setIcon(0, _swatch(colours[channel.ident]))
            if channel.has_expression:
                item.setToolTip(0, "driven by an expression (dashed)")
        self.tree.expandAll()
        for item in _walk(self.tree.invisibleRootItem()):
            if item.data(0, ROLE) in selected:
                item.setSelected(True)
        del blocker

    def shown_channels(self) -> list[Channel]:
        """The channels the canvas draws: those under the selected tree items, else all."""
        prefixes = [item.data(0, ROLE) for item in self.tree.selectedItems()]
        if not prefixes:
            return list(self.channels)
        return [c for c in self.channels if any(c.ident[:len(p)] == p for p in prefixes)]

    def _show_channels(self) -> None:
        shown = self.shown_channels()
        self.canvas.set_channels(shown, channel_colours(self.channels))
        shown_key = tuple(c.ident for c in shown)
        if shown_key != self._shown_key:
            self._shown_key = shown_key
            self.canvas.fit()


def _swatch(colour: QtGui.QColor) -> QtGui.QIcon:
    pixmap = QtGui.QPixmap(10, 10)
    pixmap.fill(colour)
    return QtGui.QIcon(pixmap)


def _walk(item: QtWidgets.QTreeWidgetItem) -> Iterable[QtWidgets.QTreeWidgetItem]:
    for index in range(item.childCount()):
        child = item.child(index)
        yield child
        yield from _walk(child)
