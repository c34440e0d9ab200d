"""Render jobs: frames in parallel on a thread pool, bounded in flight, cancellable.

numpy, OpenCV and OpenImageIO release the GIL, so threads scale like processes for this work
with less memory. At most `threads` frames are in flight, so memory stays flat however long the
sequence is. Each frame's error carries node, frame and file; the job stops scheduling new frames
after the first error unless `keep_going` is set.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, GraphError, NodecompError
from nodecomp.core.events import Signal
from nodecomp.core.node import Node
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator, Retain
from nodecomp.engine.request import Request

log = logging.getLogger(__name__)


class RenderHooks:
    """Pipeline hooks called for every render job in the process (CLI, app and scripts alike).

    A studio connects them once, from a plugin's `on_load` or a pipeline script, to register
    renders with production tracking, publish frames or send notifications. Each is a `Signal`:
    `before_render(job)`, `frame_done(job, frame_result)`, `frame_failed(job, frame_result)`,
    `after_render(job, render_result)`. A failing hook is logged and never fails the render;
    a `before_render` hook that must stop it calls `job.cancel()`.
    """

    def __init__(self) -> None:
        self.before_render = Signal("before_render")
        self.frame_done = Signal("frame_done")
        self.frame_failed = Signal("frame_failed")
        self.after_render = Signal("after_render")


render_hooks = RenderHooks()
"""The process-wide hooks (`nodecomp.hooks`)."""


def default_threads() -> int:
    """Frames in flight by default: the number of cores (at least 1)."""
    return max(1, os.cpu_count() or 1)


@dataclass
class FrameResult:
    """How one frame went."""

    frame: int
    seconds: float
    error: NodecompError | None = None


@dataclass
class RenderResult:
    """Summary of a finished, failed or cancelled job."""

    frames: list[FrameResult] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> list[NodecompError]:
        """Errors of failed frames, in frame order."""
        return [f.error for f in sorted(self.frames, key=lambda f: f.frame) if f.error is not None]

    @property
    def ok(self) -> bool:
        """True when every frame rendered and nothing was cancelled."""
        return not self.cancelled and not self.errors

    @property
    def done(self) -> list[int]:
        """Frames written successfully."""
        return sorted(f.frame for f in self.frames if f.error is None)


class RenderJob:
    """Renders output nodes over frames.

    Args:
        document: the comp; the job renders a snapshot taken at construction, so edits made while
            it runs (in the app) do not race it.
        outputs: Write nodes (or any nodes: their images are computed and dropped) by node or name.
        frames: frame numbers in render order.
        threads: frames in flight.
        cache: shared cache (the app passes its viewer cache; the CLI its own).
        keep_going: render the remaining frames after a failure.
        retain: which results the cache keeps (`Retain.RECURRING` for one-off batch renders).

    Events (called from worker threads): `frame_started(frame)`, `frame_done(FrameResult)`,
    `frame_failed(FrameResult)`; from the thread calling `run`: `before_render(job)` first,
    `after_render(job, RenderResult)` last (also when frames failed or the job was cancelled).
    The same events go to the process-wide `render_hooks`.
    """

    def __init__(
        self,
        document: Document,
        outputs: Sequence[Node | str],
        frames: Sequence[int],
        *,
        threads: int | None = None,
        cache: ImageCache | None = None,
        keep_going: bool = False,
        cancel: CancelToken | None = None,
        retain: Retain = Retain.ALL,
    ) -> None:
        names = [o if isinstance(o, str) else o.name for o in outputs]
        if not names:
            raise GraphError("nothing to render: the document has no Write node", hint="add one or name --write")
        for name in names:
            document[name]  # raises GraphError for unknown names
        self.snapshot = document.copy()
        self.outputs = names
        self.frames = list(frames)
        self.threads = max(1, threads or default_threads())
        self.cancel_token = cancel or CancelToken()
        self.keep_going = keep_going
        self.evaluator = Evaluator(self.snapshot, cache, cancel=self.cancel_token, retain=retain)
        self.frame_started = Signal("frame_started")
        self.frame_done = Signal("frame_done")
        self.frame_failed = Signal("frame_failed")
        self.before_render = Signal("before_render")
        self.after_render = Signal("after_render")

    def cancel(self) -> None:
        """Stop after the frames in flight (cooperative; long computes check too)."""
        self.cancel_token.cancel()

    def _render_frame(self, frame: int) -> FrameResult:
        start = time.perf_counter()
        self.frame_started.emit(frame)
        try:
            for name in self.outputs:
                self.cancel_token.check()
                self.evaluator.evaluate(self.snapshot[name], Request(float(frame)))
        except CancelledError as exc:
            return FrameResult(frame, time.perf_counter() - start, exc)
        except NodecompError as exc:
            return FrameResult(frame, time.perf_counter() - start, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must still fail only this frame, with its name
            log.exception("unexpected error on frame %s", frame)
            error = EvaluationError(f"internal error: {type(exc).__name__}: {exc}", frame=frame)
            return FrameResult(frame, time.perf_counter() - start, error)
        return FrameResult(frame, time.perf_counter() - start)

    def _collect(
        self, frame_result: FrameResult, result: RenderResult, on_frame: Callable[[FrameResult], None] | None
    ) -> bool:
        """Record a finished frame; returns True when the job should stop scheduling."""
        if isinstance(frame_result.error, CancelledError):
            return True
        result.frames.append(frame_result)
        if frame_result.error is None:
            self.frame_done.emit(frame_result)
            render_hooks.frame_done.emit(self, frame_result)
        else:
            self.frame_failed.emit(frame_result)
            render_hooks.frame_failed.emit(self, frame_result)
        if on_frame is not None:
            on_frame(frame_result)
        return frame_result.error is not None and not self.keep_going

    def run(self, on_frame: Callable[[FrameResult], None] | None = None) -> RenderResult:
        """Render every frame; returns when done, failed (unless keep_going) or cancelled."""
        result = RenderResult()
        start = time.perf_counter()
        self.before_render.emit(self)
        render_hooks.before_render.emit(self)
        pending = iter(self.frames)
        in_flight: set[Future[FrameResult]] = set()
        stop = interrupted = False
        with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="nodecomp-render") as pool:
            try:
                while True:
                    while not stop and len(in_flight) < self.threads and not self.cancel_token.cancelled:
                        frame = next(pending, None)
                        if frame is None:
                            break
                        in_flight.add(pool.submit(self._render_frame, frame))
                    if not in_flight:
                        break
                    finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in finished:
                        stop = self._collect(future.result(), result, on_frame) or stop
            except KeyboardInterrupt:
                # Ctrl-C: frames in flight stop at their next check; atomic writes leave no partial file.
                self.cancel_token.cancel()
                interrupted = True
        result.cancelled = self.cancel_token.cancelled or interrupted
        result.seconds = time.perf_counter() - start
        self.after_render.emit(self, result)
        render_hooks.after_render.emit(self, result)
        return result
