"""`nodecomp render`: render Write nodes of a script over a frame range with a progress bar."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from nodecomp.cli.render_farm import add_render_arguments as add_farm_arguments
from nodecomp.cli.render_farm import map_local_paths, render_on_farm
from nodecomp.core.errors import DocumentError, GraphError
from nodecomp.core.frames import parse_frames
from nodecomp.engine.cache import ImageCache, default_render_budget_bytes
from nodecomp.engine.evaluator import Retain
from nodecomp.engine.jobs import FrameResult, RenderJob, default_threads


def register(commands: Any) -> None:
    """Add the `render` subcommand."""
    parser = commands.add_parser(
        "render",
        help="render Write nodes of a script",
        description="Render the Write nodes of SCRIPT (all of them unless --write is given).",
    )
    parser.add_argument("script", help="a .ncomp file")
    parser.add_argument("--write", action="append", metavar="NAME", help="Write node to render (repeatable)")
    parser.add_argument("--frames", default="", help="frames, e.g. 1-100, 1-100x2,120 (default: the script's range)")
    parser.add_argument("--threads", type=int, default=None, help=f"frames in flight (default {default_threads()})")
    parser.add_argument(
        "--cache-mb", type=int, default=None, help="cache budget in MiB (default: 1/8 of RAM, at most 2048)",
    )
    parser.add_argument(
        "--retain", choices=[r.value for r in Retain], default=Retain.RECURRING.value,
        help="results the cache keeps: 'recurring' (default: only those a later frame reuses) or 'all'",
    )
    parser.add_argument("--stats", action="store_true", help="print cache and compute statistics at the end")
    parser.add_argument("--keep-going", action="store_true", help="render remaining frames after a failure")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_farm_arguments(parser)
    parser.set_defaults(run=run)


def _load(path: str):
    import nodecomp

    return nodecomp.load(path)


def run(args: argparse.Namespace) -> int:
    """Render; one line on stderr per failure, exit 1 when any frame failed, 130 when cancelled."""
    try:
        doc = _load(args.script)
    except DocumentError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    if (code := map_local_paths(args, doc)) is not None:
        return code
    outputs = args.write or [node.name for node in doc.outputs()]
    if not outputs:
        raise GraphError(f"{args.script} has no Write node to render")
    frames = parse_frames(args.frames, default=doc.frame_range)
    if args.threads is not None and args.threads < 1:
        sys.stderr.write("nodecomp: error: --threads must be at least 1\n")
        return 2
    if args.cache_mb is not None and args.cache_mb < 0:
        sys.stderr.write("nodecomp: error: --cache-mb must be 0 or more\n")
        return 2
    if getattr(args, "farm", None):
        return render_on_farm(args, doc, outputs, frames)
    budget = args.cache_mb * 1024 * 1024 if args.cache_mb is not None else default_render_budget_bytes()
    cache = ImageCache(budget)
    job = RenderJob(doc, outputs, frames, threads=args.threads, cache=cache, keep_going=args.keep_going,
                    retain=Retain(args.retain))
    return run_job(job, len(frames), quiet=args.quiet, stats=args.stats)[0]


def run_job(job: RenderJob, frame_count: int, *, quiet: bool = False, stats: bool = False) -> tuple[int, Any]:
    """Run a render job with a progress bar, warnings and errors on stderr; returns (exit code, result).

    Shared by every command that renders frames (`render`, `led export`), so they report alike:
    0 done, 1 a frame failed (one line naming node, frame and file), 130 cancelled.
    """
    bar = tqdm(total=frame_count, unit="frame", disable=quiet, file=sys.stderr, dynamic_ncols=True)

    def on_frame(frame: FrameResult) -> None:
        bar.update(1)
        if frame.error is not None and not quiet:
            bar.write(f"nodecomp: error: {frame.error}", file=sys.stderr)

    try:
        result = job.run(on_frame)
    finally:
        bar.close()
    for warning in dict.fromkeys(job.evaluator.warnings):
        sys.stderr.write(f"nodecomp: warning: {warning}\n")
    if stats:
        _print_stats(job, result)
    if result.cancelled:
        sys.stderr.write(f"nodecomp: cancelled after {len(result.done)} of {frame_count} frames\n")
        return 130, result
    if result.errors:
        if quiet:
            sys.stderr.write(f"nodecomp: error: {result.errors[0]}\n")
        return 1, result
    return 0, result


def _print_stats(job: RenderJob, result: Any) -> None:
    stats = job.evaluator.cache.stats
    frames = max(1, len(result.frames))
    lines = [
        f"frames        {len(result.done)} ok, {len(result.errors)} failed in {result.seconds:.2f} s "
        f"({1000 * result.seconds / frames:.1f} ms/frame, {job.threads} in flight)",
        f"cache         {stats.hits} hits, {stats.misses} misses, {stats.evictions} evictions, "
        f"{stats.entries} entries, {stats.bytes / 2**20:.1f} of {stats.budget / 2**20:.0f} MiB",
        "computes      " + ", ".join(f"{name} {count}" for name, count in sorted(job.evaluator.stats.computes.items())),
    ]
    sys.stdout.write("\n".join(lines) + "\n")
