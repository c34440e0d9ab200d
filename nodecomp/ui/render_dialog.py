"""The render dialog: pick Write nodes and frames, watch progress per frame, cancel, read errors.

The render is a `RenderJob` (frames on a thread pool, at most `threads` in flight) run from a
plain Python thread, so the window keeps drawing and taking input; the job renders a snapshot
of the document taken when Render is pressed, so edits made meanwhile never race it. Frame
results reach the dialog as queued Qt signals. Cancelling is cooperative: frames in flight
stop at their next check and no partial file is left under a final name.

"Where" picks this machine (threads), an embedded Dask cluster on 127.0.0.1, or a running Dask
scheduler (a farm); farm renders send the document's JSON, split frames into chunks and report
each frame as the workers finish it (see docs/farm.md).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import EvaluationError, NodecompError
from nodecomp.core.frames import parse_frames
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.jobs import FrameResult, RenderJob, RenderResult, default_threads

WHERE_LOCAL = "This machine"
WHERE_CLUSTER = "Local Dask cluster"
WHERE_FARM = "Dask scheduler (farm)"


class RenderDialog(QtWidgets.QDialog):
    """Renders the document's Write nodes with progress, cancel and an error log.

    Args:
        doc: the document (a snapshot is rendered).
        cache: the app's shared cache, so rendered frames are cached for the viewer too.

    Signals:
        finished_render(RenderResult): the job ended (done, failed or cancelled).
    """

    finished_render = QtCore.Signal(object)
    computing = QtCore.Signal(str, bool)
    _frame = QtCore.Signal(object)
    _ended = QtCore.Signal(object)
    _status = QtCore.Signal(str)

    def __init__(self, doc: Document, cache: ImageCache | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Render")
        self.setMinimumSize(520, 460)
        self.doc = doc
        self.cache = cache
        self.job: RenderJob | Any = None
        self.result: RenderResult | None = None
        self._thread: threading.Thread | None = None
        self.done_frames = 0
        self._build()
        self._frame.connect(self._on_frame)
        self._ended.connect(self._on_ended)
        self._status.connect(lambda text: self.status.setText(text))

    def _build(self) -> None:
        form = QtWidgets.QFormLayout()
        self.writes = QtWidgets.QListWidget(self)
        self.writes.setMaximumHeight(110)
        for node in self.doc.outputs():
            item = QtWidgets.QListWidgetItem(f"{node.name}    {node['file'] if 'file' in node.params else ''}")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, node.name)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Unchecked if node.disabled else QtCore.Qt.CheckState.Checked)
            self.writes.addItem(item)
        form.addRow("Write nodes", self.writes)
        first, last = self.doc.frame_range
        self.frames = QtWidgets.QLineEdit(f"{first}-{last}", self)
        self.frames.setToolTip("Frames: 1-100, 1-100x2, 12, 1-10,20-30")
        form.addRow("Frames", self.frames)
        self.threads = QtWidgets.QSpinBox(self)
        self.threads.setRange(1, 256)
        self.threads.setValue(default_threads())
        self.threads.setToolTip("Frames rendered at once")
        form.addRow("Frames in flight", self.threads)
        self.keep_going = QtWidgets.QCheckBox("Keep rendering after a failed frame", self)
        form.addRow("", self.keep_going)
        self.where = QtWidgets.QComboBox(self)
        self.where.addItems([WHERE_LOCAL, WHERE_CLUSTER, WHERE_FARM])
        self.where.setToolTip("Render here, on an embedded Dask cluster (127.0.0.1), or on a Dask farm")
        form.addRow("Where", self.where)
        self.scheduler = QtWidgets.QLineEdit("tcp://127.0.0.1:8786", self)
        self.scheduler.setToolTip("Address of a running Dask scheduler whose workers have nodecomp")
        form.addRow("Scheduler", self.scheduler)
        self.workers = QtWidgets.QSpinBox(self)
        self.workers.setRange(1, 64)
        self.workers.setValue(2)
        form.addRow("Cluster workers", self.workers)
        self.chunk = QtWidgets.QSpinBox(self)
        self.chunk.setRange(1, 1000)
        self.chunk.setValue(8)
        self.chunk.setToolTip("Frames per farm task")
        form.addRow("Chunk", self.chunk)
        self.where.currentTextChanged.connect(self._where_changed)
        self._where_changed(self.where.currentText())
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setFormat("%v / %m frames")
        self.status = QtWidgets.QLabel("Ready.", self)
        self.log = QtWidgets.QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setPlaceholderText("Frames and errors appear here.")
        self.render_button = QtWidgets.QPushButton("Render", self)
        self.render_button.setDefault(True)
        self.render_button.clicked.connect(self.start)
        self.cancel_button = QtWidgets.QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QtWidgets.QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.render_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)

    def _where_changed(self, where: str) -> None:
        self.scheduler.setEnabled(where == WHERE_FARM)
        self.workers.setEnabled(where == WHERE_CLUSTER)
        self.chunk.setEnabled(where != WHERE_LOCAL)
        self.threads.setEnabled(where == WHERE_LOCAL)

    @property
    def running(self) -> bool:
        """True while a job runs."""
        return self._thread is not None and self._thread.is_alive()

    def selected_writes(self) -> list[str]:
        """Names of the checked Write nodes."""
        items = (self.writes.item(i) for i in range(self.writes.count()))
        return [i.data(QtCore.Qt.ItemDataRole.UserRole) for i in items
                if i.checkState() == QtCore.Qt.CheckState.Checked]

    def start(self) -> bool:
        """Start rendering; returns False (with the reason in the log) when it cannot start."""
        if self.running:
            return False
        where = self.where.currentText()
        try:
            frames = parse_frames(self.frames.text(), default=self.doc.frame_range)
            if where == WHERE_LOCAL:
                job = RenderJob(self.doc, self.selected_writes(), frames, threads=self.threads.value(),
                                cache=self.cache, keep_going=self.keep_going.isChecked())
                job.evaluator.on_compute = self.computing.emit  # "computing" badges in the graph
            else:
                from nodecomp.engine.farm import FarmJob, check_farm

                farm = "local" if where == WHERE_CLUSTER else check_farm(self.scheduler.text().strip())
                job = FarmJob(self.doc, self.selected_writes(), frames, chunk=self.chunk.value())
                job.farm, job.farm_workers = farm, self.workers.value()
        except NodecompError as exc:
            self._log(str(exc), error=True)
            self.status.setText("Cannot render.")
            return False
        self.job, self.result, self.done_frames = job, None, 0
        self.progress.setRange(0, len(frames))
        self.progress.setValue(0)
        self.log.clear()
        self.status.setText(f"Rendering {len(frames)} frames of {', '.join(job.outputs)} ({where.lower()})…")
        self.render_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        target = self._run if where == WHERE_LOCAL else self._run_farm
        self._thread = threading.Thread(target=target, args=(job,), name="nodecomp-render-dialog", daemon=True)
        self._thread.start()
        return True

    def _run(self, job: RenderJob) -> None:
        result = job.run(on_frame=self._frame.emit)
        self._ended.emit(result)

    def _run_farm(self, job: Any) -> None:
        """Run a FarmJob; its frame events become the same FrameResults a local render gives."""
        from nodecomp.engine.farm import FrameState, farm_client

        def on_event(event: Any) -> None:
            if event.state is FrameState.DONE:
                self._frame.emit(FrameResult(event.frame, event.seconds or 0.0))
            elif event.state is FrameState.FAILED:
                error = EvaluationError(event.error or "failed", frame=event.frame)
                self._frame.emit(FrameResult(event.frame, event.seconds or 0.0, error))
            elif event.state is FrameState.SKIPPED:
                self._frame.emit(FrameResult(event.frame, 0.0))

        result = RenderResult()
        start = time.perf_counter()
        try:
            self._status.emit(f"Connecting to {'an embedded Dask cluster' if job.farm == 'local' else job.farm}…")
            with farm_client(job.farm, workers=job.farm_workers) as client:
                farm_result = job.run(client, on_event=on_event)
            result.cancelled = farm_result.cancelled
            result.frames = [FrameResult(f, 0.0) for f in farm_result.done + farm_result.skipped]
            result.frames += [FrameResult(f, 0.0, EvaluationError(reason, frame=f))
                              for f, reason in sorted(farm_result.failed.items())]
        except NodecompError as exc:
            result.frames = [FrameResult(job.frames[0] if job.frames else 0, 0.0, exc)]
            self._frame.emit(result.frames[0])
        result.seconds = time.perf_counter() - start
        self._ended.emit(result)

    def cancel(self) -> None:
        """Ask the job to stop after the frames in flight."""
        if self.job is not None and self.running:
            self.job.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the job's thread ends (used when closing)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_frame(self, frame: FrameResult) -> None:
        self.done_frames += 1
        self.progress.setValue(self.done_frames)
        if frame.error is None:
            self._log(f"frame {frame.frame}: {frame.seconds:.2f} s")
        else:
            self._log(f"frame {frame.frame}: {frame.error}", error=True)

    def _on_ended(self, result: RenderResult) -> None:
        self.result = result
        self.render_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if result.cancelled:
            text = f"Cancelled after {len(result.done)} frames."
        elif result.errors:
            text = f"Failed: {len(result.errors)} frame(s) with errors, {len(result.done)} rendered."
        else:
            text = f"Done: {len(result.done)} frames in {result.seconds:.1f} s."
        self.status.setText(text)
        self.finished_render.emit(result)

    def _log(self, text: str, *, error: bool = False) -> None:
        colour = "#ff8080" if error else "#c8c8c8"
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.log.appendHtml(f"<span style='color:{colour}'>{escaped}</span>")

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closing cancels a running render and waits for its frames in flight."""
        if self.running:
            self.cancel()
            self.wait()
        super().closeEvent(event)
