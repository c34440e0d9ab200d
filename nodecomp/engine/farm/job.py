"""A render job split into frame chunks and run on Dask workers.

Each chunk is one Dask task (`task.render_chunk`) carrying the document's JSON, so workers need
only nodecomp. Failures are handled at two levels, both Dask's own:

* a chunk that raises (a frame failed) is retried up to `retries` times;
* a chunk whose worker dies is rescheduled on another worker (up to Dask's
  `distributed.scheduler.allowed-failures`, 3 by default, then it fails with KilledWorker).

A re-run skips frames an earlier attempt finished (see `task`), writes are atomic, and once the
job has settled one last task removes temporary files a killed worker left, so every frame
ends up under its final name exactly once.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nodecomp.core.document import Document
from nodecomp.core.errors import GraphError, NodecompError
from nodecomp.core.node import Node
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.farm.outputs import frame_is_complete, output_files
from nodecomp.engine.farm.pathmap import PathRule
from nodecomp.engine.farm.progress import FarmProgress, FrameEvent, WorkerTally
from nodecomp.engine.farm.spec import DEFAULT_REGISTRY, FarmJobSpec
from nodecomp.engine.farm.task import ChunkFailed, ChunkReport, FrameState, render_chunk, sweep_temp_files

log = logging.getLogger(__name__)

SUBMITTER = "submitter"


def split_chunks(frames: Sequence[int], size: int) -> list[list[int]]:
    """`frames` in order, cut into lists of at most `size` frames."""
    if size < 1:
        raise NodecompError("--chunk must be at least 1")
    return [list(frames[i:i + size]) for i in range(0, len(frames), size)]


@dataclass
class FarmResult:
    """How a farm job went.

    Attributes:
        frames: every frame asked for.
        done: frames rendered by this job.
        skipped: frames already complete on disk (resume).
        failed: frame -> one-line reason, for frames that failed after every retry.
        chunks: tasks submitted; `chunk_attempts` counts every attempt seen (re-runs included).
        per_worker: event tallies by worker address.
        removed_temps: temporary files of killed writers removed at the end.
        cancelled: the job was interrupted.
    """

    frames: list[int]
    done: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    chunks: int = 0
    chunk_attempts: int = 0
    seconds: float = 0.0
    per_worker: dict[str, WorkerTally] = field(default_factory=dict)
    removed_temps: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when every frame is done or was already complete."""
        return not self.cancelled and not self.failed and len(self.done) + len(self.skipped) == len(self.frames)

    @property
    def reruns(self) -> int:
        """Chunk attempts beyond the first (retries and re-runs after a worker died)."""
        return max(0, self.chunk_attempts - self.chunks)


class FarmJob:
    """Render output nodes of a document over frames on a Dask cluster.

    Args:
        document: the comp (sent as its JSON; later edits do not reach the job).
        outputs: Write nodes by node or name.
        frames: frame numbers, in render order.
        chunk: frames per task; larger chunks cost less scheduling, smaller ones balance better.
        retries: how many times a chunk with a failed frame is tried again.
        path_map: `FROM=TO` rules (texts or PathRule) applied per worker (see `pathmap`).
        resume: skip frames whose files are already complete (non-empty, header readable).
        threads: frames in flight inside a chunk.
        cache_mb: cache budget per worker in MiB.
        registry: `module:callable` building the workers' node registry.
    """

    def __init__(self, document: Document, outputs: Sequence[Node | str], frames: Iterable[int], *,
                 chunk: int = 8, retries: int = 2, path_map: Iterable[PathRule | str] = (), resume: bool = False,
                 threads: int = 1, cache_mb: int | None = None, registry: str = DEFAULT_REGISTRY) -> None:
        names = tuple(o if isinstance(o, str) else o.name for o in outputs)
        if not names:
            raise GraphError("nothing to render: the document has no Write node", hint="add one or name --write")
        for name in names:
            document[name]  # GraphError for an unknown name
        if retries < 0:
            raise NodecompError("--retries must be 0 or more")
        if threads < 1:
            raise NodecompError("--threads must be at least 1")
        self.document = document
        self.outputs = names
        self.frames = list(dict.fromkeys(int(f) for f in frames))
        self.chunk = chunk
        self.retries = retries
        self.rules = tuple(r if isinstance(r, PathRule) else PathRule.parse(r) for r in path_map)
        self.resume = resume
        self.spec = FarmJobSpec(
            job_id=uuid.uuid4().hex[:12],
            document=document.to_dict(),
            document_path=os.path.abspath(document.path) if document.path else None,
            base_dir=os.getcwd(),
            outputs=names,
            path_map=self.rules,
            registry=registry,
            threads=threads,
            cache_mb=cache_mb,
            resume=resume,
        )
        split_chunks(self.frames, chunk)  # validates the size now, not on submit
        self._complete: list[int] | None = None
        self._client: Any = None
        self._futures: list[Any] = []
        self._cancel_requested = False

    def cancel(self) -> None:
        """Cancel the submitted chunks from another thread (the app's Cancel button)."""
        self._cancel_requested = True
        if self._client is not None and self._futures:
            self._client.cancel(list(self._futures))

    def already_complete(self) -> list[int]:
        """Frames resume skips: complete as this machine sees them ([] without resume; computed once)."""
        if self._complete is None:
            self._complete = self._scan_complete() if self.resume else []
        return self._complete

    def to_render(self) -> list[int]:
        """Frames the workers will be asked for."""
        complete = set(self.already_complete())
        return [f for f in self.frames if f not in complete]

    def _scan_complete(self) -> list[int]:
        evaluator = Evaluator(self.document)
        nodes = [self.document[name] for name in self.outputs]
        complete = []
        for frame in self.frames:
            try:
                if frame_is_complete(output_files(evaluator, nodes, frame)):
                    complete.append(frame)
            except NodecompError:
                continue  # the render reports it, with node and frame
        return complete

    def run(self, client: Any, on_event: Callable[[FrameEvent], None] | None = None,
            progress: FarmProgress | None = None) -> FarmResult:
        """Submit every chunk, wait for all of them, and sweep up; returns the result.

        Args:
            client: a connected `distributed.Client` (see `cluster.farm_client`).
            on_event: called for every frame event (from Dask's event thread).
            progress: the tally to feed (one is made when None).
        """
        from distributed import as_completed

        start = time.perf_counter()
        progress = progress or FarmProgress(len(self.frames))
        result = FarmResult(self.frames)
        skipped = set(self.already_complete())

        def record(event: FrameEvent) -> None:
            progress.record(event)
            if on_event is not None:
                on_event(event)

        for frame in self.frames:
            if frame in skipped:
                record(FrameEvent(FrameState.SKIPPED, SUBMITTER, frame, time=time.time()))
        todo = self.to_render()
        chunks = split_chunks(todo, self.chunk)
        topic = self.spec.topic

        def received(raw: Any) -> None:
            event = FrameEvent.from_dask(raw)
            if event is not None:
                record(event)

        client.subscribe_topic(topic, received)
        futures: dict[Any, tuple[int, list[int]]] = {}
        reports: list[ChunkReport] = []
        self._client = client
        try:
            for index, frames in enumerate(chunks):
                future = client.submit(render_chunk, self.spec, index, frames, retries=self.retries, pure=False,
                                       key=f"nodecomp-{self.spec.job_id}-{index}")
                futures[future] = (index, frames)
            self._futures = list(futures)
            if self._cancel_requested:
                client.cancel(self._futures)
            for future in as_completed(list(futures)):
                index, frames = futures[future]
                reports.extend(self._settle(future, index, frames, result))
        except KeyboardInterrupt:
            client.cancel(list(futures))
            result.cancelled = True
        finally:
            self._client, self._futures = None, []
            if not result.cancelled and todo:
                result.removed_temps = self._sweep(client, todo)
            client.unsubscribe_topic(topic)
        for report in reports:
            for frame in report.frames:
                if frame.state is FrameState.DONE:
                    result.done.append(frame.frame)
                elif frame.state is FrameState.SKIPPED:
                    skipped.add(frame.frame)
        result.done = sorted(set(result.done) - set(result.failed))
        result.skipped = sorted(skipped - set(result.done) - set(result.failed))
        result.chunks = len(chunks)
        result.chunk_attempts = max(progress.counts()["chunk_attempts"], len(reports) if not result.cancelled else 0)
        result.per_worker = progress.per_worker()
        result.seconds = time.perf_counter() - start
        return result

    def _settle(self, future: Any, index: int, frames: list[int], result: FarmResult) -> list[ChunkReport]:
        """The report of a finished chunk; failed frames go to `result.failed`."""
        if future.status == "finished":
            return [future.result()]
        if future.status == "cancelled":
            result.cancelled = True
            return []
        error = future.exception()
        if isinstance(error, ChunkFailed):
            for frame in error.report.failed:
                result.failed[frame.frame] = frame.error or "failed"
            return [error.report]
        reason = f"{type(error).__name__}: {error}"
        if type(error).__name__ == "KilledWorker":
            reason = f"chunk {index} lost its worker too many times ({error})"
        for frame in frames:
            result.failed[frame] = reason
        return []

    def _sweep(self, client: Any, frames: list[int]) -> list[str]:
        """Remove temporaries killed writers left (on a worker: it sees the outputs through its own paths)."""
        try:
            return list(client.submit(sweep_temp_files, self.spec, frames, pure=False).result(timeout=120))
        except Exception as exc:  # noqa: BLE001 - best effort: the frames are done, a failed sweep must not fail them
            log.warning("could not remove temporary files of interrupted writes: %s", exc)
            return []
