"""The curve editor's drawing surface: curves against frame and value axes, and the keys on them.

Curves are sampled through `Document.param_value`, the evaluation a render uses, so integer
params show their steps and an expression shows what it computes. Selection, drags (here in
frame, snapped to whole frames, and value), Delete and interpolation come from `KeyCanvas`;
this class adds the value axis, double-click or Ctrl+click on a curve to add a key, framing
the selected keys, and tangent handles on selected keys next to a cubic segment (a drag sets
both slopes, with Ctrl only the grabbed one; one undo step, Esc cancels).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
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
from nodecomp.ui.key_canvas import DRAG_START_PX, KeyCanvas, draw_key
from nodecomp.ui.key_edits import Channel, KeyRef, SlopeDrag, add_key, cubic_sides, key_slopes

GUTTER = 56  # the value labels on the left
HIT_PX = 7  # how near a click must be to a key
CURVE_HIT_PX = 10  # how near a double-click must be to a curve to add a key there
SAMPLE_PX = 2  # one curve sample every this many pixels
ZOOM_STEP = 1.25
KEY_RADIUS = 4.5
HANDLE_PX = 60  # length of a drawn tangent handle
HANDLE_RADIUS = 3.5
HANDLE_COLOUR = QtGui.QColor(225, 225, 225)
ZERO_LINE = QtGui.QColor(80, 80, 80)
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


class CurveCanvas(KeyCanvas):
    """Draws `channels` and edits their keys through the document (see `KeyCanvas` for the mouse)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(200, 120)
        self.channels: list[Channel] = []
        self.colours: dict[tuple, QtGui.QColor] = {}
        self.values = AxisMap(1.0, -100.0)
        self.slope_drag: SlopeDrag | None = None
        self._handle_press: tuple[KeyRef, str, QtCore.QPointF] | None = None

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
        self.select({r for r in self.selection if (r.node, r.param, r.component) in shown})

    # ----------------------------------------------------------- geometry
    def plot_rect(self) -> QtCore.QRectF:
        """The area curves are drawn in (right of the value labels, below the frame ruler)."""
        return QtCore.QRectF(GUTTER, RULER_HEIGHT, max(1, self.width() - GUTTER), max(1, self.height() - RULER_HEIGHT))

    def to_screen(self, frame: float, value: float) -> QtCore.QPointF:
        """Widget position of (frame, value)."""
        return QtCore.QPointF(self.frames.to_px(frame), self.values.to_px(value))

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

    def pick(self, pos: QtCore.QPointF) -> set[KeyRef]:
        """The key under `pos`, if any."""
        ref = self.key_at(pos)
        return {ref} if ref is not None else set()

    def keys_in(self, band: QtCore.QRectF) -> set[KeyRef]:
        """Keys drawn inside `band`."""
        return {ref for _c, ref, value in self._keyed() if band.contains(self.to_screen(ref.frame, value))}

    def key_position(self, ref: KeyRef) -> QtCore.QPointF | None:
        """Where key `ref` is drawn, or None when it is not shown."""
        for _channel, other, value in self._keyed():
            if other == ref:
                return self.to_screen(other.frame, value)
        return None

    # ------------------------------------------------------------ tangents
    def handles(self) -> list[tuple[KeyRef, str, QtCore.QPointF, QtCore.QPointF]]:
        """(key, side, key point, handle end) for each tangent handle of the selected keys."""
        found = []
        if self.drag is not None:
            return found
        shown = {(c.node, c.param, c.component) for c in self.channels}
        for ref in self.selected_keys():
            if ref.component is None or ref[:3] not in shown:
                continue
            sides = cubic_sides(ref)
            if not sides:
                continue
            curve = next(c.curve for c in self.channels if (c.node, c.param, c.component) == ref[:3])
            centre = self.to_screen(ref.frame, curve.key_at(ref.frame).value)
            slopes = dict(zip(("in", "out"), key_slopes(ref), strict=True))
            for side in sides:
                dx, dy = self.frames.scale, self.values.scale * slopes[side]  # one frame along the tangent
                length = math.hypot(dx, dy) or 1.0
                sign = -1.0 if side == "in" else 1.0
                end = centre + QtCore.QPointF(sign * dx / length * HANDLE_PX, sign * dy / length * HANDLE_PX)
                found.append((ref, side, centre, end))
        return found

    def handle_at(self, point: QtCore.QPointF) -> tuple[KeyRef, str] | None:
        """The tangent handle whose end is under `point`, as (key, side)."""
        for ref, side, _centre, end in self.handles():
            if math.hypot(end.x() - point.x(), end.y() - point.y()) <= HIT_PX:
                return ref, side
        return None

    def slope_towards(self, ref: KeyRef, side: str, point: QtCore.QPointF) -> float:
        """The slope (value per frame) of a handle of `ref` pulled to `point`; it never turns back."""
        key = next(c.curve for c in self.channels if (c.node, c.param, c.component) == ref[:3]).key_at(ref.frame)
        dframe = self.frames.to_unit(point.x()) - key.frame
        least = 1.0 / abs(self.frames.scale)  # one pixel on the handle's own side of the key
        dframe = max(dframe, least) if side == "out" else min(dframe, -least)
        return (self.values.to_unit(point.y()) - key.value) / dframe

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A left press on a tangent handle grabs it; anything else as `KeyCanvas`."""
        pos = event.position()
        if event.button() == QtCore.Qt.MouseButton.LeftButton and pos.y() >= RULER_HEIGHT \
                and not event.modifiers() & QtCore.Qt.KeyboardModifier.AltModifier:
            hit = self.handle_at(pos)
            if hit is not None:
                self._handle_press = (*hit, pos)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Drag a grabbed handle (Ctrl: only its side); anything else as `KeyCanvas`."""
        if self._handle_press is None:
            super().mouseMoveEvent(event)
            return
        ref, side, start = self._handle_press
        pos = event.position()
        if self.slope_drag is None:
            if max(abs(pos.x() - start.x()), abs(pos.y() - start.y())) < DRAG_START_PX or self.doc is None:
                return
            self.slope_drag = SlopeDrag(self.doc, ref, side)
        broken = bool(event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier)
        self.slope_drag.set(self.slope_towards(ref, side, pos), broken=broken)
        self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a handle drag (one undo step); anything else as `KeyCanvas`."""
        if self._handle_press is None:
            super().mouseReleaseEvent(event)
            return
        self._handle_press = None
        drag, self.slope_drag = self.slope_drag, None
        if drag is not None:
            drag.finish()
        self.update()

    def cancel_drag(self) -> None:
        """Put dragged keys or a dragged tangent back, leaving no undo step."""
        self._handle_press = None
        drag, self.slope_drag = self.slope_drag, None
        if drag is not None:
            drag.cancel()
            self.update()
        super().cancel_drag()

    def finish_drag(self) -> None:
        """Close a key or tangent drag in progress (its undo step)."""
        self._handle_press = None
        drag, self.slope_drag = self.slope_drag, None
        if drag is not None:
            drag.finish()
        super().finish_drag()

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
        frames, values = [], []
        if selected and self.selection:
            for _channel, ref, value in self._keyed():
                if ref in self.selection:
                    frames.append(ref.frame)
                    values.append(value)
        if not frames:
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

    def frame_selection(self) -> None:
        """Frame the selected keys (all curves when none are selected)."""
        self.fit(selected=True)

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

    def pan_by(self, dx: float, dy: float) -> None:
        """Slide frames and values."""
        self.frames.pan(dx)
        self.values.pan(dy)

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

    # -------------------------------------------------------------- edits
    def drag_delta(self, start: QtCore.QPointF, pos: QtCore.QPointF, frame: float) -> tuple[float, float]:
        """Whole frames for the grabbed key, and the value moved with the mouse."""
        dframe, _ = super().drag_delta(start, pos, frame)
        return dframe, self.values.to_unit(pos.y()) - self.values.to_unit(start.y())

    def press_empty(self, pos: QtCore.QPointF, modifiers: QtCore.Qt.KeyboardModifier) -> bool:
        """Ctrl+click adds a key on the curve there."""
        if modifiers & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.add_key_at(pos)
            return True
        return False

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Add a key on the curve under the cursor."""
        if event.button() == QtCore.Qt.MouseButton.LeftButton and event.position().y() >= RULER_HEIGHT:
            self._band = None
            self._press = None
            if self.key_at(event.position()) is None and self.handle_at(event.position()) is None:
                self.add_key_at(event.position())

    def add_key_at(self, pos: QtCore.QPointF) -> KeyRef | None:
        """Key the curve nearest `pos` at the whole frame under it, with the curve's value there."""
        channel = self.channel_near(pos)
        if channel is None or self.doc is None:
            self.message.emit("Double-click or Ctrl+click on a curve to add a key there.")
            return None
        ref = self.edit(lambda: add_key(self.doc, channel, float(round(self.frames.to_unit(pos.x())))))
        if ref is not None:
            self.select({ref})
        return ref

    def context_menu(self, pos: QtCore.QPointF) -> QtWidgets.QMenu:
        """Interpolation and delete, adding a key, framing."""
        menu = super().context_menu(pos)
        menu.addAction("Add Key Here", lambda: self.add_key_at(pos)).setEnabled(self.channel_near(pos) is not None)
        menu.addSeparator()
        menu.addAction("Frame Selected (F)", self.frame_selection)
        menu.addAction("Frame All (Home)", self.fit)
        return menu

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
        samples: dict[tuple[Node, str], list | None] = {}
        for channel in self.channels:
            key = (channel.node, channel.param)
            if key not in samples:
                samples[key] = self._param_samples(channel.node, channel.param, area)
            if samples[key] is not None:
                self._draw_curve(painter, channel, samples[key])
        self._draw_keys(painter)
        draw_playhead(painter, self.frames, self.frame, area.top(), area.bottom())
        self.draw_band(painter)
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

    def _param_samples(self, node: Node, param: str, area: QtCore.QRectF) -> list[tuple[float, Any]] | None:
        """(frame, value) across the plot for one param, all components at once; None when it fails.

        Frames are the pixel columns plus each key and the instant before it, so steps stay sharp.
        """
        frames = {self.frames.to_unit(x) for x in range(int(area.left()), int(area.right()) + SAMPLE_PX, SAMPLE_PX)}
        low, high = self.frames.to_unit(area.left()), self.frames.to_unit(area.right())
        for curve in node.document.param_state(node, param).curves.values():
            frames.update(f for k in curve.keys if low <= k.frame <= high for f in (k.frame, k.frame - 1e-6))
        try:
            return [(frame, self.doc.param_value(node, param, frame)) for frame in sorted(frames)]
        except NodecompError:
            return None  # an expression that fails: the properties panel says why

    def _draw_curve(self, painter: QtGui.QPainter, channel: Channel, samples: list[tuple[float, Any]]) -> None:
        path = QtGui.QPainterPath()
        for index, (frame, value) in enumerate(samples):
            number = value[channel.component] if isinstance(value, tuple) else value
            point = self.to_screen(frame, float(number))
            if index == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        pen = QtGui.QPen(self.colours.get(channel.ident, LABEL_COLOUR), 1.6)
        if channel.has_expression:
            pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)

    def _draw_keys(self, painter: QtGui.QPainter) -> None:
        painter.setBrush(HANDLE_COLOUR)
        for _ref, _side, centre, end in self.handles():
            painter.setPen(QtGui.QPen(HANDLE_COLOUR, 1))
            painter.drawLine(centre, end)
            painter.setPen(QtGui.QPen(QtGui.QColor(20, 20, 20), 1))
            painter.drawEllipse(end, HANDLE_RADIUS, HANDLE_RADIUS)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        selected = set(self.selected_keys())
        for channel, ref, value in self._keyed():
            draw_key(painter, self.to_screen(ref.frame, value), KEY_RADIUS,
                     self.colours.get(channel.ident, LABEL_COLOUR), ref in selected)
