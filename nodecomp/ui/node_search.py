"""The Tab / right-click node search: type a few letters, Enter creates the node.

Every type of the document's registry is listed, plugins included, by short name with its
category and plugin; matches on the start of the name come first, then anywhere in the name,
category or type id.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from nodecomp.core.registry import NodeRegistry


@dataclass(frozen=True)
class Entry:
    """One creatable node type as the search shows it."""

    type_id: str
    name: str
    category: str
    plugin: str

    @property
    def label(self) -> str:
        """What the list shows."""
        return f"{self.name}    {self.category} · {self.plugin}"


def entries(registry: NodeRegistry) -> list[Entry]:
    """Every registered type, sorted by category then name."""
    found = [
        Entry(t.type_id, t.short_name(), t.category, registry.owner(t.type_id) or "nodecomp") for t in registry
    ]
    return sorted(found, key=lambda e: (e.category.lower(), e.name.lower()))


def matches(items: list[Entry], text: str) -> list[Entry]:
    """Entries matching `text`: name prefixes first, then other hits, each group alphabetical."""
    needle = text.strip().lower()
    if not needle:
        return sorted(items, key=lambda e: e.name.lower())
    prefix = [e for e in items if e.name.lower().startswith(needle)]
    rest = [
        e for e in items
        if e not in prefix and (needle in e.name.lower() or needle in e.category.lower() or needle in e.type_id.lower())
    ]
    return sorted(prefix, key=lambda e: e.name.lower()) + sorted(rest, key=lambda e: e.name.lower())


class NodeSearch(QtWidgets.QFrame):
    """A popup with a search field over a filtered list; emits `chosen(type_id)`."""

    chosen = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent, QtCore.Qt.WindowType.Popup)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.field = QtWidgets.QLineEdit(self)
        self.field.setPlaceholderText("Search nodes…")
        self.list = QtWidgets.QListWidget(self)
        self.list.setMinimumWidth(280)
        self.list.setMinimumHeight(220)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        self._entries: list[Entry] = []
        self.field.textChanged.connect(self._refilter)
        self.field.returnPressed.connect(self.accept)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.field.installEventFilter(self)

    def set_registry(self, registry: NodeRegistry) -> None:
        """List the types of `registry`."""
        self._entries = entries(registry)
        self._refilter(self.field.text())

    def open_at(self, global_pos: QtCore.QPoint) -> None:
        """Show the popup at a screen position with an empty search."""
        self.field.clear()
        self._refilter("")
        self.move(global_pos)
        self.show()
        self.field.setFocus()

    def visible_type_ids(self) -> list[str]:
        """The type ids listed now (what Enter would pick from, first is the default)."""
        return [self.list.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def accept(self) -> None:
        """Create the current entry (the first match when none is highlighted)."""
        item = self.list.currentItem() or (self.list.item(0) if self.list.count() else None)
        if item is None:
            return
        self.hide()
        self.chosen.emit(item.data(QtCore.Qt.ItemDataRole.UserRole))

    def _refilter(self, text: str) -> None:
        self.list.clear()
        for entry in matches(self._entries, text):
            item = QtWidgets.QListWidgetItem(entry.label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, entry.type_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 - Qt override
        """Up/Down in the field move through the list, so typing never leaves the field."""
        if watched is self.field and event.type() == QtCore.QEvent.Type.KeyPress:
            key = event.key()
            if key in (QtCore.Qt.Key.Key_Down, QtCore.Qt.Key.Key_Up) and self.list.count():
                step = 1 if key == QtCore.Qt.Key.Key_Down else -1
                row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
                self.list.setCurrentRow(row)
                return True
            if key == QtCore.Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(watched, event)
