"""Worker side: render one chunk of frames inside a Dask worker.

Dask workers re-import the submitting program's `__main__`, so task functions live here, in a
module every worker imports from its own nodecomp installation. A worker keeps the job's
document and cache between chunks (one job at a time, the last two kept), so only the first
chunk pays for loading the registry and parsing the document.

Every frame is logged to the job's Dask event topic (`start`, then `done`, `failed` or
`skipped`), which the submitting side turns into progress. The same log makes re-runs cheap
and safe: when a chunk runs again (its worker died, or a frame failed and Dask retries it),
frames an earlier attempt reported done are skipped if their files are still complete, so a
finished frame is not written twice.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.engine.cache import ImageCache, default_render_budget_bytes
from nodecomp.engine.evaluator import Evaluator, Retain
from nodecomp.engine.farm.outputs import frame_is_complete, output_files, remove_temp_files
from nodecomp.engine.farm.spec import FarmJobSpec
from nodecomp.engine.jobs import FrameResult, RenderJob

log = logging.getLogger(__name__)

_KEEP_JOBS = 2


class FrameState(StrEnum):
    """What an event says about a frame (or, for CHUNK, that a chunk attempt began)."""

    CHUNK = "chunk"
    START = "start"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class FrameReport:
    """How one frame of a chunk went."""

    frame: int
    state: FrameState
    seconds: float = 0.0
    error: str | None = None
    earlier: bool = False  # done by an earlier attempt of this chunk, kept as it was


@dataclass
class ChunkReport:
    """What one attempt at a chunk did, returned to the submitting side."""

    chunk: int
    worker: str
    frames: list[FrameReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FrameReport]:
        """Frames that failed."""
        return [f for f in self.frames if f.state is FrameState.FAILED]


class ChunkFailed(Exception):
    """Raised (so Dask retries the chunk) when any frame of it failed; carries the report."""

    def __init__(self, report: ChunkReport) -> None:
        self.report = report
        first = report.failed[0] if report.failed else None
        detail = f": {first.error}" if first is not None else ""
        super().__init__(f"chunk {report.chunk}: {len(report.failed)} frame(s) failed on {report.worker}{detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ChunkFailed, (self.report,))


@dataclass
class _WorkerJob:
    document: Document
    evaluator: Evaluator
    cache: ImageCache


_jobs: OrderedDict[str, _WorkerJob] = OrderedDict()
_jobs_lock = threading.Lock()


def _worker() -> Any:
    """The Dask worker running this task, or None when called outside one (tests, local runs)."""
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def _cache_budget(spec: FarmJobSpec, worker: Any) -> int:
    if spec.cache_mb is not None:
        return spec.cache_mb * 1024 * 1024
    budget = default_render_budget_bytes()
    limit = getattr(getattr(worker, "memory_manager", None), "memory_limit", None)
    return min(budget, int(limit) // 4) if limit else budget


def _job(spec: FarmJobSpec, worker: Any) -> _WorkerJob:
    with _jobs_lock:
        job = _jobs.get(spec.job_id)
        if job is not None:
            _jobs.move_to_end(spec.job_id)
            return job
    document = spec.build_document()
    job = _WorkerJob(document, Evaluator(document), ImageCache(_cache_budget(spec, worker)))
    with _jobs_lock:
        _jobs[spec.job_id] = job
        while len(_jobs) > _KEEP_JOBS:
            _jobs.popitem(last=False)
    return job


class _EventLog:
    """The job's Dask event topic, or nothing outside a worker."""

    def __init__(self, spec: FarmJobSpec, worker: Any) -> None:
        self.topic = spec.topic
        self.worker = worker

    @property
    def address(self) -> str:
        return str(getattr(self.worker, "address", f"local-{os.getpid()}"))

    def emit(self, state: FrameState, **fields: Any) -> None:
        if self.worker is not None:
            self.worker.log_event(self.topic, {"state": state.value, **fields})

    def frames_done_before(self) -> set[int]:
        """Frames any attempt of this job already reported done."""
        if self.worker is None:
            return set()
        from distributed import get_client

        events = get_client().get_events(self.topic)
        return {int(msg["frame"]) for _, msg in events if isinstance(msg, dict) and msg.get("state") == "done"}


def render_chunk(spec: FarmJobSpec, chunk: int, frames: Sequence[int]) -> ChunkReport:
    """Render `frames` of the job on this worker; returns the report.

    Raises:
        ChunkFailed: one or more frames failed (Dask retries the chunk up to its limit; frames
            already done are skipped on the retry).
        NodecompError: the document or registry cannot be loaded here.
    """
    start = time.perf_counter()
    worker = _worker()
    events = _EventLog(spec, worker)
    events.emit(FrameState.CHUNK, chunk=chunk, frames=list(frames))
    job = _job(spec, worker)
    report = ChunkReport(chunk, events.address)
    nodes = [job.document[name] for name in spec.outputs]
    done_before = events.frames_done_before()
    todo: list[int] = []
    for frame in frames:
        if spec.resume or frame in done_before:
            try:
                complete = frame_is_complete(output_files(job.evaluator, nodes, frame))
            except NodecompError:
                complete = False  # the render reports the same problem with its context
            if complete and frame in done_before:
                report.frames.append(FrameReport(frame, FrameState.DONE, earlier=True))
                continue
            if complete:
                report.frames.append(FrameReport(frame, FrameState.SKIPPED))
                events.emit(FrameState.SKIPPED, frame=frame, chunk=chunk)
                continue
        todo.append(frame)
    if todo:
        render = RenderJob(job.document, spec.outputs, todo, threads=spec.threads, cache=job.cache,
                           keep_going=True, retain=Retain.RECURRING)
        render.frame_started.connect(lambda frame: events.emit(FrameState.START, frame=frame, chunk=chunk))

        def finished(result: FrameResult) -> None:
            state = FrameState.DONE if result.error is None else FrameState.FAILED
            error = None if result.error is None else str(result.error)
            report.frames.append(FrameReport(result.frame, state, result.seconds, error))
            events.emit(state, frame=result.frame, chunk=chunk, seconds=result.seconds, error=error)

        outcome = render.run(finished)
        if outcome.cancelled:
            raise NodecompError(f"chunk {chunk} was cancelled on {report.worker}")
    report.seconds = time.perf_counter() - start
    report.frames.sort(key=lambda f: f.frame)
    if report.failed:
        raise ChunkFailed(report)
    return report


def sweep_temp_files(spec: FarmJobSpec, frames: Sequence[int]) -> list[str]:
    """Remove what killed writers left of `frames`' files; run once the job has settled."""
    job = _job(spec, _worker())
    nodes = [job.document[name] for name in spec.outputs]
    paths: list[str] = []
    for frame in frames:
        try:
            paths.extend(output_files(job.evaluator, nodes, frame))
        except NodecompError:
            continue
    removed = remove_temp_files(paths)
    for path in removed:
        log.info("removed %s, left by an interrupted write", path)
    return removed
