"""What the curve canvas and the dope sheet share: picking, box selection, drags, scrub, pan and edits.

A subclass says what lies under the mouse (`pick`, `keys_in`), how a drag turns into a
(frame, value) offset (`drag_delta`) and how to frame its content (`fit`); this class turns
mouse and keys into selections and Document edits. The left button picks keys (Shift adds or
removes, a box selects, a drag moves the selection as one undo step, Esc cancels it), the
middle button or Alt+left pans, the frame ruler along the top scrubs, Delete removes keys and
the context menu sets their interpolation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.curves import Interp
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.ui.key_axis import RULER_HEIGHT, AxisMap
from nodecomp.ui.key_edits import KeyDrag, KeyRef, delete_keys, key_exists, key_interps, set_interp

DRAG_START_PX = 3
BAND_FILL = QtGui.QColor(214, 140, 50, 40)
BAND_LINE = QtGui.QColor(214, 140, 50)
SELECTED_KEY = QtGui.QColor(255, 225, 120)
Mod = QtCore.Qt.KeyboardModifier
Button = QtCore.Qt.MouseButton


class KeyCanvas(QtWidgets.QWidget):
    """Selection and editing of keys over a frame axis; subclasses draw and hit-test.

    Signals:
        selection_changed(): the selected keys changed.
        frame_requested(int): the user clicked or dragged in the frame ruler.
        message(str): an edit the Document refused, or a hint.
    """

    selection_changed = QtCore.Signal()
    frame_requested = QtCore.Signal(int)
    message = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.doc: Document | None = None
        self.selection: set[KeyRef] = set()
        self.frame = 1.0
        self.frames = AxisMap(0.0, 10.0)
        self.drag: KeyDrag | None = None
        self.navigated = False  # the user zoomed or panned: resizing no longer re-frames
        self._press: tuple[str, QtCore.QPointF, set[KeyRef]] | None = None
        self._band: QtCore.QRectF | None = None

    # ---------------------------------------------------------- to override
    def pick(self, pos: QtCore.QPointF) -> set[KeyRef]:
        """The keys under `pos` (one drawn mark; empty when there is none)."""
        return set()

    def keys_in(self, band: QtCore.QRectF) -> set[KeyRef]:
        """The keys drawn inside `band`."""
        return set()

    def drag_delta(self, start: QtCore.QPointF, pos: QtCore.QPointF, frame: float) -> tuple[float, float]:
        """(frames, value) to move by for a drag from `start` to `pos` that grabbed a key at `frame`."""
        raw = self.frames.to_unit(pos.x()) - self.frames.to_unit(start.x())
        return round(frame + raw) - frame, 0.0  # the grabbed key lands on a whole frame

    def pan_by(self, dx: float, dy: float) -> None:
        """Slide the view by pixels."""
        self.frames.pan(dx)

    def fit(self) -> None:
        """Frame everything."""

    def frame_selection(self) -> None:
        """Frame the selected keys (everything, unless a subclass knows better)."""
        self.fit()

    def press_empty(self, pos: QtCore.QPointF, modifiers: QtCore.Qt.KeyboardModifier) -> bool:
        """A left press on no key; True when the subclass handled it (no box starts)."""
        return False

    def context_menu(self, pos: QtCore.QPointF) -> QtWidgets.QMenu:
        """The right-click menu at `pos`: interpolation and delete for the picked or selected keys."""
        picked = self.pick(pos)
        if picked and not picked <= self.selection:
            self.select(picked)
        menu = QtWidgets.QMenu(self)
        refs = self.selected_keys()
        current = set().union(*(key_interps(r) for r in refs)) if refs else set()
        for interp in Interp:
            action = menu.addAction(interp.value.capitalize(), lambda i=interp: self.set_interpolation(i))
            action.setCheckable(True)
            action.setChecked(current == {interp})
            action.setEnabled(bool(refs))
        menu.addSeparator()
        menu.addAction("Delete Keys", self.delete_selected).setEnabled(bool(refs))
        return menu

    # ------------------------------------------------------------ selection
    def set_frame(self, frame: float) -> None:
        """Move the current-frame line."""
        self.frame = float(frame)
        self.update()

    def select(self, refs: set[KeyRef]) -> None:
        """Make `refs` the selected keys."""
        if refs != self.selection:
            self.selection = set(refs)
            self.selection_changed.emit()
        self.update()

    def prune_selection(self) -> None:
        """Forget selected keys the document no longer has (after undo, or a delete elsewhere)."""
        if self.drag is None:
            self.select({r for r in self.selection if key_exists(r)})

    def selected_keys(self) -> list[KeyRef]:
        """The selected keys (where a drag in progress has put them), sorted."""
        refs = self.drag.moved_refs() if self.drag is not None else self.selection
        return sorted(refs, key=lambda r: (r.node.name, r.param, -1 if r.component is None else r.component, r.frame))

    # ---------------------------------------------------------------- edits
    def finish_drag(self) -> None:
        """Close a drag in progress (its undo step) and select where the keys went."""
        drag, self.drag = self.drag, None
        if drag is not None:
            self.select(set(drag.finish()))

    def cancel_drag(self) -> None:
        """Put dragged keys back, leaving no undo step."""
        drag, self.drag = self.drag, None
        self._press = None
        if drag is not None:
            self.select(set(drag.cancel()))

    def delete_selected(self) -> None:
        """Remove the selected keys (one undo step)."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self.edit(lambda: delete_keys(self.doc, refs))
            self.select(set())

    def set_interpolation(self, interp: Interp | str) -> None:
        """Interpolate the segments leaving the selected keys with `interp` (one undo step)."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self.edit(lambda: set_interp(self.doc, refs, interp))

    def edit(self, action: Callable[[], object]) -> object:
        """Run a Document edit; a refusal becomes a message."""
        try:
            return action()
        except NodecompError as exc:
            self.message.emit(str(exc))
            return None

    # ---------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Pan (middle or Alt), scrub in the ruler, pick keys, or start a box."""
        pos, button, modifiers = event.position(), event.button(), event.modifiers()
        if button == Button.MiddleButton or (button == Button.LeftButton and modifiers & Mod.AltModifier):
            self._press = ("pan", pos, set())
            return
        if button != Button.LeftButton:
            return
        if pos.y() < RULER_HEIGHT:
            self._press = ("scrub", pos, set())
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
            return
        picked = self.pick(pos)
        if picked:
            if modifiers & Mod.ShiftModifier:
                self.select(self.selection - picked if picked <= self.selection else self.selection | picked)
                return
            if not picked <= self.selection:
                self.select(picked)
            self._press = ("key", pos, picked)
            return
        if self.press_empty(pos, modifiers):
            return
        if not modifiers & Mod.ShiftModifier:
            self.select(set())
        self._press = ("band", pos, set())
        self._band = QtCore.QRectF(pos, pos)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Drag keys, pan, scrub or grow the box."""
        if self._press is None:
            return
        mode, start, picked = self._press
        pos = event.position()
        if mode == "pan":
            self.pan_by(pos.x() - start.x(), pos.y() - start.y())
            self._press = ("pan", pos, set())
            self.navigated = True
            self.update()
        elif mode == "scrub":
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
        elif mode == "band":
            self._band = QtCore.QRectF(start, pos).normalized()
            self.update()
        elif mode == "key":
            if self.drag is None:
                moved = max(abs(pos.x() - start.x()), abs(pos.y() - start.y()))
                if moved < DRAG_START_PX or self.doc is None:
                    return
                self.drag = KeyDrag(self.doc, self.selected_keys(), "Move keys")
            self.drag.move(*self.drag_delta(start, pos, next(iter(picked)).frame))
            self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a drag (one undo step), pick a clicked key alone, or select the keys in the box."""
        press, self._press = self._press, None
        if press is None:
            return
        if press[0] == "key":
            if self.drag is None:  # a click on a key of a larger selection picks that key alone
                self.select(press[2])
            self.finish_drag()
        elif press[0] == "band" and self._band is not None:
            band, self._band = self._band, None
            self.select(self.selection | self.keys_in(band))

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Delete/Backspace delete keys; F frames the selection, Home everything; Esc cancels a drag."""
        keys = QtCore.Qt.Key
        if event.key() in (keys.Key_Delete, keys.Key_Backspace):
            self.delete_selected()
        elif event.key() == keys.Key_F:
            self.frame_selection()
        elif event.key() == keys.Key_Home:
            self.fit()
        elif event.key() == keys.Key_Escape:
            self.cancel_drag()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """Show `context_menu` at the cursor."""
        menu = self.context_menu(QtCore.QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the content framed until the user zooms or pans."""
        super().resizeEvent(event)
        if not self.navigated:
            self.fit()

    # -------------------------------------------------------------- drawing
    def draw_band(self, painter: QtGui.QPainter) -> None:
        """The selection box being dragged, if any."""
        if self._band is not None:
            painter.setPen(BAND_LINE)
            painter.fillRect(self._band, BAND_FILL)
            painter.drawRect(self._band)


def draw_key(painter: QtGui.QPainter, centre: QtCore.QPointF, radius: float, colour: QtGui.QColor,
             selected: bool) -> None:
    """A key mark: a diamond in `colour`, or pale yellow with a white edge when selected."""
    painter.setPen(QtGui.QPen(QtGui.QColor(255, 255, 255) if selected else QtGui.QColor(20, 20, 20), 1))
    painter.setBrush(SELECTED_KEY if selected else colour)
    painter.drawPolygon(QtGui.QPolygonF([centre + QtCore.QPointF(dx, dy) for dx, dy in
                                         ((0, -radius), (radius, 0), (0, radius), (-radius, 0))]))
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
