"""The window of a running node action: progress, status, live values, a loss curve, a log, Cancel.

It is not modal: the comp stays editable while the action works (on a snapshot), and closing
the window leaves the job running; the node's button brings it back. When the action reports
a value named `loss` the curve plots every value so far (log scale, the latest on the right).
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.node import Node
from nodecomp.engine.actions import ActionProgress
from nodecomp.engine.cache import ImageCache
from nodecomp.ui.action_runner import ActionOutcome, ActionRunner

PROGRESS_STEPS = 1000
CURVE_VALUE = "loss"


class LossCurve(QtWidgets.QWidget):
    """A line of values over steps on a log scale, drawn at the widget's width (no plotting library)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[float] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)

    def add(self, values: list[float]) -> None:
        """Append values (non-positive and non-finite ones are skipped: the scale is logarithmic)."""
        kept = [v for v in values if math.isfinite(v) and v > 0]
        if kept:
            self.values.extend(kept)
            self.update()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Axes labels at the extremes and the curve, one point per pixel column at most."""
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QtGui.QColor("#1e1e1e"))
        painter.setPen(QtGui.QColor("#8a8a8a"))
        if not self.values:
            painter.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, "the loss appears here")
            return
        logs = [math.log10(v) for v in self.values]
        low, high = min(logs), max(logs)
        span = max(high - low, 1e-6)
        left, top, right, bottom = 64, 8, self.width() - 8, self.height() - 18
        painter.drawText(4, top + 10, f"{10 ** high:.2e}")
        painter.drawText(4, bottom, f"{10 ** low:.2e}")
        painter.drawText(left, self.height() - 4, f"step 1 … {len(self.values)}   {CURVE_VALUE} "
                                                    f"{self.values[-1]:.3e}")
        painter.drawRect(left, top, right - left, bottom - top)
        width = max(right - left, 1)
        stride = max(1, math.ceil(len(logs) / width))
        points = []
        for start in range(0, len(logs), stride):
            chunk = logs[start:start + stride]
            x = left + width * (start + len(chunk) / 2) / len(logs)
            y = bottom - (bottom - top) * (sum(chunk) / len(chunk) - low) / span
            points.append(QtCore.QPointF(x, y))
        painter.setPen(QtGui.QPen(QtGui.QColor("#e0a040"), 1.5))
        painter.drawPolyline(points)


class ActionDialog(QtWidgets.QDialog):
    """Starts one node action and shows it until it ends.

    Args:
        doc: the live document (the action runs on a snapshot of it).
        node: the node.
        action: the action's name.
        frame: the current frame.
        cache: the app's image cache.

    Raises:
        GraphError: no such action (nothing is started).

    Signals:
        output_changed(): the node's output changed on disk while it runs (views re-render).
        finished_action(ActionOutcome): it ended (done, failed or cancelled).
    """

    output_changed = QtCore.Signal()
    finished_action = QtCore.Signal(object)

    def __init__(self, doc: Document, node: Node, action: str, *, frame: float | None = None,
                 cache: ImageCache | None = None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.node_id = doc, node.id
        self.runner = ActionRunner(doc, node, action, frame=frame, cache=cache, parent=self)
        self.spec = self.runner.job.spec
        self.outcome: ActionOutcome | None = None
        self.reports = 0
        self.setWindowTitle(f"{self.spec.display_label} — {node.name}")
        self.setMinimumSize(520, 420)
        self._build(node)
        self.runner.progressed.connect(self._on_progress)
        self.runner.output_changed.connect(self.output_changed)
        self.runner.finished.connect(self._on_finished)

    def _build(self, node: Node) -> None:
        self.headline = QtWidgets.QLabel(f"<b>{self.spec.display_label}</b> {node.name} ({node.type_name})", self)
        self.headline.setToolTip(self.spec.doc)
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, 0)  # busy until the first fraction arrives
        self.status = QtWidgets.QLabel("Starting…", self)
        self.values = QtWidgets.QLabel("", self)
        self.values.setStyleSheet("font-family: monospace;")
        self.saved = QtWidgets.QLabel("", self)
        self.saved.setToolTip("The last time the action rewrote what the node shows (a checkpoint)")
        self.curve = LossCurve(self)
        self.curve.setVisible(False)
        self.log = QtWidgets.QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.cancel_button = QtWidgets.QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QtWidgets.QPushButton("Close", self)
        self.close_button.setToolTip("Hide this window; the job keeps running (the node's button shows it again)")
        self.close_button.clicked.connect(self.hide)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.values)
        layout.addWidget(self.saved)
        layout.addWidget(self.curve, 2)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)

    @property
    def running(self) -> bool:
        """True until the outcome arrived."""
        return self.runner.running

    def start(self) -> None:
        """Start the job."""
        self._log(f"{self.spec.display_label} started on a snapshot of the comp; you can keep working.")
        self.runner.start()

    def cancel(self) -> None:
        """Ask the action to stop (training writes a checkpoint first)."""
        if self.running:
            self.runner.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the job's thread ends (closing the app)."""
        return self.runner.wait(timeout)

    def _on_progress(self, events: list[ActionProgress]) -> None:
        self.reports += len(events)
        fraction = next((e.fraction for e in reversed(events) if e.fraction is not None), None)
        if fraction is not None:
            self.progress.setRange(0, PROGRESS_STEPS)
            self.progress.setValue(round(fraction * PROGRESS_STEPS))
        message = next((e.message for e in reversed(events) if e.message and not e.output_changed), "")
        if message and not self.runner.job.token.cancelled:
            self.status.setText(message)
        saved = next((e.message for e in reversed(events) if e.output_changed), None)
        if saved is not None:
            self.saved.setText(f"Output updated: {saved}" if saved else "Output updated.")
        latest = next((e.values for e in reversed(events) if e.values), None)
        if latest:
            self.values.setText("   ".join(f"{name} {_number(value)}" for name, value in latest.items()))
        losses = [e.values[CURVE_VALUE] for e in events if CURVE_VALUE in e.values]
        if losses:
            self.curve.setVisible(True)
            self.curve.add(losses)

    def _on_finished(self, outcome: ActionOutcome) -> None:
        self.outcome = outcome
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, PROGRESS_STEPS)
        if outcome.result is not None:
            self.progress.setValue(PROGRESS_STEPS)
            self.status.setText(f"Done in {outcome.result.seconds:.1f} s.")
            if outcome.result.message:
                self._log(outcome.result.message)
        elif outcome.cancelled:
            self.status.setText("Cancelled.")
            self._log(str(outcome.error))
        else:
            self.status.setText("Failed.")
            self._log(str(outcome.error), error=True)
        for warning in self.runner.job.evaluator.warnings:
            self._log(warning, error=True)
        self.finished_action.emit(outcome)

    def _log(self, text: str, *, error: bool = False) -> None:
        colour = "#ff8080" if error else "#c8c8c8"
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.log.appendHtml(f"<span style='color:{colour}'>{escaped}</span>")

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing the window hides it; the job goes on."""
        event.ignore()
        self.hide()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e9 else f"{value:.4g}"
