"""`nodecomp render --farm ...`: the farm side of the render command, with progress and a summary.

`nodecomp render SCRIPT --farm local` starts an embedded Dask LocalCluster on 127.0.0.1;
`--farm tcp://HOST:8786` submits to a running scheduler. Exit codes follow `render`: 0 success,
1 a frame failed or the farm could not be used, 2 bad usage, 130 cancelled.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from typing import IO, Any

from tqdm import tqdm

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError

DEFAULT_WORKERS = 2
DEFAULT_CHUNK = 8
DEFAULT_RETRIES = 2


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    """The farm flags of `nodecomp render`."""
    group = parser.add_argument_group("farm (Dask distributed)")
    group.add_argument("--farm", metavar="local|ADDRESS", default=None,
                       help="render on a farm: 'local' (an embedded cluster on 127.0.0.1) or a scheduler "
                            "address such as tcp://HOST:8786")
    group.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                       help=f"worker processes of --farm local (default {DEFAULT_WORKERS})")
    group.add_argument("--chunk", type=int, default=DEFAULT_CHUNK,
                       help=f"frames per farm task (default {DEFAULT_CHUNK})")
    group.add_argument("--retries", type=int, default=DEFAULT_RETRIES,
                       help=f"times a chunk with a failed frame is tried again (default {DEFAULT_RETRIES})")
    group.add_argument("--path-map", action="append", default=[], metavar="FROM=TO",
                       help="the same storage under two prefixes, e.g. /mnt/show=S:/show (repeatable); "
                            "each worker (or this machine, without --farm) rewrites file paths to its own side")
    group.add_argument("--resume", action="store_true",
                       help="skip frames whose files are already complete (not empty, header readable)")
    group.add_argument("--farm-log", metavar="FILE", default=None, help="append one line per frame event to FILE")


def map_local_paths(args: argparse.Namespace, doc: Document) -> int | None:
    """Apply `--path-map` to a render on this machine (a farm maps on each worker instead).

    Returns:
        None to go on, or exit code 2 for a malformed rule (after printing it).
    """
    from nodecomp.engine.farm import PathMap, PathMapError

    rules = getattr(args, "path_map", None)
    if not rules or getattr(args, "farm", None):
        return None
    try:
        PathMap(rules).apply_to_document(doc)
    except PathMapError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    doc.undo_stack.clear()
    return None


class _Display:
    """The tqdm bar, the per-frame log and failure lines, fed from Dask's event thread."""

    def __init__(self, total: int, quiet: bool, log_file: IO[str] | None) -> None:
        self.bar = tqdm(total=total, unit="frame", disable=quiet, file=sys.stderr, dynamic_ncols=True)
        self.quiet = quiet
        self.log_file = log_file
        self.progress: Any = None
        self._lock = threading.Lock()
        self._labels: dict[str, str] = {}

    def label(self, worker: str) -> str:
        if worker not in self._labels:
            self._labels[worker] = f"w{len(self._labels) + 1}"
        return self._labels[worker]

    def on_event(self, event: Any) -> None:
        with self._lock:
            if self.log_file is not None and event.frame is not None:
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(event.time or time.time()))
                detail = f" in {event.seconds:.2f} s" if event.state.value in ("done", "failed") else ""
                error = f": {event.error}" if event.error else ""
                self.log_file.write(f"{stamp} frame {event.frame} {event.state.value} on {event.worker}"
                                    f"{detail}{error}\n")
                self.log_file.flush()
            if event.state.value == "failed" and not self.quiet:
                self.bar.write(f"nodecomp: error: {event.error} (on {event.worker})", file=sys.stderr)
            if self.progress is None:
                return
            self.bar.n = self.progress.finished_frames()
            parts = {}
            for worker, tally in self.progress.per_worker().items():
                if worker != "submitter":
                    parts[self.label(worker)] = f"{tally.done}ok/{tally.failed}err/{len(tally.running)}run"
            self.bar.set_postfix_str(" ".join(f"{k} {v}" for k, v in sorted(parts.items())), refresh=False)
            self.bar.refresh()


def render_on_farm(args: argparse.Namespace, doc: Document, outputs: list[str], frames: list[int]) -> int:
    """Render `frames` of `outputs` on the farm `args.farm`; returns the exit code."""
    from nodecomp.engine.farm import FarmJob, FarmProgress, FarmResult, PathMapError, check_farm, farm_client

    try:
        check_farm(args.farm)
        job = FarmJob(doc, outputs, frames, chunk=args.chunk, retries=args.retries, path_map=args.path_map,
                      resume=args.resume, threads=args.threads or 1, cache_mb=args.cache_mb)
    except (PathMapError, NodecompError) as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    _follow_log_level("distributed")
    log_file = open(args.farm_log, "a", encoding="utf-8") if args.farm_log else None
    display: _Display | None = None
    workers = 0
    try:
        if job.to_render():
            with farm_client(args.farm, workers=args.workers) as client:
                workers = len(client.scheduler_info().get("workers", {}))
                display = _Display(len(job.frames), args.quiet, log_file)
                display.progress = FarmProgress(len(job.frames))
                result = job.run(client, on_event=display.on_event, progress=display.progress)
        else:
            result = FarmResult(job.frames, skipped=list(job.frames))
    finally:
        if display is not None:
            display.bar.close()
        if log_file is not None:
            log_file.close()
    if not args.quiet:
        _summary(args.farm, workers, job, result)
    if result.cancelled:
        sys.stderr.write(f"nodecomp: cancelled after {len(result.done)} of {len(job.frames)} frames\n")
        return 130
    if result.failed:
        frame, reason = min(result.failed.items())
        sys.stderr.write(f"nodecomp: error: {len(result.failed)} frame(s) failed; first, frame {frame}: {reason}\n")
        return 1
    return 0


def _follow_log_level(name: str) -> None:
    """Dask sets its own loggers to INFO; make them follow `-v` like the rest of nodecomp."""
    import distributed  # noqa: F401 - importing it installs the logger levels this overrides

    logging.getLogger(name).setLevel(logging.getLogger().getEffectiveLevel())


def _summary(farm: str, workers: int, job: Any, result: Any) -> None:
    fps = len(result.done) / result.seconds if result.seconds > 0 else 0.0
    lines = [
        f"farm          {farm} ({workers or 'no'} workers): {len(job.frames)} frames, {result.chunks} chunks of up to "
        f"{job.chunk}, {result.reruns} chunk re-runs",
        f"frames        {len(result.done)} done, {len(result.skipped)} already complete, {len(result.failed)} failed "
        f"in {result.seconds:.2f} s ({fps:.2f} frames/s)",
    ]
    for worker, tally in sorted(result.per_worker.items()):
        if worker != "submitter":
            lines.append(f"  {worker:<26} {tally.done} done, {tally.failed} failed, {tally.skipped} skipped, "
                         f"{tally.chunks} chunks")
    if result.removed_temps:
        lines.append(f"cleanup       removed {len(result.removed_temps)} temporary file(s) left by interrupted writes")
    sys.stdout.write("\n".join(lines) + "\n")
