"""The viewer's drawing surface: the frame with zoom and pan, the format and data-window outlines.

Image coordinates follow the engine (x right, y down, origin at the format's top-left). The
canvas keeps the image point under its centre and a zoom (screen pixels per image pixel); the
wheel zooms about the cursor, the middle button (or Alt + left) pans. It converts the viewer's
uint8 pixels to a QImage here, in the UI layer, and never computes pixels itself.

With a region of interest the frame covers only that box; the last whole picture (the
backdrop) is drawn under it, or black when there is none. While `roi_editing` is on, a left
drag draws a new region and `roi_drawn(Box)` reports it in image pixels.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.engine.image import Box
from nodecomp.ui.viewer_image import DisplayFrame

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 1 / 64, 64.0
FIT_MARGIN = 0.92
BACKGROUND = QtGui.QColor(38, 38, 38)
FORMAT_PEN = QtGui.QColor(150, 150, 150)
DATA_PEN = QtGui.QColor(220, 190, 90)
ROI_PEN = QtGui.QColor(90, 200, 240)
MIN_ROI = 4  # pixels; a smaller drag is taken for a click and draws nothing


def to_qimage(rgba: np.ndarray) -> QtGui.QImage:
    """A QImage over (h, w, 4) uint8 pixels; the array must outlive the image (keep a reference)."""
    height, width = rgba.shape[:2]
    data = np.ascontiguousarray(rgba)
    return QtGui.QImage(data.data, width, height, data.strides[0], QtGui.QImage.Format.Format_RGBA8888)


class ImageCanvas(QtWidgets.QWidget):
    """Paints a DisplayFrame; emits `zoom_changed(zoom)` and `probe(x, y)` in image pixels."""

    zoom_changed = QtCore.Signal(float)
    probe = QtCore.Signal(int, int)
    probe_left = QtCore.Signal()
    roi_drawn = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 120)
        self.frame: DisplayFrame | None = None
        self._qimage: QtGui.QImage | None = None
        self._pixels: np.ndarray | None = None
        self.format_box: Box | None = None
        self.zoom = 1.0
        self.center = (0.0, 0.0)
        self.message = ""
        self.overlay = ""
        self._drag: QtCore.QPointF | None = None
        self._fitted = False
        self._user_moved = False
        self.backdrop: DisplayFrame | None = None
        self._backdrop_qimage: QtGui.QImage | None = None
        self._backdrop_pixels: np.ndarray | None = None
        self.roi: Box | None = None
        self.roi_editing = False
        self._roi_start: tuple[float, float] | None = None
        self._roi_end: tuple[float, float] = (0.0, 0.0)

    # ------------------------------------------------------------- content
    def set_frame(self, frame: DisplayFrame | None) -> None:
        """Show `frame` (None clears the picture but keeps the outlines)."""
        self.frame = frame
        if frame is not None and frame.rgba.size:
            self._pixels = np.ascontiguousarray(frame.rgba)
            self._qimage = to_qimage(self._pixels)
            self.format_box = frame.display_window
            if not self._fitted:
                self.fit()
        else:
            self._pixels = self._qimage = None
        self.update()

    def set_backdrop(self, frame: DisplayFrame | None) -> None:
        """The whole picture drawn under a region-of-interest frame (None: black under it)."""
        if frame is self.backdrop:
            return
        self.backdrop = frame
        if frame is not None and frame.rgba.size:
            self._backdrop_pixels = np.ascontiguousarray(frame.rgba)
            self._backdrop_qimage = to_qimage(self._backdrop_pixels)
        else:
            self._backdrop_pixels = self._backdrop_qimage = None
        self.update()

    def set_roi(self, box: Box | None, editing: bool) -> None:
        """The region of interest to outline, and whether a left drag draws a new one."""
        self.roi = box
        self.roi_editing = editing
        self._roi_start = None
        self.update()

    def set_message(self, text: str) -> None:
        """A line drawn over the picture (an error, or what to do next)."""
        self.message = text
        self.update()

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
        """Zoom so the whole format fits, centred."""
        box = self.format_box
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

    # -------------------------------------------------------------- events
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Background, picture, outlines, then messages."""
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        frame = self.frame
        if self.roi_editing and self.roi is not None and self.format_box is not None:
            self._paint_backdrop(painter)
        if frame is not None and self._qimage is not None:
            dw = frame.data_window
            target = QtCore.QRectF(self.to_widget(dw.x0, dw.y0), self.to_widget(dw.x1, dw.y1))
            smooth = self.zoom < frame.scale
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, smooth)
            painter.drawImage(target, self._qimage)
            if self.format_box is not None and dw != self.format_box:
                pen = QtGui.QPen(DATA_PEN, 1, QtCore.Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawRect(target)
        if self.format_box is not None:
            box = self.format_box
            painter.setPen(QtGui.QPen(FORMAT_PEN, 1))
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            painter.drawRect(QtCore.QRectF(self.to_widget(box.x0, box.y0), self.to_widget(box.x1, box.y1)))
            corner = self.to_widget(box.x1, box.y1)
            painter.drawText(QtCore.QPointF(corner.x() - 90, corner.y() + 14), f"{box.width}x{box.height}")
        self._paint_roi(painter)
        painter.setPen(QtGui.QColor(230, 230, 230))
        if self.overlay:
            painter.drawText(self.rect().adjusted(8, 6, -8, -6),
                             QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignRight, self.overlay)
        if self.message:
            box = self.rect().adjusted(12, 12, -12, -12)
            painter.setPen(QtGui.QColor(255, 140, 140))
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap, self.message)
        painter.end()

    def _paint_backdrop(self, painter: QtGui.QPainter) -> None:
        """Under a region of interest: the last whole picture, or black over the format."""
        box = self.format_box
        painter.fillRect(QtCore.QRectF(self.to_widget(box.x0, box.y0), self.to_widget(box.x1, box.y1)),
                         QtGui.QColor(0, 0, 0))
        backdrop = self.backdrop
        if backdrop is not None and self._backdrop_qimage is not None:
            dw = backdrop.data_window
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, self.zoom < backdrop.scale)
            painter.drawImage(QtCore.QRectF(self.to_widget(dw.x0, dw.y0), self.to_widget(dw.x1, dw.y1)),
                              self._backdrop_qimage)

    def _paint_roi(self, painter: QtGui.QPainter) -> None:
        """The region of interest's outline (dashed while one is being drawn)."""
        box = self._dragged_roi() if self._roi_start is not None else self.roi
        if box is None or not self.roi_editing:
            return
        style = QtCore.Qt.PenStyle.DashLine if self._roi_start is not None else QtCore.Qt.PenStyle.SolidLine
        painter.setPen(QtGui.QPen(ROI_PEN, 1, style))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(QtCore.QRectF(self.to_widget(box.x0, box.y0), self.to_widget(box.x1, box.y1)))
        if self._roi_start is None:
            corner = self.to_widget(box.x0, box.y0)
            painter.drawText(QtCore.QPointF(corner.x() + 3, corner.y() - 4), "ROI")

    def _dragged_roi(self) -> Box | None:
        """The box between the drag's start and the cursor, in whole image pixels."""
        if self._roi_start is None:
            return None
        (x0, y0), (x1, y1) = self._roi_start, self._roi_end
        return Box(math.floor(min(x0, x1)), math.floor(min(y0, y1)), math.ceil(max(x0, x1)), math.ceil(max(y0, y1)))

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
        """Middle button, or Alt + left, starts a pan; left starts a region of interest while editing one."""
        alt = event.modifiers() & QtCore.Qt.KeyboardModifier.AltModifier
        if event.button() == QtCore.Qt.MouseButton.MiddleButton or (
                event.button() == QtCore.Qt.MouseButton.LeftButton and alt):
            self._drag = event.position()
            self._user_moved = True
        elif event.button() == QtCore.Qt.MouseButton.LeftButton and self.roi_editing:
            self._roi_start = self._roi_end = self.to_image(event.position())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Pan while dragging; report the pixel under the cursor."""
        if self._drag is not None:
            delta = event.position() - self._drag
            self._drag = event.position()
            self.center = (self.center[0] - delta.x() / self.zoom, self.center[1] - delta.y() / self.zoom)
            self.update()
        if self._roi_start is not None:
            self._roi_end = self.to_image(event.position())
            self.update()
        x, y = self.to_image(event.position())
        self.probe.emit(math.floor(x), math.floor(y))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End a pan, or report the region of interest just drawn."""
        self._drag = None
        if self._roi_start is not None:
            self._roi_end = self.to_image(event.position())
            box = self._dragged_roi()
            self._roi_start = None
            self.update()
            if box is not None and min(box.width, box.height) * self.zoom >= MIN_ROI:
                self.roi_drawn.emit(box)
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt override
        """The probe has nothing to show outside the canvas."""
        self.probe_left.emit()
        super().leaveEvent(event)
