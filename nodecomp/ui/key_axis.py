"""Axes for the curve editor and the dope sheet: unit <-> pixel maps, grid steps and the frame ruler.

An `AxisMap` is `pixel = (unit - origin) * scale`; a value axis uses a negative scale so values
grow upwards. Zoom keeps the unit under the cursor in place, as the viewer does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6 import QtCore, QtGui

from nodecomp.ui.timeline import PLAYHEAD_COLOUR

RULER_HEIGHT = 20
RULER_BACKGROUND = QtGui.QColor(44, 44, 44)
RANGE_SHADE = QtGui.QColor(255, 255, 255, 10)
GRID_COLOUR = QtGui.QColor(62, 62, 62)
LABEL_COLOUR = QtGui.QColor(150, 150, 150)
BACKGROUND = QtGui.QColor(34, 34, 34)
MIN_SCALE, MAX_SCALE = 1e-6, 1e6


@dataclass
class AxisMap:
    """A linear map from units (frames, values) to widget pixels along one direction."""

    origin: float = 0.0  # the unit at pixel 0
    scale: float = 10.0  # pixels per unit (negative: units grow towards pixel 0)

    def to_px(self, unit: float) -> float:
        """Pixel of `unit`."""
        return (unit - self.origin) * self.scale

    def to_unit(self, px: float) -> float:
        """Unit at pixel `px`."""
        return px / self.scale + self.origin

    def fit(self, low: float, high: float, px_low: float, px_high: float) -> None:
        """Show units low..high between pixels px_low and px_high (a zero span is widened)."""
        if not high - low > 1e-9:
            pad = max(abs(low) * 0.5, 0.5)
            low, high = low - pad, high + pad
        self.scale = (px_high - px_low) / (high - low)
        self.origin = low - px_low / self.scale

    def zoom(self, factor: float, about_px: float) -> None:
        """Multiply the scale by `factor`, keeping the unit under `about_px` in place."""
        anchor = self.to_unit(about_px)
        magnitude = min(max(abs(self.scale * factor), MIN_SCALE), MAX_SCALE)
        self.scale = math.copysign(magnitude, self.scale)
        self.origin = anchor - about_px / self.scale

    def pan(self, dpx: float) -> None:
        """Slide the content by `dpx` pixels."""
        self.origin -= dpx / self.scale

    def ticks(self, px_a: float, px_b: float, min_px: float = 60.0, *, whole: bool = False) -> list[float]:
        """Grid values between two pixels, at a 1/2/5 step leaving at least `min_px` between them."""
        step = nice_step(min_px / abs(self.scale))
        if whole:
            step = max(1.0, round(step))
        lo, hi = sorted((self.to_unit(px_a), self.to_unit(px_b)))
        first = math.ceil(lo / step)
        count = int(math.floor(hi / step) - first) + 1
        return [(first + i) * step for i in range(max(0, min(count, 1000)))]


def nice_step(span: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least `span`."""
    if not span > 0 or not math.isfinite(span):
        return 1.0
    power = 10.0 ** math.floor(math.log10(span))
    for factor in (1, 2, 5, 10):
        if factor * power >= span * (1 - 1e-9):
            return factor * power
    return 10 * power


def format_number(value: float, step: float) -> str:
    """A grid label with as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    text = f"{value:.{min(decimals, 6)}f}"
    return "0" if text.strip("-0.") == "" else text


def draw_frame_grid(painter: QtGui.QPainter, frames: AxisMap, area: QtCore.QRectF,
                    frame_range: tuple[int, int]) -> None:
    """Shade the comp's frame range and draw vertical grid lines at whole-frame steps."""
    x0, x1 = frames.to_px(frame_range[0] - 0.5), frames.to_px(frame_range[1] + 0.5)
    painter.fillRect(QtCore.QRectF(x0, area.top(), x1 - x0, area.height()).intersected(area), RANGE_SHADE)
    painter.setPen(GRID_COLOUR)
    for frame in frames.ticks(area.left(), area.right(), whole=True):
        x = frames.to_px(frame)
        painter.drawLine(QtCore.QPointF(x, area.top()), QtCore.QPointF(x, area.bottom()))


def draw_frame_ruler(painter: QtGui.QPainter, frames: AxisMap, left: float, width: float) -> None:
    """The strip of frame numbers at the top (click or drag there to change the frame)."""
    strip = QtCore.QRectF(left, 0, width, RULER_HEIGHT)
    painter.fillRect(strip, RULER_BACKGROUND)
    painter.setPen(LABEL_COLOUR)
    for frame in frames.ticks(left, left + width, whole=True):
        x = frames.to_px(frame)
        painter.drawLine(QtCore.QPointF(x, RULER_HEIGHT - 5), QtCore.QPointF(x, RULER_HEIGHT))
        painter.drawText(QtCore.QPointF(x + 3, RULER_HEIGHT - 6), f"{frame:g}")


def draw_playhead(painter: QtGui.QPainter, frames: AxisMap, frame: float, top: float, bottom: float) -> None:
    """The current frame: an orange line, as on the timeline."""
    x = frames.to_px(frame)
    painter.setPen(QtGui.QPen(PLAYHEAD_COLOUR, 1.5))
    painter.drawLine(QtCore.QPointF(x, top), QtCore.QPointF(x, bottom))
