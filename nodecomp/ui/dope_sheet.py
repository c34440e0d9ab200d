"""The dope sheet: a row per keyed param of the shown nodes, a tick per key, edited in time.

A param's tick stands for its keys at that frame on every component; a node's summary row
shows the frames where any of its params has a key, and picking a summary tick picks all of
those. Selected ticks (click, Shift+click, a box, or a click on a row's name for the whole
row) move together when dragged, in whole frames and as one undo step, and Delete removes
them. Like the curve editor, it follows the Document's events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.curves import Interp
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.ui.key_axis import (
    BACKGROUND,
    LABEL_COLOUR,
    RULER_HEIGHT,
    AxisMap,
    draw_frame_grid,
    draw_frame_ruler,
    draw_playhead,
)
from nodecomp.ui.key_edits import (
    KeyDrag,
    KeyRef,
    animated_params,
    delete_keys,
    follow_document,
    key_exists,
    live_nodes,
    param_key_frames,
    set_interp,
)

LABEL_WIDTH = 170
ROW_HEIGHT = 22
TICK_RADIUS = 5.0
HIT_PX = 7
DRAG_START_PX = 3
ZOOM_STEP = 1.25
SCROLLBAR_WIDTH = 12
NODE_ROW = QtGui.QColor(52, 52, 52)
PARAM_ROW = (QtGui.QColor(38, 38, 38), QtGui.QColor(42, 42, 42))
LABEL_BACKGROUND = QtGui.QColor(46, 46, 46)
KEY_COLOUR = QtGui.QColor(214, 160, 70)
SUMMARY_COLOUR = QtGui.QColor(150, 150, 150)
SELECTED_KEY = QtGui.QColor(255, 225, 120)
BAND_FILL = QtGui.QColor(214, 140, 50, 40)
BAND_LINE = QtGui.QColor(214, 140, 50)


@dataclass(frozen=True, eq=False)
class Row:
    """One dope-sheet row: a node's summary (`param` None) or one of its keyed params."""

    node: Node
    param: str | None
    params: tuple[str, ...]  # the keyed params this row stands for

    @property
    def label(self) -> str:
        """The node's name, or the param's label."""
        return self.node.name if self.param is None else self.node.spec(self.param).display_label

    def frames(self) -> list[float]:
        """Frames with a tick in this row."""
        return sorted({f for p in self.params for f in param_key_frames(self.node, p)})

    def refs(self, frame: float) -> list[KeyRef]:
        """The keys a tick at `frame` stands for (every component of each param keyed there)."""
        return [KeyRef(self.node, p, None, frame) for p in self.params
                if frame in param_key_frames(self.node, p)]


class DopeSheet(QtWidgets.QWidget):
    """Rows of key ticks over a frame ruler.

    Signals:
        selection_changed(): the selected keys changed.
        frame_requested(int): the user clicked or dragged in the frame ruler.
        message(str): an edit the Document refused.
    """

    selection_changed = QtCore.Signal()
    frame_requested = QtCore.Signal(int)
    message = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 80)
        self.doc: Document | None = None
        self.nodes: list[Node] = []
        self.rows: list[Row] = []
        self.selection: set[KeyRef] = set()
        self.frame = 1.0
        self.frames = AxisMap(0.0, 10.0)
        self.drag: KeyDrag | None = None
        self.navigated = False
        self._rows_key: tuple = ()
        self._press: tuple[str, QtCore.QPointF, float] | None = None
        self._band: QtCore.QRectF | None = None
        self.scrollbar = QtWidgets.QScrollBar(QtCore.Qt.Orientation.Vertical, self)
        self.scrollbar.valueChanged.connect(lambda _v: self.update())

    # ---------------------------------------------------------- following
    def set_document(self, doc: Document) -> None:
        """Follow `doc`; the shown nodes are cleared."""
        if self.doc is not None:
            follow_document(self.doc, self.refresh, connect=False)
        self.finish_drag()
        self.doc = doc
        self.nodes = []
        self.selection = set()
        follow_document(doc, self.refresh)
        self.frame = float(doc.current_frame)
        self.refresh()

    def set_nodes(self, nodes: Iterable[Node]) -> None:
        """Show the keys of `nodes`."""
        nodes = list(dict.fromkeys(nodes))
        if nodes != self.nodes:
            self.nodes = nodes
            self.refresh()

    def set_frame(self, frame: float) -> None:
        """Move the current-frame line."""
        self.frame = float(frame)
        self.update()

    def refresh(self, *_event: object) -> None:
        """Re-read the rows from the document and redraw (document events call this)."""
        rows: list[Row] = []
        for node in live_nodes(self.doc, self.nodes):
            params = tuple(p for _n, p in animated_params([node]))
            if params:
                rows.append(Row(node, None, params))
                rows.extend(Row(node, p, (p,)) for p in params)
        self.rows = rows
        self._layout_scrollbar()
        if self.drag is None:
            self._set_selection({r for r in self.selection if key_exists(r)})
        rows_key = tuple((r.node.id, r.param) for r in rows)
        if rows_key != self._rows_key:
            self._rows_key = rows_key
            if not self.navigated:
                self.fit()
        self.update()

    def _set_selection(self, refs: set[KeyRef]) -> None:
        if refs != self.selection:
            self.selection = refs
            self.selection_changed.emit()
        self.update()

    def selected_keys(self) -> list[KeyRef]:
        """The selected keys (where a drag in progress has put them), sorted."""
        refs = self.drag.moved_refs() if self.drag is not None else self.selection
        return sorted(refs, key=lambda r: (r.node.name, r.param, r.frame))

    # ----------------------------------------------------------- geometry
    def key_area(self) -> QtCore.QRectF:
        """Where ticks are drawn (right of the names, below the ruler, left of the scroll bar)."""
        return QtCore.QRectF(LABEL_WIDTH, RULER_HEIGHT, max(1, self.width() - LABEL_WIDTH - self._bar_width()),
                             max(1, self.height() - RULER_HEIGHT))

    def _bar_width(self) -> int:
        return SCROLLBAR_WIDTH if self.scrollbar.isVisible() else 0

    def _layout_scrollbar(self) -> None:
        visible_rows = max(1, (self.height() - RULER_HEIGHT) // ROW_HEIGHT)
        overflow = max(0, len(self.rows) - visible_rows)
        self.scrollbar.setRange(0, overflow)
        self.scrollbar.setPageStep(visible_rows)
        self.scrollbar.setVisible(overflow > 0)
        self.scrollbar.setGeometry(self.width() - SCROLLBAR_WIDTH, RULER_HEIGHT, SCROLLBAR_WIDTH,
                                   max(1, self.height() - RULER_HEIGHT))

    def row_top(self, index: int) -> float:
        """Widget y of the top of row `index`."""
        return RULER_HEIGHT + (index - self.scrollbar.value()) * ROW_HEIGHT

    def row_at(self, y: float) -> int | None:
        """Index of the row under widget y."""
        if y < RULER_HEIGHT:
            return None
        index = int((y - RULER_HEIGHT) // ROW_HEIGHT) + self.scrollbar.value()
        return index if 0 <= index < len(self.rows) else None

    def tick_position(self, row: int, frame: float) -> QtCore.QPointF:
        """Centre of the tick for `frame` in row `row`."""
        return QtCore.QPointF(self.frames.to_px(frame), self.row_top(row) + ROW_HEIGHT / 2)

    def tick_at(self, point: QtCore.QPointF) -> tuple[int, float] | None:
        """(row, frame) of the tick nearest `point`, within a few pixels."""
        row = self.row_at(point.y())
        if row is None or point.x() < LABEL_WIDTH:
            return None
        best, best_distance = None, HIT_PX
        for frame in self.rows[row].frames():
            distance = abs(self.frames.to_px(frame) - point.x())
            if distance <= best_distance:
                best, best_distance = (row, frame), distance
        return best

    def fit(self) -> None:
        """Frame every key (or the comp's range when there are none)."""
        frames = [f for row in self.rows if row.param is not None for f in row.frames()]
        if not frames and self.doc is not None:
            frames = list(self.doc.frame_range)
        low, high = (min(frames), max(frames)) if frames else (1.0, 100.0)
        pad = max((high - low) * 0.05, 2.0)
        area = self.key_area()
        self.frames.fit(low - pad, high + pad, area.left(), area.right())
        self.navigated = False
        self.update()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Place the scroll bar; keep the keys framed until the user zooms or pans."""
        super().resizeEvent(event)
        self._layout_scrollbar()
        if not self.navigated:
            self.fit()

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Zoom frames about the cursor; over the names, or with Shift, scroll the rows."""
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta:
            return
        if event.position().x() < LABEL_WIDTH or event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier:
            self.scrollbar.setValue(self.scrollbar.value() - (1 if delta > 0 else -1))
            return
        self.frames.zoom(ZOOM_STEP ** (delta / 120), event.position().x())
        self.navigated = True
        self.update()

    # -------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Scrub in the ruler, pan (middle or Alt), pick ticks or rows, or start a box."""
        pos, button, modifiers = event.position(), event.button(), event.modifiers()
        Mod = QtCore.Qt.KeyboardModifier  # noqa: N806 - a Qt enum alias
        if button == QtCore.Qt.MouseButton.MiddleButton or (
                button == QtCore.Qt.MouseButton.LeftButton and modifiers & Mod.AltModifier):
            self._press = ("pan", pos, 0.0)
            return
        if button != QtCore.Qt.MouseButton.LeftButton:
            return
        if pos.y() < RULER_HEIGHT:
            self._press = ("scrub", pos, 0.0)
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
            return
        shift = bool(modifiers & Mod.ShiftModifier)
        if pos.x() < LABEL_WIDTH:
            row = self.row_at(pos.y())
            refs = {r for f in self.rows[row].frames() for r in self.rows[row].refs(f)} if row is not None else set()
            self._set_selection((self.selection | refs) if shift else refs)
            return
        hit = self.tick_at(pos)
        if hit is not None:
            row, frame = hit
            refs = set(self.rows[row].refs(frame))
            if shift:
                self._set_selection(self.selection - refs if refs <= self.selection else self.selection | refs)
                return
            if not refs <= self.selection:
                self._set_selection(refs)
            self._press = ("key", pos, frame)
            return
        if not shift:
            self._set_selection(set())
        self._press = ("band", pos, 0.0)
        self._band = QtCore.QRectF(pos, pos)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Drag ticks in time, pan, scrub or grow the box."""
        if self._press is None:
            return
        mode, start, frame = self._press
        pos = event.position()
        if mode == "pan":
            self.frames.pan(pos.x() - start.x())
            self._press = ("pan", pos, 0.0)
            self.navigated = True
            self.update()
        elif mode == "scrub":
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
        elif mode == "band":
            self._band = QtCore.QRectF(start, pos).normalized()
            self.update()
        elif mode == "key":
            if self.drag is None:
                if abs(pos.x() - start.x()) < DRAG_START_PX or self.doc is None:
                    return
                self.drag = KeyDrag(self.doc, self.selected_keys(), "Move keys")
            raw = self.frames.to_unit(pos.x()) - self.frames.to_unit(start.x())
            self.drag.move(round(frame + raw) - frame)
            self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a drag (one undo step) or select the ticks in the box."""
        press, self._press = self._press, None
        if press is None:
            return
        if press[0] == "key":
            if self.drag is None:  # a click on a tick of a larger selection picks that tick alone
                hit = self.tick_at(press[1])
                if hit is not None:
                    self._set_selection(set(self.rows[hit[0]].refs(hit[1])))
            self.finish_drag()
        elif press[0] == "band" and self._band is not None:
            band, self._band = self._band, None
            inside = set()
            for index, row in enumerate(self.rows):
                for frame in row.frames():
                    if band.contains(self.tick_position(index, frame)):
                        inside.update(row.refs(frame))
            self._set_selection(self.selection | inside)

    def finish_drag(self) -> None:
        """Close a drag in progress (its undo step) and select where the keys went."""
        drag, self.drag = self.drag, None
        if drag is not None:
            self._set_selection(set(drag.finish()))

    def cancel_drag(self) -> None:
        """Put dragged keys back, leaving no undo step."""
        drag, self.drag = self.drag, None
        self._press = None
        if drag is not None:
            self._set_selection(set(drag.cancel()))

    # -------------------------------------------------------------- edits
    def delete_selected(self) -> None:
        """Remove the selected keys (one undo step)."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self._edit(lambda: delete_keys(self.doc, refs))
            self._set_selection(set())

    def set_interpolation(self, interp: Interp | str) -> None:
        """Interpolate the segments leaving the selected keys (every component) with `interp`."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self._edit(lambda: set_interp(self.doc, refs, interp))

    def _edit(self, action) -> None:
        try:
            action()
        except NodecompError as exc:
            self.message.emit(str(exc))

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Delete/Backspace delete keys; F or Home frame all; Esc cancels a drag."""
        keys = QtCore.Qt.Key
        if event.key() in (keys.Key_Delete, keys.Key_Backspace):
            self.delete_selected()
        elif event.key() in (keys.Key_F, keys.Key_Home):
            self.fit()
        elif event.key() == keys.Key_Escape:
            self.cancel_drag()
        else:
            super().keyPressEvent(event)

    def context_menu(self, pos: QtCore.QPointF) -> QtWidgets.QMenu:
        """The right-click menu at `pos` (a tick under it joins the selection)."""
        hit = self.tick_at(pos)
        if hit is not None and not set(self.rows[hit[0]].refs(hit[1])) <= self.selection:
            self._set_selection(set(self.rows[hit[0]].refs(hit[1])))
        menu = QtWidgets.QMenu(self)
        refs = self.selected_keys()
        for interp in Interp:
            menu.addAction(interp.value.capitalize(),
                           lambda i=interp: self.set_interpolation(i)).setEnabled(bool(refs))
        menu.addSeparator()
        menu.addAction("Delete Keys", self.delete_selected).setEnabled(bool(refs))
        menu.addSeparator()
        menu.addAction("Frame All (F)", self.fit)
        return menu

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """Interpolation, delete and framing."""
        menu = self.context_menu(QtCore.QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------ drawing
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Rows, names, grid, ticks, the current frame and the ruler."""
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        area = self.key_area()
        selected = set(self.selected_keys())
        for index, row in enumerate(self.rows):
            top = self.row_top(index)
            if top + ROW_HEIGHT < RULER_HEIGHT or top > self.height():
                continue
            band = QtCore.QRectF(0, top, self.width(), ROW_HEIGHT)
            painter.fillRect(band, NODE_ROW if row.param is None else PARAM_ROW[index % 2])
        painter.setClipRect(area)
        if self.doc is not None:
            draw_frame_grid(painter, self.frames, area, self.doc.frame_range)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        for index, row in enumerate(self.rows):
            for frame in row.frames():
                centre = self.tick_position(index, frame)
                if not area.left() - TICK_RADIUS <= centre.x() <= area.right() + TICK_RADIUS:
                    continue
                is_selected = set(row.refs(frame)) <= selected
                colour = SUMMARY_COLOUR if row.param is None else KEY_COLOUR
                radius = TICK_RADIUS - (1 if row.param is None else 0)
                painter.setPen(QtGui.QPen(QtGui.QColor(255, 255, 255) if is_selected else QtGui.QColor(20, 20, 20)))
                painter.setBrush(SELECTED_KEY if is_selected else colour)
                painter.drawPolygon(QtGui.QPolygonF([centre + QtCore.QPointF(dx, dy) for dx, dy in
                                                     ((0, -radius), (radius, 0), (0, radius), (-radius, 0))]))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        draw_playhead(painter, self.frames, self.frame, area.top(), area.bottom())
        if self._band is not None:
            painter.setPen(BAND_LINE)
            painter.fillRect(self._band, BAND_FILL)
            painter.drawRect(self._band)
        painter.setClipping(False)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        self._draw_labels(painter)
        draw_frame_ruler(painter, self.frames, area.left(), area.width())
        draw_playhead(painter, self.frames, self.frame, 0, RULER_HEIGHT)
        if not self.rows:
            painter.setPen(LABEL_COLOUR)
            painter.drawText(area, QtCore.Qt.AlignmentFlag.AlignCenter, "No keys on the selected nodes.")
        painter.end()

    def _draw_labels(self, painter: QtGui.QPainter) -> None:
        painter.fillRect(QtCore.QRectF(0, 0, LABEL_WIDTH, self.height()), LABEL_BACKGROUND)
        bold = QtGui.QFont(painter.font())
        bold.setBold(True)
        plain = QtGui.QFont(painter.font())
        painter.setClipRect(QtCore.QRectF(0, RULER_HEIGHT, LABEL_WIDTH, self.height()))
        for index, row in enumerate(self.rows):
            top = self.row_top(index)
            if top + ROW_HEIGHT < RULER_HEIGHT or top > self.height():
                continue
            painter.fillRect(QtCore.QRectF(0, top, LABEL_WIDTH, ROW_HEIGHT),
                             NODE_ROW if row.param is None else LABEL_BACKGROUND)
            painter.setFont(bold if row.param is None else plain)
            painter.setPen(QtGui.QColor(220, 220, 220) if row.param is None else LABEL_COLOUR)
            indent = 6 if row.param is None else 20
            painter.drawText(QtCore.QRectF(indent, top, LABEL_WIDTH - indent - 4, ROW_HEIGHT),
                             QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft, row.label)
        painter.setClipping(False)
        painter.setFont(plain)
