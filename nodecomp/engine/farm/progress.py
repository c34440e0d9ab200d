"""The submitting side's view of a farm job: frame events tallied per worker.

Workers log every frame to the job's Dask event topic; Dask forwards each event to the
submitting client, which feeds it here. The tally is what a progress bar shows (frames done,
failed and running on each worker); the job's final result comes from the chunk reports.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from nodecomp.engine.farm.task import FrameState


@dataclass(frozen=True)
class FrameEvent:
    """One event of a farm job: a frame started, finished, failed or was skipped, or a chunk began.

    Attributes:
        state: what happened.
        worker: the Dask worker address (`"submitter"` for frames skipped before submitting).
        frame: the frame (None for a chunk event).
        chunk: the chunk index.
        seconds: render time of a finished or failed frame.
        error: the one-line reason of a failed frame.
        time: when it happened (seconds since the epoch, the worker's clock).
    """

    state: FrameState
    worker: str
    frame: int | None = None
    chunk: int | None = None
    seconds: float = 0.0
    error: str | None = None
    time: float = 0.0

    @classmethod
    def from_dask(cls, event: Any) -> FrameEvent | None:
        """Decode a `(timestamp, message)` pair from the topic; None for anything else."""
        try:
            stamp, message = event
            state = FrameState(message["state"])
        except (TypeError, ValueError, KeyError):
            return None
        frame = message.get("frame")
        return cls(state, str(message.get("worker", "?")), int(frame) if frame is not None else None,
                   message.get("chunk"), float(message.get("seconds") or 0.0), message.get("error"), float(stamp))


@dataclass
class WorkerTally:
    """Counts for one worker."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    running: set[int] = field(default_factory=set)
    chunks: int = 0


class FarmProgress:
    """Thread-safe tally of frame events (Dask calls `record` from its event-loop thread).

    Args:
        total: frames in the job (including those skipped before submitting).
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.started = time.time()
        self._lock = threading.Lock()
        self._workers: dict[str, WorkerTally] = {}
        self._latest: dict[int, tuple[FrameState, str]] = {}
        self._chunk_attempts = 0

    def record(self, event: FrameEvent) -> None:
        """Count one event."""
        with self._lock:
            tally = self._workers.setdefault(event.worker, WorkerTally())
            if event.state is FrameState.CHUNK:
                tally.chunks += 1
                self._chunk_attempts += 1
                return
            if event.frame is None:
                return
            previous = self._latest.get(event.frame)
            if previous is not None and previous[0] is FrameState.START:
                self._workers[previous[1]].running.discard(event.frame)
            if event.state is FrameState.START:
                tally.running.add(event.frame)
            elif event.state is FrameState.DONE:
                tally.done += 1
            elif event.state is FrameState.FAILED:
                tally.failed += 1
            elif event.state is FrameState.SKIPPED:
                tally.skipped += 1
            self._latest[event.frame] = (event.state, event.worker)

    def counts(self) -> dict[str, int]:
        """Frames by their latest state (`done`, `failed`, `skipped`, `running`) and chunk attempts."""
        with self._lock:
            states = [state for state, _ in self._latest.values()]
            return {
                "done": states.count(FrameState.DONE),
                "failed": states.count(FrameState.FAILED),
                "skipped": states.count(FrameState.SKIPPED),
                "running": states.count(FrameState.START),
                "chunk_attempts": self._chunk_attempts,
            }

    def per_worker(self) -> dict[str, WorkerTally]:
        """A copy of every worker's tally."""
        with self._lock:
            return {
                name: WorkerTally(t.done, t.failed, t.skipped, set(t.running), t.chunks)
                for name, t in self._workers.items()
            }

    def finished_frames(self) -> int:
        """Frames done, failed or skipped so far (what a progress bar counts)."""
        counts = self.counts()
        return counts["done"] + counts["failed"] + counts["skipped"]
