"""The line above the curves: the selected key's curve, and its frame and value to type into.

It shows one key (or how many are selected, or how to edit) and hands typed numbers to the
editor on Enter; the editor applies them through the Document, so they are checked and undone
like a drag, and a refusal comes back as the Document's message. Esc puts the key's own
numbers back.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.curves import Key


class _Field(QtWidgets.QLineEdit):
    """A number field that puts its last shown text back on Esc."""

    def __init__(self, tip: str, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setToolTip(tip)
        self.setFixedWidth(84)
        self.shown = ""

    def show_text(self, text: str) -> None:
        """Show `text` (what the key holds) unless the user is typing here."""
        if not (self.hasFocus() and self.isModified()):
            self.shown = text
            self.setText(text)
            self.setModified(False)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Esc restores the key's number."""
        if event.key() == QtCore.Qt.Key.Key_Escape:
            self.setText(self.shown)
            self.setModified(False)
            return
        super().keyPressEvent(event)


class KeyEntry(QtWidgets.QWidget):
    """The selected key's curve, frame and value fields and interpolation; else a hint.

    Signals:
        submitted(str, str): Enter in a field, with the frame and value texts as typed.
    """

    submitted = QtCore.Signal(str, str)

    def __init__(self, hint: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint_text = hint
        self.name = QtWidgets.QLabel(self)
        self.frame_label = QtWidgets.QLabel("frame", self)
        self.frame = _Field("The key's frame: type one and press Enter to move it", self)
        self.value_label = QtWidgets.QLabel("value", self)
        self.value = _Field("The key's value: type one and press Enter to set it", self)
        self.interp = QtWidgets.QLabel(self)
        self.hint = QtWidgets.QLabel(self)
        self.hint.setToolTip(hint)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        for widget in (self.name, self.frame_label, self.frame, self.value_label, self.value, self.interp):
            layout.addWidget(widget)
            if isinstance(widget, QtWidgets.QLabel):
                widget.setStyleSheet("color: #9a9a9a;")
        self.hint.setStyleSheet("color: #9a9a9a;")
        layout.addWidget(self.hint, 1)
        for field in (self.frame, self.value):
            field.returnPressed.connect(lambda: self.submitted.emit(self.frame.text(), self.value.text()))
        self.show_hint()

    @property
    def key_widgets(self) -> tuple[QtWidgets.QWidget, ...]:
        """What is shown only while one key is selected."""
        return self.name, self.frame_label, self.frame, self.value_label, self.value, self.interp

    def show_key(self, label: str, key: Key) -> None:
        """Show one key: its curve's label, frame, value and interpolation."""
        self.name.setText(label)
        self.frame.show_text(_number_text(key.frame))
        self.value.show_text(_number_text(key.value))
        self.interp.setText(key.interp.value)
        self.hint.setText("")
        for widget in self.key_widgets:
            widget.setVisible(True)

    def show_hint(self, text: str | None = None) -> None:
        """Hide the fields and show `text` (how to edit, by default)."""
        for widget in self.key_widgets:
            widget.setVisible(False)
        self.hint.setText(self.hint_text if text is None else text)

    def typed(self) -> tuple[float | str | None, float | str | None]:
        """(frame, value) as typed; None for a field still showing the key's own number.

        An untouched field keeps the key's exact number, not the rounded text it shows.
        """
        return tuple(None if f.text() == f.shown else typed_number(f.text()) for f in (self.frame, self.value))

    def accept(self) -> None:
        """The typed numbers went in: the fields follow the key again."""
        for field in (self.frame, self.value):
            field.setModified(False)

    def text(self) -> str:
        """What the line says, as one string (the fields' texts in place)."""
        if not self.frame.isVisibleTo(self):
            return self.hint.text()
        return (f"{self.name.text()}   frame {self.frame.text()}   value {self.value.text()}   "
                f"{self.interp.text()}")


def _number_text(number: float) -> str:
    """A whole number without a point; else six significant digits."""
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:.6g}"


def typed_number(text: str) -> float | str:
    """`text` as a number, or the text itself so the Document refuses it with its own message."""
    try:
        return float(text.strip())
    except ValueError:
        return text
