"""The curve editor's drawing surface: curves against frame and value axes, and the keys on them.

Curves are sampled through `Document.param_value`, the evaluation a render uses, so integer
params show their steps and an expression shows what it computes. Keys are selected with a
click, Shift+click or a box; dragging moves the selection in frame (snapped to whole frames)
and value as one undo step (`KeyDrag`). Double-click or Ctrl+click on a curve adds a key;
Delete removes the selected keys; the context menu sets their interpolation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.curves import Interp
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.ui.key_axis import (
    BACKGROUND,
    GRID_COLOUR,
    LABEL_COLOUR,
    RULER_HEIGHT,
    AxisMap,
    draw_frame_grid,
    draw_frame_ruler,
    draw_playhead,
    format_number,
)
from nodecomp.ui.key_edits import Channel, KeyDrag, KeyRef, add_key, delete_keys, key_exists, set_interp

GUTTER = 56  # the value labels on the left
HIT_PX = 7  # how near a click must be to a key
CURVE_HIT_PX = 10  # how near a double-click must be to a curve to add a key there
DRAG_START_PX = 3
SAMPLE_PX = 2  # one curve sample every this many pixels
ZOOM_STEP = 1.25
KEY_RADIUS = 4.5
SELECTED_KEY = QtGui.QColor(255, 225, 120)
ZERO_LINE = QtGui.QColor(80, 80, 80)
BAND_FILL = QtGui.QColor(214, 140, 50, 40)
BAND_LINE = QtGui.QColor(214, 140, 50)
COMPONENT_COLOURS = {
    "r": QtGui.QColor(235, 95, 95), "x": QtGui.QColor(235, 95, 95),
    "g": QtGui.QColor(110, 205, 110), "y": QtGui.QColor(110, 205, 110),
    "b": QtGui.QColor(105, 155, 245), "z": QtGui.QColor(105, 155, 245),
    "a": QtGui.QColor(200, 200, 200),
}
SCALAR_COLOURS = (QtGui.QColor(235, 185, 75), QtGui.QColor(200, 130, 225), QtGui.QColor(90, 205, 215),
                  QtGui.QColor(240, 145, 95), QtGui.QColor(170, 215, 90))


def channel_colours(channels: Iterable[Channel]) -> dict[tuple, QtGui.QColor]:
    """A colour per channel: r/g/b/a and x/y/z in their usual colours, scalars from a palette."""
    colours: dict[tuple, QtGui.QColor] = {}
    scalars = 0
    for channel in channels:
        if channel.suffix in COMPONENT_COLOURS:
            colours[channel.ident] = COMPONENT_COLOURS[channel.suffix]
        else:
            colours[channel.ident] = SCALAR_COLOURS[scalars % len(SCALAR_COLOURS)]
            scalars += 1
    return colours


class CurveCanvas(QtWidgets.QWidget):
    """Draws `channels` and edits their keys through the document.

    Signals:
        selection_changed(): the selected keys changed.
        frame_requested(int): the user clicked or dragged in the frame ruler.
        message(str): an edit the document refused.
    """

    selection_changed = QtCore.Signal()
    frame_requested = QtCore.Signal(int)
    message = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 120)
        self.doc: Document | None = None
        self.channels: list[Channel] = []
        self.colours: dict[tuple, QtGui.QColor] = {}
        self.selection: set[KeyRef] = set()
        self.frame = 1.0
        self.frames = AxisMap(0.0, 10.0)
        self.values = AxisMap(1.0, -100.0)
        self.drag: KeyDrag | None = None
        self._press: tuple[str, QtCore.QPointF, KeyRef | None] | None = None
        self._band: QtCore.QRectF | None = None
        self.navigated = False  # the user zoomed or panned: resizing no longer re-frames

    # ------------------------------------------------------------ content
    def set_document(self, doc: Document | None) -> None:
        """Edit `doc` (the selection is dropped)."""
        self.finish_drag()
        self.doc = doc
        self.channels = []
        self.selection = set()
        self.update()

    def set_channels(self, channels: list[Channel], colours: dict[tuple, QtGui.QColor]) -> None:
        """Show `channels`; selected keys on hidden channels are dropped."""
        self.channels = list(channels)
        self.colours = colours
        shown = {(c.node, c.param, c.component) for c in self.channels}
        self._set_selection({r for r in self.selection if (r.node, r.param, r.component) in shown})
        self.update()

    def prune_selection(self) -> None:
        """Forget selected keys the document no longer has (after undo, or a delete elsewhere)."""
        if self.drag is None:
            self._set_selection({r for r in self.selection if key_exists(r)})

    def _set_selection(self, refs: set[KeyRef]) -> None:
        if refs != self.selection:
            self.selection = refs
            self.selection_changed.emit()
        self.update()

    def set_frame(self, frame: float) -> None:
        """Move the current-frame line."""
        self.frame = float(frame)
        self.update()

    def selected_keys(self) -> list[KeyRef]:
        """The selected keys (where a drag in progress has put them), sorted."""
        refs = self.drag.moved_refs() if self.drag is not None else self.selection
        return sorted(refs, key=lambda r: (r.node.name, r.param, r.component, r.frame))

    # ----------------------------------------------------------- geometry
    def plot_rect(self) -> QtCore.QRectF:
        """The area curves are drawn in (right of the value labels, below the frame ruler)."""
        return QtCore.QRectF(GUTTER, RULER_HEIGHT, max(1, self.width() - GUTTER), max(1, self.height() - RULER_HEIGHT))

    def to_screen(self, frame: float, value: float) -> QtCore.QPointF:
        """Widget position of (frame, value)."""
        return QtCore.QPointF(self.frames.to_px(frame), self.values.to_px(value))

    def to_curve(self, point: QtCore.QPointF) -> tuple[float, float]:
        """(frame, value) under widget position `point`."""
        return self.frames.to_unit(point.x()), self.values.to_unit(point.y())

    def _keyed(self) -> Iterable[tuple[Channel, KeyRef, float]]:
        for channel in self.channels:
            curve = channel.curve
            for key in curve.keys if curve is not None else ():
                yield channel, KeyRef(channel.node, channel.param, channel.component, key.frame), key.value

    def key_at(self, point: QtCore.QPointF) -> KeyRef | None:
        """The key drawn nearest `point`, within a few pixels."""
        best, best_distance = None, HIT_PX
        for _channel, ref, value in self._keyed():
            pos = self.to_screen(ref.frame, value)
            distance = math.hypot(pos.x() - point.x(), pos.y() - point.y())
            if distance <= best_distance:
                best, best_distance = ref, distance
        return best

    def key_position(self, ref: KeyRef) -> QtCore.QPointF | None:
        """Where key `ref` is drawn, or None when it is not shown."""
        for _channel, other, value in self._keyed():
            if other == ref:
                return self.to_screen(other.frame, value)
        return None

    def channel_near(self, point: QtCore.QPointF) -> Channel | None:
        """The curve passing nearest `point` at its frame, within a few pixels."""
        if self.doc is None:
            return None
        frame = self.frames.to_unit(point.x())
        best, best_distance = None, CURVE_HIT_PX
        for channel in self.channels:
            try:
                y = self.values.to_px(channel.value_at(self.doc, frame))
            except NodecompError:
                continue
            if abs(y - point.y()) <= best_distance:
                best, best_distance = channel, abs(y - point.y())
        return best

    # --------------------------------------------------------- navigation
    def fit(self, *, selected: bool = False) -> None:
        """Frame the keys (the selected ones when asked and there are some), or the comp's range."""
        refs = self.selected_keys() if selected else []
        frames, values = [], []
        if refs:
            for _channel, ref, value in self._keyed():
                if ref in self.selection:
                    frames.append(ref.frame)
                    values.append(value)
        else:
            frames = [ref.frame for _c, ref, _v in self._keyed()]
            if not frames and self.doc is not None:
                frames = list(self.doc.frame_range)
            if frames and self.doc is not None:
                values = self._sampled_values(min(frames), max(frames))
        area = self.plot_rect()
        low, high = (min(frames), max(frames)) if frames else (1.0, 100.0)
        pad = max((high - low) * 0.05, 1.0)
        self.frames.fit(low - pad, high + pad, area.left(), area.right())
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (high - low) * 0.1 if high > low else max(abs(low) * 0.5, 0.5)
        self.values.fit(low - pad, high + pad, area.bottom(), area.top())
        self.navigated = False
        self.update()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the curves framed until the user zooms or pans."""
        super().resizeEvent(event)
        if not self.navigated:
            self.fit()

    def _sampled_values(self, first: float, last: float, count: int = 200) -> list[float]:
        values = []
        for channel in self.channels:
            frames = [first + (last - first) * i / (count - 1) for i in range(count)] if last > first else [first]
            for frame in frames:
                try:
                    values.append(channel.value_at(self.doc, frame))
                except NodecompError:
                    break
            curve = channel.curve
            values.extend(k.value for k in (curve.keys if curve is not None else ()))
        return values

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Zoom about the cursor: both axes, Ctrl frames only, Shift values only."""
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta:
            return
        factor = ZOOM_STEP ** (delta / 120)
        modifiers = event.modifiers()
        pos = event.position()
        if not modifiers & QtCore.Qt.KeyboardModifier.ShiftModifier:
            self.frames.zoom(factor, pos.x())
        if not modifiers & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.values.zoom(factor, pos.y())
        self.navigated = True
        self.update()

    # -------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Scrub in the ruler, pan (middle or Alt), pick or add keys, or start a box."""
        pos, button, modifiers = event.position(), event.button(), event.modifiers()
        Mod = QtCore.Qt.KeyboardModifier  # noqa: N806 - a Qt enum alias
        if button == QtCore.Qt.MouseButton.MiddleButton or (
                button == QtCore.Qt.MouseButton.LeftButton and modifiers & Mod.AltModifier):
            self._press = ("pan", pos, None)
            return
        if button != QtCore.Qt.MouseButton.LeftButton:
            return
        if pos.y() < RULER_HEIGHT:
            self._press = ("scrub", pos, None)
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
            return
        ref = self.key_at(pos)
        if ref is not None:
            if modifiers & Mod.ShiftModifier:
                self._set_selection(self.selection ^ {ref})
                return
            if ref not in self.selection:
                self._set_selection({ref})
            self._press = ("key", pos, ref)
            return
        if modifiers & Mod.ControlModifier:
            self.add_key_at(pos)
            return
        if not modifiers & Mod.ShiftModifier:
            self._set_selection(set())
        self._press = ("band", pos, None)
        self._band = QtCore.QRectF(pos, pos)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Drag keys, pan, scrub or grow the box."""
        if self._press is None:
            return
        mode, start, ref = self._press
        pos = event.position()
        if mode == "pan":
            self.frames.pan(pos.x() - start.x())
            self.values.pan(pos.y() - start.y())
            self._press = ("pan", pos, None)
            self.navigated = True
            self.update()
        elif mode == "scrub":
            self.frame_requested.emit(round(self.frames.to_unit(pos.x())))
        elif mode == "band":
            self._band = QtCore.QRectF(start, pos).normalized()
            self.update()
        elif mode == "key":
            self._drag_to(start, pos, ref)

    def _drag_to(self, start: QtCore.QPointF, pos: QtCore.QPointF, ref: KeyRef) -> None:
        if self.drag is None:
            if max(abs(pos.x() - start.x()), abs(pos.y() - start.y())) < DRAG_START_PX or self.doc is None:
                return
            self.drag = KeyDrag(self.doc, self.selected_keys(), "Move keys")
        raw = self.frames.to_unit(pos.x()) - self.frames.to_unit(start.x())
        dframe = round(ref.frame + raw) - ref.frame  # the grabbed key lands on a whole frame
        dvalue = self.values.to_unit(pos.y()) - self.values.to_unit(start.y())
        self.drag.move(dframe, dvalue)
        self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a drag (one undo step) or select the keys in the box."""
        press, self._press = self._press, None
        if press is None:
            return
        if press[0] == "key":
            if self.drag is None:  # a click on a key of a larger selection picks that key alone
                self._set_selection({press[2]})
            self.finish_drag()
        elif press[0] == "band" and self._band is not None:
            band, self._band = self._band, None
            inside = {ref for _c, ref, value in self._keyed() if band.contains(self.to_screen(ref.frame, value))}
            self._set_selection(self.selection | inside)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Add a key on the curve under the cursor."""
        if event.button() == QtCore.Qt.MouseButton.LeftButton and event.position().y() >= RULER_HEIGHT:
            self._band = None
            self._press = None
            if self.key_at(event.position()) is None:
                self.add_key_at(event.position())

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
    def add_key_at(self, pos: QtCore.QPointF) -> KeyRef | None:
        """Key the curve nearest `pos` at the whole frame under it, with the curve's value there."""
        channel = self.channel_near(pos)
        if channel is None or self.doc is None:
            self.message.emit("Double-click or Ctrl+click on a curve to add a key there.")
            return None
        frame = float(round(self.frames.to_unit(pos.x())))
        try:
            ref = add_key(self.doc, channel, frame)
        except NodecompError as exc:
            self.message.emit(str(exc))
            return None
        self._set_selection({ref})
        return ref

    def delete_selected(self) -> None:
        """Remove the selected keys (one undo step)."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self._edit(lambda: delete_keys(self.doc, refs))
            self._set_selection(set())

    def set_interpolation(self, interp: Interp | str) -> None:
        """Interpolate the segments leaving the selected keys with `interp` (one undo step)."""
        refs = self.selected_keys()
        if refs and self.doc is not None and self.drag is None:
            self._edit(lambda: set_interp(self.doc, refs, interp))

    def _edit(self, action) -> None:
        try:
            action()
        except NodecompError as exc:
            self.message.emit(str(exc))

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Delete/Backspace delete keys; F frames the selection (or all), Home all; Esc cancels a drag."""
        key = event.key()
        keys = QtCore.Qt.Key
        if key in (keys.Key_Delete, keys.Key_Backspace):
            self.delete_selected()
        elif key == keys.Key_F:
            self.fit(selected=True)
        elif key == keys.Key_Home:
            self.fit()
        elif key == keys.Key_Escape:
            self.cancel_drag()
        else:
            super().keyPressEvent(event)

    def context_menu(self, pos: QtCore.QPointF) -> QtWidgets.QMenu:
        """The right-click menu at `pos` (a key under it joins the selection)."""
        ref = self.key_at(pos)
        if ref is not None and ref not in self.selection:
            self._set_selection({ref})
        menu = QtWidgets.QMenu(self)
        refs = self.selected_keys()
        current = {self._interp_of(r) for r in refs}
        for interp in Interp:
            action = menu.addAction(interp.value.capitalize(), lambda i=interp: self.set_interpolation(i))
            action.setCheckable(True)
            action.setChecked(current == {interp})
            action.setEnabled(bool(refs))
        menu.addSeparator()
        menu.addAction("Delete Keys", self.delete_selected).setEnabled(bool(refs))
        menu.addAction("Add Key Here", lambda: self.add_key_at(pos)).setEnabled(self.channel_near(pos) is not None)
        menu.addSeparator()
        menu.addAction("Frame Selected (F)", lambda: self.fit(selected=True))
        menu.addAction("Frame All (Home)", self.fit)
        return menu

    def _interp_of(self, ref: KeyRef) -> Interp | None:
        curve = ref.node.params[ref.param].curves.get(ref.component)
        key = curve.key_at(ref.frame) if curve is not None else None
        return key.interp if key is not None else None

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """Interpolation, delete, add and framing."""
        menu = self.context_menu(QtCore.QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------ drawing
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Grid, curves, keys, current frame, ruler and value labels."""
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        area = self.plot_rect()
        painter.setClipRect(area)
        if self.doc is not None:
            draw_frame_grid(painter, self.frames, area, self.doc.frame_range)
        self._draw_value_grid(painter, area)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        for channel in self.channels:
            self._draw_curve(painter, channel, area)
        self._draw_keys(painter)
        draw_playhead(painter, self.frames, self.frame, area.top(), area.bottom())
        if self._band is not None:
            painter.setPen(BAND_LINE)
            painter.fillRect(self._band, BAND_FILL)
            painter.drawRect(self._band)
        painter.setClipping(False)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        draw_frame_ruler(painter, self.frames, area.left(), area.width())
        draw_playhead(painter, self.frames, self.frame, 0, RULER_HEIGHT)
        self._draw_value_labels(painter, area)
        if not self.channels:
            painter.setPen(LABEL_COLOUR)
            painter.drawText(area, QtCore.Qt.AlignmentFlag.AlignCenter,
                             "No animated params on the selected nodes.\nSet a key with ◆ in Properties.")
        painter.end()

    def _draw_value_grid(self, painter: QtGui.QPainter, area: QtCore.QRectF) -> None:
        for value in self.values.ticks(area.bottom(), area.top(), 36):
            y = self.values.to_px(value)
            painter.setPen(ZERO_LINE if value == 0 else GRID_COLOUR)
            painter.drawLine(QtCore.QPointF(area.left(), y), QtCore.QPointF(area.right(), y))

    def _draw_value_labels(self, painter: QtGui.QPainter, area: QtCore.QRectF) -> None:
        painter.fillRect(QtCore.QRectF(0, 0, GUTTER, self.height()), BACKGROUND.darker(115))
        ticks = self.values.ticks(area.bottom(), area.top(), 36)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        painter.setPen(LABEL_COLOUR)
        for value in ticks:
            y = self.values.to_px(value)
            if y < area.top() + 6:
                continue
            painter.drawText(QtCore.QRectF(0, y - 8, GUTTER - 6, 16),
                             QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter,
                             format_number(value, step))

    def _sample_frames(self, channel: Channel, area: QtCore.QRectF) -> list[float]:
        """Pixel columns across the plot plus each key and the instant before it (steps stay sharp)."""
        frames = {self.frames.to_unit(x) for x in range(int(area.left()), int(area.right()) + SAMPLE_PX, SAMPLE_PX)}
        low, high = self.frames.to_unit(area.left()), self.frames.to_unit(area.right())
        curve = channel.curve
        for key in curve.keys if curve is not None else ():
            if low <= key.frame <= high:
                frames.update((key.frame, key.frame - 1e-6))
        return sorted(frames)

    def _draw_curve(self, painter: QtGui.QPainter, channel: Channel, area: QtCore.QRectF) -> None:
        path = QtGui.QPainterPath()
        try:
            for index, frame in enumerate(self._sample_frames(channel, area)):
                point = self.to_screen(frame, channel.value_at(self.doc, frame))
                if index == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
        except NodecompError:
            return  # an expression that fails: the properties panel says why
        pen = QtGui.QPen(self.colours.get(channel.ident, LABEL_COLOUR), 1.6)
        if channel.has_expression:
            pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)

    def _draw_keys(self, painter: QtGui.QPainter) -> None:
        selected = set(self.selected_keys())
        for channel, ref, value in self._keyed():
            centre = self.to_screen(ref.frame, value)
            diamond = QtGui.QPolygonF([centre + QtCore.QPointF(dx, dy) for dx, dy in
                                       ((0, -KEY_RADIUS), (KEY_RADIUS, 0), (0, KEY_RADIUS), (-KEY_RADIUS, 0))])
            is_selected = ref in selected
            painter.setPen(QtGui.QPen(QtGui.QColor(255, 255, 255) if is_selected else QtGui.QColor(20, 20, 20), 1))
            painter.setBrush(SELECTED_KEY if is_selected else self.colours.get(channel.ident, LABEL_COLOUR))
            painter.drawPolygon(diamond)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
