"""The viewer's drawing surface: the frame with zoom and pan, the format and data-window outlines.

Image coordinates follow the engine (x right, y down, origin at the format's top-left). The
canvas keeps the image point under its centre and a zoom (screen pixels per image pixel); the
wheel zooms about the cursor, the middle button (or Alt + left) pans. It converts the viewer's
uint8 pixels to a QImage here, in the UI layer, and never computes pixels itself.

It holds one picture per viewer input (A, B and the A-B difference) and draws them as the
compare layout says: A alone, A and B split by a wipe line (left-drag its centre or the line to
move it, its round handle to turn it, Shift snaps to 15 degrees, double-click the centre to
reset), B beside A with labels, or the difference.

With a region of interest each picture covers only that box; under it the canvas draws that
input's last whole picture (its backdrop), or black when there is none. While `roi_editing` is
on, a left drag draws a new region and `roi_drawn(Box)` reports it in the coordinates of the
picture where the drag began (side by side, a drag over B gives B's own pixels); a drag that
starts on a wipe handle still moves or turns the wipe, but the wipe's line no longer grabs the
mouse, so a region can start anywhere else.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.engine.image import Box
from nodecomp.ui.viewer_compare import DIFFERENCE, A, B, CompareLayout, CompareMode, Wipe
from nodecomp.ui.viewer_image import DisplayFrame

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 1 / 64, 64.0
FIT_MARGIN = 0.92
BACKGROUND = QtGui.QColor(38, 38, 38)
FORMAT_PEN = QtGui.QColor(150, 150, 150)
DATA_PEN = QtGui.QColor(220, 190, 90)
WIPE_PEN = QtGui.QColor(240, 240, 240)
LABEL_BACK = QtGui.QColor(0, 0, 0, 150)
HANDLE_RADIUS = 6.0
TURN_HANDLE_DISTANCE = 70.0  # screen pixels from the centre handle to the rotation handle
GRAB_DISTANCE = 8.0  # how near (screen pixels) a press must be to grab a handle or the line
SNAP_DEGREES = 15.0
ROI_PEN = QtGui.QColor(90, 200, 240)
MIN_ROI = 4  # screen pixels; a smaller drag is taken for a click and draws nothing


def to_qimage(rgba: np.ndarray) -> QtGui.QImage:
    """A QImage over (h, w, 4) uint8 pixels; the array must outlive the image (keep a reference)."""
    height, width = rgba.shape[:2]
    data = np.ascontiguousarray(rgba)
    return QtGui.QImage(data.data, width, height, data.strides[0], QtGui.QImage.Format.Format_RGBA8888)


class ImageCanvas(QtWidgets.QWidget):
    """Paints the viewer's pictures and reports what the mouse does there.

    Signals: `zoom_changed(zoom)`, `probe(x, y)` in view pixels, `wipe_changed(Wipe)`, `roi_drawn(Box)`.

    `probe` gives the point in the layout's coordinates (B's pixels are shifted side by side);
    `layout().locate()` says which picture it is over.
    """

    zoom_changed = QtCore.Signal(float)
    probe = QtCore.Signal(int, int)
    probe_left = QtCore.Signal()
    wipe_changed = QtCore.Signal(object)
    roi_drawn = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 120)
        self.frames: dict[str, DisplayFrame] = {}
        self._qimages: dict[str, QtGui.QImage] = {}
        self._pixels: dict[str, np.ndarray] = {}
        self._formats: dict[str, Box] = {}
        self.mode = CompareMode.OFF
        self.wipe = Wipe()
        self.labels: dict[str, str] = {A: "A", B: "B"}
        self.zoom = 1.0
        self.center = (0.0, 0.0)
        self.message = ""
        self.overlay = ""
        self._drag: QtCore.QPointF | None = None
        self._wipe_drag: tuple[str, float, float] | None = None  # ("move", dx, dy) or ("turn", 0, 0)
        self._fitted = False
        self._user_moved = False
        self.backdrops: dict[str, DisplayFrame] = {}
        self._backdrop_qimages: dict[str, QtGui.QImage] = {}
        self._backdrop_pixels: dict[str, np.ndarray] = {}
        self.roi: Box | None = None
        self.roi_editing = False
        self._roi_start: tuple[float, float] | None = None  # a drag in progress, in layout coordinates
        self._roi_end: tuple[float, float] = (0.0, 0.0)

    # ------------------------------------------------------------- content
    @property
    def frame(self) -> DisplayFrame | None:
        """The A input's picture."""
        return self.frames.get(A)

    @property
    def backdrop(self) -> DisplayFrame | None:
        """The whole picture drawn under A's region of interest."""
        return self.backdrops.get(A)

    @property
    def format_box(self) -> Box | None:
        """A's format (the last one shown, kept while there is no picture)."""
        return self._formats.get(A)

    def set_frame(self, frame: DisplayFrame | None, slot: str = A) -> None:
        """Show `frame` as `slot` (None clears that picture but keeps the outlines)."""
        before = self._bounds()
        if frame is not None and frame.rgba.size:
            self.frames[slot] = frame
            self._pixels[slot] = np.ascontiguousarray(frame.rgba)
            self._qimages[slot] = to_qimage(self._pixels[slot])
            self._formats[slot] = frame.display_window
        else:
            for store in (self.frames, self._pixels, self._qimages):
                store.pop(slot, None)
        if slot != DIFFERENCE and (not self._fitted or (not self._user_moved and self._bounds() != before)):
            self.fit()
        self.update()

    def set_backdrop(self, frame: DisplayFrame | None, slot: str = A) -> None:
        """The whole picture drawn under `slot`'s region-of-interest picture (None: black under it)."""
        if frame is self.backdrops.get(slot):
            return
        if frame is not None and frame.rgba.size:
            self.backdrops[slot] = frame
            self._backdrop_pixels[slot] = np.ascontiguousarray(frame.rgba)
            self._backdrop_qimages[slot] = to_qimage(self._backdrop_pixels[slot])
        else:
            for store in (self.backdrops, self._backdrop_pixels, self._backdrop_qimages):
                store.pop(slot, None)
        self.update()

    def set_roi(self, box: Box | None, editing: bool) -> None:
        """The region of interest to outline (full-resolution pixels), and whether a left drag draws a new one."""
        self.roi = box
        self.roi_editing = editing
        self._roi_start = None
        self.update()

    def set_compare(self, mode: CompareMode) -> None:
        """Draw the inputs as `mode` says; entering or leaving side by side frames the new layout."""
        if mode is self.mode:
            return
        reframe = CompareMode.SIDE_BY_SIDE in (mode, self.mode)
        self.mode = mode
        if reframe and self._fitted:
            self.fit()
        self.update()

    def set_wipe(self, wipe: Wipe) -> None:
        """Move or turn the wipe line."""
        if wipe != self.wipe:
            self.wipe = wipe
            self.update()
            self.wipe_changed.emit(wipe)

    def set_labels(self, a: str, b: str) -> None:
        """Texts naming the A and B pictures (wipe and side by side)."""
        self.labels = {A: a, B: b}
        self.update()

    def set_message(self, text: str) -> None:
        """A line drawn over the picture (an error, or what to do next)."""
        self.message = text
        self.update()

    def layout(self) -> CompareLayout | None:
        """Where the pictures sit now (None before anything was shown)."""
        box_a = self._formats.get(A) or self._formats.get(B)
        if box_a is None:
            return None
        return CompareLayout(self.mode, box_a, self._formats.get(B, box_a), self.wipe)

    def _bounds(self) -> Box | None:
        layout = self.layout()
        return layout.bounds() if layout is not None else None

    # ---------------------------------------------------------- navigation
    def to_widget(self, x: float, y: float) -> QtCore.QPointF:
        """Widget position of image point (x, y)."""
        return QtCore.QPointF((x - self.center[0]) * self.zoom + self.width() / 2,
                              (y - self.center[1]) * self.zoom + self.height() / 2)

    def to_image(self, point: QtCore.QPointF) -> tuple[float, float]:
        """Image point under widget position `point`."""
        return ((point.x() - self.width() / 2) / self.zoom + self.center[0],
                (point.y() - self.height() / 2) / self.zoom + self.center[1])

    def set_zoom(self, zoom: float, anchor: QtCore.QPointF | None = None) -> None:
        """Zoom, keeping the image point under `anchor` (default: the centre) in place."""
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        if anchor is not None:
            before = self.to_image(anchor)
            self.zoom = zoom
            after = self.to_image(anchor)
            self.center = (self.center[0] + before[0] - after[0], self.center[1] + before[1] - after[1])
        else:
            self.zoom = zoom
        self.update()
        self.zoom_changed.emit(self.zoom)

    def fit(self) -> None:
        """Zoom so the whole layout (A's format, and B's beside it side by side) fits, centred."""
        box = self._bounds()
        if box is None or box.is_empty:
            return
        self._fitted = True
        self._user_moved = False
        self.center = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        self.set_zoom(FIT_MARGIN * min(self.width() / box.width, self.height() / box.height))

    def one_to_one(self) -> None:
        """One image pixel per screen pixel."""
        self._user_moved = True
        self.set_zoom(1.0)

    def display_scale(self) -> float:
        """The pixel scale worth computing for this zoom: 1, 1/2, 1/4... the nearest at or below 1.25 x zoom.

        Powers of two keep reductions cheap (OpenCV halves an image in a few milliseconds) and
        keep the display work in step with the widget, not the plate; the painter scales the
        rest (at most 1.25x up, never more than 2x down).
        """
        wanted = self.zoom * self.devicePixelRatioF() * 1.25
        if wanted >= 1.0:
            return 1.0
        return 2.0 ** math.floor(math.log2(wanted))

    # ---------------------------------------------------------------- wipe
    def wipe_handles(self) -> tuple[QtCore.QPointF, QtCore.QPointF] | None:
        """Widget positions of the wipe's centre and rotation handles (None unless wiping)."""
        layout = self.layout()
        if layout is None or self.mode is not CompareMode.WIPE:
            return None
        centre = self.to_widget(*self.wipe.centre(layout.box_a))
        dx, dy = self.wipe.direction()
        return centre, QtCore.QPointF(centre.x() - dx * TURN_HANDLE_DISTANCE, centre.y() - dy * TURN_HANDLE_DISTANCE)

    def _wipe_hit(self, pos: QtCore.QPointF) -> str | None:
        """"turn", "move" (the centre handle, or the line unless a region is being drawn) or None at `pos`."""
        handles = self.wipe_handles()
        if handles is None:
            return None
        centre, turn = handles
        if _distance(pos, turn) <= GRAB_DISTANCE:
            return "turn"
        if _distance(pos, centre) <= GRAB_DISTANCE:
            return "move"
        nx, ny = self.wipe.normal()
        on_line = abs((pos.x() - centre.x()) * nx + (pos.y() - centre.y()) * ny) <= GRAB_DISTANCE / 2
        return "move" if on_line and not self.roi_editing else None

    def _half_plane(self, slot: str) -> QtGui.QPainterPath:
        """The part of the widget where the wipe shows `slot` (A: before the line, B: after it)."""
        centre, _turn = self.wipe_handles()
        nx, ny = self.wipe.normal()
        dx, dy = self.wipe.direction()
        reach = 4.0 * (self.width() + self.height()) + abs(centre.x()) + abs(centre.y())
        sign = -1.0 if slot == A else 1.0
        cx, cy = centre.x(), centre.y()
        corners = [
            (cx + dx * reach, cy + dy * reach), (cx - dx * reach, cy - dy * reach),
            (cx - dx * reach + sign * nx * reach, cy - dy * reach + sign * ny * reach),
            (cx + dx * reach + sign * nx * reach, cy + dy * reach + sign * ny * reach),
        ]
        path = QtGui.QPainterPath()
        path.addPolygon(QtGui.QPolygonF([QtCore.QPointF(x, y) for x, y in corners]))
        return path

    # -------------------------------------------------------------- events
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Background, pictures, outlines, the wipe line and labels, then messages."""
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        layout = self.layout()
        if layout is not None:
            for slot in layout.slots():
                self._paint_picture(painter, layout, slot)
            self._paint_formats(painter, layout)
            self._paint_roi(painter, layout)
            if self.mode is CompareMode.WIPE:
                self._paint_wipe(painter)
            for text, box in self.label_boxes():
                painter.fillRect(box, LABEL_BACK)
                painter.setPen(QtGui.QColor(235, 235, 235))
                painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
        painter.setPen(QtGui.QColor(230, 230, 230))
        if self.overlay:
            painter.drawText(self.rect().adjusted(8, 6, -8, -6),
                             QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignRight, self.overlay)
        if self.message:
            box = self.rect().adjusted(12, 12, -12, -12)
            painter.setPen(QtGui.QColor(255, 140, 140))
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap, self.message)
        painter.end()

    def _paint_picture(self, painter: QtGui.QPainter, layout: CompareLayout, slot: str) -> None:
        """`slot`'s picture at its place, over its backdrop while a region of interest is on."""
        frame, qimage = self.frames.get(slot), self._qimages.get(slot)
        under = self.roi_editing and self.roi is not None and slot in self._formats and (
            frame is not None or slot in self.backdrops)
        if (frame is None or qimage is None) and not under:
            return
        ox, oy = layout.offset(slot)
        painter.save()
        if self.mode is CompareMode.WIPE:
            painter.setClipPath(self._half_plane(slot))
        if under:
            self._paint_backdrop(painter, slot, ox, oy)
        if frame is not None and qimage is not None:
            dw = frame.data_window
            target = QtCore.QRectF(self.to_widget(dw.x0 + ox, dw.y0 + oy), self.to_widget(dw.x1 + ox, dw.y1 + oy))
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, self.zoom < frame.scale)
            painter.drawImage(target, qimage)
            if dw != frame.display_window:
                painter.setPen(QtGui.QPen(DATA_PEN, 1, QtCore.Qt.PenStyle.DashLine))
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                painter.drawRect(target)
        painter.restore()

    def _paint_backdrop(self, painter: QtGui.QPainter, slot: str, ox: int, oy: int) -> None:
        """Under a region of interest: `slot`'s last whole picture, or black over its format."""
        box = self._formats[slot]
        painter.fillRect(QtCore.QRectF(self.to_widget(box.x0 + ox, box.y0 + oy),
                                       self.to_widget(box.x1 + ox, box.y1 + oy)), QtGui.QColor(0, 0, 0))
        backdrop, qimage = self.backdrops.get(slot), self._backdrop_qimages.get(slot)
        if backdrop is not None and qimage is not None:
            dw = backdrop.data_window
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, self.zoom < backdrop.scale)
            painter.drawImage(QtCore.QRectF(self.to_widget(dw.x0 + ox, dw.y0 + oy),
                                            self.to_widget(dw.x1 + ox, dw.y1 + oy)), qimage)

    def _paint_roi(self, painter: QtGui.QPainter, layout: CompareLayout) -> None:
        """The region of interest's outline over each picture (one dashed box while a new one is dragged)."""
        if not self.roi_editing:
            return
        painter.save()
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        if self._roi_start is not None:
            box = self._dragged_roi()
            painter.setPen(QtGui.QPen(ROI_PEN, 1, QtCore.Qt.PenStyle.DashLine))
            painter.drawRect(QtCore.QRectF(self.to_widget(box.x0, box.y0), self.to_widget(box.x1, box.y1)))
        elif self.roi is not None:
            box = self.roi
            painter.setPen(QtGui.QPen(ROI_PEN, 1))
            for slot in (A, B) if self.mode is CompareMode.SIDE_BY_SIDE else (A,):
                ox, oy = layout.offset(slot)
                corner = self.to_widget(box.x0 + ox, box.y0 + oy)
                painter.drawRect(QtCore.QRectF(corner, self.to_widget(box.x1 + ox, box.y1 + oy)))
                painter.drawText(QtCore.QPointF(corner.x() + 3, corner.y() - 4), "ROI")
        painter.restore()

    def _dragged_roi(self) -> Box:
        """The box between the drag's start and the cursor, in whole pixels of the layout."""
        (x0, y0), (x1, y1) = self._roi_start, self._roi_end
        return Box(math.floor(min(x0, x1)), math.floor(min(y0, y1)), math.ceil(max(x0, x1)), math.ceil(max(y0, y1)))

    def _paint_formats(self, painter: QtGui.QPainter, layout: CompareLayout) -> None:
        side_by_side = self.mode is CompareMode.SIDE_BY_SIDE
        for slot in (A, B) if side_by_side else (A,):
            box = layout.box_a if slot == A else layout.box_b
            ox, oy = layout.offset(slot)
            top_left, corner = self.to_widget(box.x0 + ox, box.y0 + oy), self.to_widget(box.x1 + ox, box.y1 + oy)
            painter.setPen(QtGui.QPen(FORMAT_PEN, 1))
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            painter.drawRect(QtCore.QRectF(top_left, corner))
            painter.drawText(QtCore.QPointF(corner.x() - 90, corner.y() + 14), f"{box.width}x{box.height}")

    def label_boxes(self) -> list[tuple[str, QtCore.QRectF]]:
        """The A and B labels and where they go: over each format side by side, beside the wipe's centre."""
        layout = self.layout()
        Align = QtCore.Qt.AlignmentFlag  # noqa: N806 - a Qt enum
        places: list[tuple[str, QtCore.QPointF, QtCore.Qt.AlignmentFlag]] = []
        if layout is not None and self.mode is CompareMode.SIDE_BY_SIDE:
            for slot, box in ((A, layout.box_a), (B, layout.box_b)):
                ox, oy = layout.offset(slot)
                top_left = self.to_widget(box.x0 + ox, box.y0 + oy)
                places.append((self.labels[slot], QtCore.QPointF(top_left.x(), top_left.y() - 4),
                               Align.AlignLeft | Align.AlignBottom))
        elif layout is not None and self.mode is CompareMode.WIPE:
            centre, _turn = self.wipe_handles()
            dx, dy = self.wipe.direction()
            nx, ny = self.wipe.normal()
            below = QtCore.QPointF(centre.x() + dx * 30, centre.y() + dy * 30)
            for slot, sign in ((A, -1.0), (B, 1.0)):
                across = sign * nx
                horizontal = (Align.AlignRight if across < -0.3 else
                              Align.AlignLeft if across > 0.3 else Align.AlignHCenter)
                places.append((self.labels[slot], QtCore.QPointF(below.x() + across * 14, below.y() + sign * ny * 14),
                               horizontal | Align.AlignVCenter))
        metrics = QtGui.QFontMetricsF(self.font())
        boxes = []
        for text, anchor, align in places:
            width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
            x = anchor.x() - (width if align & Align.AlignRight else 0 if align & Align.AlignLeft else width / 2)
            y = anchor.y() - (height if align & Align.AlignBottom else 0 if align & Align.AlignTop else height / 2)
            boxes.append((text, QtCore.QRectF(x, y, width, height)))
        return boxes

    def _paint_wipe(self, painter: QtGui.QPainter) -> None:
        centre, turn = self.wipe_handles()
        dx, dy = self.wipe.direction()
        reach = 2.0 * (self.width() + self.height())
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtGui.QPen(WIPE_PEN, 1))
        painter.drawLine(QtCore.QPointF(centre.x() - dx * reach, centre.y() - dy * reach),
                         QtCore.QPointF(centre.x() + dx * reach, centre.y() + dy * reach))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, HANDLE_RADIUS, HANDLE_RADIUS)
        painter.setBrush(WIPE_PEN)
        painter.drawEllipse(turn, HANDLE_RADIUS - 2, HANDLE_RADIUS - 2)
        painter.restore()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the picture fitted until the user zooms or pans."""
        super().resizeEvent(event)
        if self._fitted and self.format_box is not None and not self._user_moved:
            self.fit()

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Zoom about the cursor."""
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._user_moved = True
            self.set_zoom(self.zoom * ZOOM_STEP ** steps, event.position())

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Middle or Alt + left pans; left on the wipe drags it, elsewhere draws a region while editing one."""
        alt = event.modifiers() & QtCore.Qt.KeyboardModifier.AltModifier
        left = event.button() == QtCore.Qt.MouseButton.LeftButton
        if event.button() == QtCore.Qt.MouseButton.MiddleButton or (left and alt):
            self._drag = event.position()
            self._user_moved = True
        elif left and (hit := self._wipe_hit(event.position())) is not None:
            x, y = self.to_image(event.position())
            cx, cy = self.wipe.centre(self.layout().box_a)
            self._wipe_drag = (hit, cx - x, cy - y)
        elif left and self.roi_editing and self.layout() is not None:
            self._roi_start = self._roi_end = self.to_image(event.position())
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A double-click on the wipe's centre handle puts the wipe back (middle, vertical)."""
        handles = self.wipe_handles()
        if handles is not None and _distance(event.position(), handles[0]) <= GRAB_DISTANCE:
            self._wipe_drag = None
            self.set_wipe(Wipe())
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Pan or drag the wipe; report the pixel under the cursor."""
        pos = event.position()
        if self._drag is not None:
            delta = pos - self._drag
            self._drag = pos
            self.center = (self.center[0] - delta.x() / self.zoom, self.center[1] - delta.y() / self.zoom)
            self.update()
        elif self._wipe_drag is not None:
            self._drag_wipe(pos, bool(event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier))
        elif self._roi_start is not None:
            self._roi_end = self.to_image(pos)
            self.update()
        else:
            hit = self._wipe_hit(pos)
            if hit == "turn":
                self.setCursor(QtCore.Qt.CursorShape.CrossCursor)
            elif hit == "move":
                self.setCursor(QtCore.Qt.CursorShape.SizeAllCursor)
            else:
                self.unsetCursor()
        x, y = self.to_image(pos)
        self.probe.emit(math.floor(x), math.floor(y))
        super().mouseMoveEvent(event)

    def _drag_wipe(self, pos: QtCore.QPointF, snap: bool) -> None:
        kind, off_x, off_y = self._wipe_drag
        box = self.layout().box_a
        if kind == "move":
            x, y = self.to_image(pos)
            self.set_wipe(self.wipe.moved_to(x + off_x, y + off_y, box))
        else:
            centre = self.to_widget(*self.wipe.centre(box))
            self.set_wipe(self.wipe.turned_towards(pos.x() - centre.x(), pos.y() - centre.y(),
                                                   SNAP_DEGREES if snap else 0.0))

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a pan or a wipe drag, or report the region of interest just drawn."""
        self._drag = None
        self._wipe_drag = None
        if self._roi_start is not None:
            self._roi_end = self.to_image(event.position())
            box, start, end = self._dragged_roi(), self._roi_start, self._roi_end
            self._roi_start = None
            self.update()
            layout = self.layout()
            dragged = min(abs(end[0] - start[0]), abs(end[1] - start[1])) * self.zoom  # screen pixels
            if layout is not None and dragged >= MIN_ROI:
                slot, _x, _y = layout.locate(*start)
                dx, dy = layout.offset(slot)
                self.roi_drawn.emit(Box(box.x0 - dx, box.y0 - dy, box.x1 - dx, box.y1 - dy))
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt override
        """The probe has nothing to show outside the canvas."""
        self.probe_left.emit()
        super().leaveEvent(event)


def _distance(p: QtCore.QPointF, q: QtCore.QPointF) -> float:
    return math.hypot(p.x() - q.x(), p.y() - q.y())
