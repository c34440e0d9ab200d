"""The dope sheet: a row per keyed param of the shown nodes, a tick per key, edited in time.

A param's tick stands for its keys at that frame on every component; a node's summary row
shows the frames where any of its params has a key, and picking a summary tick picks all of
those. Selection, drags in whole frames (one undo step), Delete and interpolation come from
`KeyCanvas`; a click on a row's name selects the whole row, and a double-click (or Ctrl+click)
in a row keys its params at that frame with the values they have there. Like the curve
editor, it follows the Document's events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.node import Node
from nodecomp.ui.key_axis import (
    BACKGROUND,
    LABEL_COLOUR,
    RULER_HEIGHT,
    draw_frame_grid,
    draw_frame_ruler,
    draw_playhead,
)
from nodecomp.ui.key_canvas import KeyCanvas, draw_key
from nodecomp.ui.key_edits import (
    KeyRef,
    add_param_keys,
    animated_params,
    follow_document,
    live_nodes,
    param_key_frames,
)

LABEL_WIDTH = 170
ROW_HEIGHT = 22
TICK_RADIUS = 5.0
HIT_PX = 7
ZOOM_STEP = 1.25
SCROLLBAR_WIDTH = 12
NODE_ROW = QtGui.QColor(52, 52, 52)
PARAM_ROW = (QtGui.QColor(38, 38, 38), QtGui.QColor(42, 42, 42))
LABEL_BACKGROUND = QtGui.QColor(46, 46, 46)
KEY_COLOUR = QtGui.QColor(214, 160, 70)
SUMMARY_COLOUR = QtGui.QColor(150, 150, 150)


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


class DopeSheet(KeyCanvas):
    """Rows of key ticks over a frame ruler (see `KeyCanvas` for the mouse)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 80)
        self.nodes: list[Node] = []
        self.rows: list[Row] = []
        self._rows_key: tuple = ()
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
        self.prune_selection()
        rows_key = tuple((r.node.id, r.param) for r in rows)
        if rows_key != self._rows_key:
            self._rows_key = rows_key
            if not self.navigated:
                self.fit()
        self.update()

    # ----------------------------------------------------------- geometry
    def key_area(self) -> QtCore.QRectF:
        """Where ticks are drawn (right of the names, below the ruler, left of the scroll bar)."""
        bar = SCROLLBAR_WIDTH if self.scrollbar.isVisible() else 0
        return QtCore.QRectF(LABEL_WIDTH, RULER_HEIGHT, max(1, self.width() - LABEL_WIDTH - bar),
                             max(1, self.height() - RULER_HEIGHT))

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

    def pick(self, pos: QtCore.QPointF) -> set[KeyRef]:
        """The keys of the tick under `pos`."""
        hit = self.tick_at(pos)
        return set(self.rows[hit[0]].refs(hit[1])) if hit is not None else set()

    def keys_in(self, band: QtCore.QRectF) -> set[KeyRef]:
        """The keys of every tick inside `band`."""
        inside: set[KeyRef] = set()
        for index, row in enumerate(self.rows):
            for frame in row.frames():
                if band.contains(self.tick_position(index, frame)):
                    inside.update(row.refs(frame))
        return inside

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
        self._layout_scrollbar()
        super().resizeEvent(event)

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

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A click on a row's name selects all its keys (Shift adds); elsewhere as `KeyCanvas`."""
        pos = event.position()
        if event.button() == QtCore.Qt.MouseButton.LeftButton and pos.x() < LABEL_WIDTH and pos.y() >= RULER_HEIGHT:
            row = self.row_at(pos.y())
            refs = {r for f in self.rows[row].frames() for r in self.rows[row].refs(f)} if row is not None else set()
            shift = event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
            self.select((self.selection | refs) if shift else refs)
            return
        super().mousePressEvent(event)

    def press_empty(self, pos: QtCore.QPointF, modifiers: QtCore.Qt.KeyboardModifier) -> bool:
        """Ctrl+click in a row adds a key there."""
        if modifiers & QtCore.Qt.KeyboardModifier.ControlModifier and self.row_at(pos.y()) is not None:
            self.add_key_at(pos)
            return True
        return False

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Add a key in the row under the cursor (not on a tick, not on the names)."""
        pos = event.position()
        if event.button() == QtCore.Qt.MouseButton.LeftButton and pos.x() >= LABEL_WIDTH \
                and self.tick_at(pos) is None:
            self._band = None
            self._press = None
            self.add_key_at(pos)

    def add_key_at(self, pos: QtCore.QPointF) -> list[KeyRef]:
        """Key the row under `pos` at the whole frame there, each component with its value there.

        A param row keys that param; a node's summary row keys every param of the node shown.
        """
        row = self.row_at(pos.y())
        if row is None or self.doc is None:
            return []
        target = self.rows[row]
        frame = float(round(self.frames.to_unit(pos.x())))
        refs = self.edit(lambda: add_param_keys(self.doc, target.node, target.params, frame)) or []
        if refs:
            self.select(set(refs))
        return refs

    def context_menu(self, pos: QtCore.QPointF) -> QtWidgets.QMenu:
        """Interpolation (every component), delete, adding a key, framing."""
        menu = super().context_menu(pos)
        menu.addAction("Add Key Here", lambda: self.add_key_at(pos)).setEnabled(
            pos.x() >= LABEL_WIDTH and self.row_at(pos.y()) is not None)
        menu.addSeparator()
        menu.addAction("Frame All (F)", self.fit)
        return menu

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
                radius, colour = (TICK_RADIUS - 1, SUMMARY_COLOUR) if row.param is None else (TICK_RADIUS, KEY_COLOUR)
                draw_key(painter, centre, radius, colour, set(row.refs(frame)) <= selected)
        draw_playhead(painter, self.frames, self.frame, area.top(), area.bottom())
        self.draw_band(painter)
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
