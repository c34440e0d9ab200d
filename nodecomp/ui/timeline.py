"""The timeline: play/stop/step, the frame range (in/out), fps, scrubbing and the cache line.

The cache line marks frames whose result for the viewed node is already in the cache: the
frames are hashed (the engine's plan pass: no pixels) on a worker thread from a snapshot of
the document, and each key is checked with `ImageCache.peek`, which neither counts nor
reorders. Playback advances one frame per tick at the document's fps; when a frame is not
ready in time the viewer simply shows the newest one it has (the newest request wins).
"""

from __future__ import annotations

import logging

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import Box
from nodecomp.engine.request import Request

log = logging.getLogger(__name__)

BAR_BACKGROUND = QtGui.QColor(44, 44, 44)
CACHE_COLOUR = QtGui.QColor(70, 150, 80)
PLAYHEAD_COLOUR = QtGui.QColor(240, 170, 60)
TICK_COLOUR = QtGui.QColor(120, 120, 120)


def cached_frames(snapshot: Document, node_name: str, frames: range, cache: ImageCache,
                  still_wanted=lambda: True, *, region: Box | None = None, scale: float = 1.0) -> set[int]:
    """Frames of `frames` whose result for `node_name` is in `cache` (planning only, no compute).

    `region` and `scale` are the viewer's region of interest and proxy scale: the line shows the
    frames the viewer would find cached.
    """
    evaluator = Evaluator(snapshot, cache)
    found: set[int] = set()
    node = snapshot[node_name]
    for frame in frames:
        if not still_wanted():
            break
        try:
            key = evaluator.hash(node, Request(float(frame), region, scale))
        except NodecompError:
            continue
        if key is not None and cache.peek(key):
            found.add(frame)
    return found


class CacheLine(QtCore.QObject):
    """Computes cache lines on a worker thread; the newest request wins.

    Signals:
        ready(object): the set of cached frames.
    """

    ready = QtCore.Signal(object)
    _result = QtCore.Signal(int, object)

    def __init__(self, cache: ImageCache, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._generation = 0
        self._result.connect(self._on_result)

    def update(self, doc: Document, node_name: str | None, region: Box | None = None, scale: float = 1.0) -> None:
        """Recompute for `node_name` over the document's range (an empty line without a node).

        `region` and `scale`: the viewer's region of interest and proxy scale.
        """
        self._generation += 1
        generation = self._generation
        if node_name is None or node_name not in doc:
            self.ready.emit(set())
            return
        snapshot = doc.copy()
        first, last = doc.frame_range

        def run() -> None:
            try:
                frames = cached_frames(snapshot, node_name, range(first, last + 1), self.cache,
                                       lambda: generation == self._generation, region=region, scale=scale)
            except Exception:  # noqa: BLE001 - a cache line is advisory; never let it break the app
                log.exception("cache line failed")
                frames = set()
            self._result.emit(generation, frames)

        self.pool.start(run)

    def _on_result(self, generation: int, frames: set[int]) -> None:
        if generation == self._generation:
            self.ready.emit(frames)

    def shutdown(self) -> None:
        """Stop (before the window closes)."""
        self._generation += 1
        self.pool.clear()
        self.pool.waitForDone(10000)


class FrameBar(QtWidgets.QWidget):
    """The scrub bar: frame ticks, cached frames and the playhead; click or drag to scrub."""

    scrubbed = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.first, self.last, self.frame = 1, 100, 1
        self.cached: set[int] = set()
        self.setMinimumHeight(26)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def _x(self, frame: float) -> float:
        span = max(1, self.last - self.first + 1)
        return (frame - self.first + 0.5) / span * self.width()

    def frame_at(self, x: float) -> int:
        """The frame under widget x."""
        span = max(1, self.last - self.first + 1)
        frame = self.first + int(x / max(1, self.width()) * span)
        return min(max(frame, self.first), self.last)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Background, cache line, ticks with labels, playhead."""
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), BAR_BACKGROUND)
        span = max(1, self.last - self.first + 1)
        cell = self.width() / span
        for frame in self.cached:
            if self.first <= frame <= self.last:
                painter.fillRect(QtCore.QRectF((frame - self.first) * cell, self.height() - 4, max(cell, 1.0), 4),
                                 CACHE_COLOUR)
        painter.setPen(TICK_COLOUR)
        step = max(1, _nice_step(span, self.width()))
        start = self.first + (-self.first) % step
        for frame in range(start, self.last + 1, step):
            x = self._x(frame)
            painter.drawLine(QtCore.QPointF(x, 0), QtCore.QPointF(x, 6))
            painter.drawText(QtCore.QPointF(x + 2, 17), str(frame))
        painter.setPen(QtGui.QPen(PLAYHEAD_COLOUR, 2))
        x = self._x(self.frame)
        painter.drawLine(QtCore.QPointF(x, 0), QtCore.QPointF(x, self.height()))
        painter.end()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Jump to the clicked frame."""
        self.scrubbed.emit(self.frame_at(event.position().x()))

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Scrub while the button is held."""
        if event.buttons():
            self.scrubbed.emit(self.frame_at(event.position().x()))


def _nice_step(span: int, width: int) -> int:
    """A label step (1, 2, 5, 10, 20, 50...) leaving about 50 pixels between labels."""
    wanted = span * 50 / max(1, width)
    step = 1
    while step < wanted:
        for factor in (2, 5, 10):
            if step * factor >= wanted:
                return step * factor
        step *= 10
    return step


class Timeline(QtWidgets.QWidget):
    """Transport buttons, the scrub bar, current frame, in/out and fps.

    Signals:
        frame_changed(float): the current frame moved (scrub, step, play).
        message(str): a range or fps the Document refused.
    """

    frame_changed = QtCore.Signal(float)
    message = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.frame = 1
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.bar = FrameBar(self)
        self.bar.scrubbed.connect(self.set_frame)
        buttons = (("|◁", "First frame", self.go_first), ("◁", "Previous frame (Left)", lambda: self.step(-1)),
                   ("▶", "Play / stop (Space)", self.toggle_play), ("▷", "Next frame (Right)", lambda: self.step(1)),
                   ("▷|", "Last frame", self.go_last))
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QtWidgets.QToolButton] = {}
        for text, tip, slot in buttons:
            button = QtWidgets.QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.buttons[tip] = button
        self.play_button = self.buttons["Play / stop (Space)"]
        self.frame_box = _int_box(self, "Current frame")
        self.frame_box.valueChanged.connect(self.set_frame)
        layout.addWidget(self.frame_box)
        layout.addWidget(self.bar, 1)
        layout.addWidget(QtWidgets.QLabel("in", self))
        self.in_box = _int_box(self, "First frame of the comp")
        self.in_box.editingFinished.connect(self._range_edited)
        layout.addWidget(self.in_box)
        layout.addWidget(QtWidgets.QLabel("out", self))
        self.out_box = _int_box(self, "Last frame of the comp")
        self.out_box.editingFinished.connect(self._range_edited)
        layout.addWidget(self.out_box)
        layout.addWidget(QtWidgets.QLabel("fps", self))
        self.fps_box = QtWidgets.QDoubleSpinBox(self)
        self.fps_box.setRange(0.01, 1000.0)
        self.fps_box.setDecimals(3)
        self.fps_box.setKeyboardTracking(False)
        self.fps_box.setToolTip("Frames per second (playback speed and metadata)")
        self.fps_box.valueChanged.connect(self._fps_edited)
        layout.addWidget(self.fps_box)
        for key, slot in (("Space", self.toggle_play), ("Left", lambda: self.step(-1)),
                          ("Right", lambda: self.step(1))):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def set_document(self, doc: Document) -> None:
        """Follow `doc`'s range and fps; the frame goes to the document's current frame."""
        if self.doc is not None:
            self.doc.events.settings_changed.disconnect(self._on_settings)
        self.stop()
        self.doc = doc
        doc.events.settings_changed.connect(self._on_settings)
        self._on_settings("")
        self.bar.cached = set()
        self.set_frame(int(doc.current_frame), force=True)

    def _on_settings(self, _key: str) -> None:
        first, last = self.doc.frame_range
        for box, value in ((self.in_box, first), (self.out_box, last)):
            blocker = QtCore.QSignalBlocker(box)
            box.setValue(value)
            del blocker
        blocker = QtCore.QSignalBlocker(self.fps_box)
        self.fps_box.setValue(self.doc.fps)
        del blocker
        self.bar.first, self.bar.last = first, last
        if self.timer.isActive():
            self.timer.setInterval(round(1000 / self.doc.fps))
        self.bar.update()

    def set_frame(self, frame: int, *, force: bool = False) -> None:
        """Go to `frame` (emits frame_changed when it moves)."""
        frame = int(frame)
        if frame == self.frame and not force:
            return
        self.frame = frame
        blocker = QtCore.QSignalBlocker(self.frame_box)
        self.frame_box.setValue(frame)
        del blocker
        self.bar.frame = frame
        self.bar.update()
        self.frame_changed.emit(float(frame))

    def set_cached(self, frames: set[int]) -> None:
        """Show the cache line."""
        self.bar.cached = set(frames)
        self.bar.update()

    def step(self, delta: int) -> None:
        """Move by `delta` frames, wrapping inside the range."""
        first, last = self.doc.frame_range if self.doc else (self.bar.first, self.bar.last)
        frame = self.frame + delta
        if frame > last:
            frame = first
        elif frame < first:
            frame = last
        self.set_frame(frame)

    def go_first(self) -> None:
        """Jump to the first frame."""
        self.set_frame(self.doc.frame_range[0] if self.doc else self.bar.first)

    def go_last(self) -> None:
        """Jump to the last frame."""
        self.set_frame(self.doc.frame_range[1] if self.doc else self.bar.last)

    @property
    def playing(self) -> bool:
        """True while playing."""
        return self.timer.isActive()

    def toggle_play(self) -> None:
        """Play or stop."""
        if self.playing:
            self.stop()
        else:
            self.timer.start(round(1000 / (self.doc.fps if self.doc else 24.0)))
            self.play_button.setText("■")
            self.play_button.setToolTip("Stop (Space)")

    def stop(self) -> None:
        """Stop playing."""
        self.timer.stop()
        self.play_button.setText("▶")
        self.play_button.setToolTip("Play (Space)")

    def _tick(self) -> None:
        self.step(1)

    def _range_edited(self) -> None:
        first, last = self.in_box.value(), self.out_box.value()
        if self.doc is None or (first, last) == self.doc.frame_range:
            return
        try:
            self.doc.frame_range = (first, last)
        except NodecompError as exc:
            self.message.emit(str(exc))
            self._on_settings("")

    def _fps_edited(self, value: float) -> None:
        if self.doc is None or value == self.doc.fps:
            return
        try:
            self.doc.fps = float(value)
        except NodecompError as exc:
            self.message.emit(str(exc))
            self._on_settings("")


def _int_box(parent: QtWidgets.QWidget, tip: str) -> QtWidgets.QSpinBox:
    box = QtWidgets.QSpinBox(parent)
    box.setRange(-(10**9), 10**9)
    box.setKeyboardTracking(False)
    box.setToolTip(tip)
    box.setMinimumWidth(64)
    return box
