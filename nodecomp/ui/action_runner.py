"""Runs a node action (Train, Track, Export LUT) off the UI thread and reports back through queued signals.

The job (`engine.actions.ActionJob`) takes its snapshot of the document here, on the UI thread,
and then runs on a plain Python thread, so the window keeps drawing and taking input whatever
the action does. Progress reports are queued under a lock and delivered on the UI thread in
batches: one queued signal is in flight at a time however fast the action reports (a training
step every few milliseconds), so the event loop is never flooded and no report is lost (the
loss curve gets every value). The outcome comes last, after every report.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6 import QtCore

from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, NodecompError
from nodecomp.core.node import Node
from nodecomp.engine.actions import ActionJob, ActionProgress, ActionResult
from nodecomp.engine.cache import ImageCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionOutcome:
    """How an action ended: a result, or an error (cancelled when it was a CancelledError)."""

    result: ActionResult | None = None
    error: NodecompError | None = None

    @property
    def cancelled(self) -> bool:
        """True when the user cancelled it."""
        return isinstance(self.error, CancelledError)


class ActionRunner(QtCore.QObject):
    """One action of one node on a background thread.

    Args:
        doc: the live document (snapshotted now, never touched by the thread).
        node: the node.
        action: the action's name.
        frame: the current frame the action reads params at.
        cache: the app's image cache (inputs rendered for training fill it too).

    Raises:
        GraphError: no such action, or the node's type is not loaded.

    Signals:
        progressed(list[ActionProgress]): reports since the last delivery, in order.
        output_changed(): the node's output changed on disk (a checkpoint): views should re-render.
        finished(ActionOutcome): it ended; delivered after every report.
    """

    progressed = QtCore.Signal(list)
    output_changed = QtCore.Signal()
    finished = QtCore.Signal(object)
    _wake = QtCore.Signal()

    def __init__(self, doc: Document, node: Node, action: str, *, frame: float | None = None,
                 cache: ImageCache | None = None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.job = ActionJob(doc, node, action, frame=frame, cache=cache)
        self._lock = threading.Lock()
        self._pending: list[ActionProgress] = []
        self._outcome: ActionOutcome | None = None
        self._woken = False
        self._delivered = False
        self._thread: threading.Thread | None = None
        self._wake.connect(self._deliver, QtCore.Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True while the thread runs or its outcome is not delivered yet."""
        return self._thread is not None and not self._delivered

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"nodecomp-action-{self.job.action}",
                                            daemon=True)
            self._thread.start()

    def cancel(self) -> None:
        """Ask the action to stop at its next check."""
        self.job.cancel()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the thread ends (closing the app); True when it did."""
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    # ------------------------------------------------------------ worker side
    def _run(self) -> None:
        try:
            outcome = ActionOutcome(result=self.job.run(self._report))
        except NodecompError as exc:
            outcome = ActionOutcome(error=exc)
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must end the job with a message, not silently
            log.exception("action %s of %s failed", self.job.action, self.job.node.name)
            outcome = ActionOutcome(error=EvaluationError(f"{type(exc).__name__}: {exc}", node=self.job.node.name))
        with self._lock:
            self._outcome = outcome
        self._poke()

    def _report(self, event: ActionProgress) -> None:
        with self._lock:
            self._pending.append(event)
        self._poke()

    def _poke(self) -> None:
        with self._lock:
            if self._woken:
                return
            self._woken = True
        self._wake.emit()

    # ----------------------------------------------------------------- UI side
    def _deliver(self) -> None:
        with self._lock:
            events, self._pending = self._pending, []
            outcome = self._outcome
            self._woken = False
        if events:
            self.progressed.emit(events)
            if any(event.output_changed for event in events):
                self.output_changed.emit()
        if outcome is not None and not self._delivered:
            self._delivered = True
            self.finished.emit(outcome)
