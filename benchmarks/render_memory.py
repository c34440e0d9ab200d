"""Memory over a long render: peak RSS at frame 100 against the end of a 1,000-frame render.

    .venv/bin/python benchmarks/render_memory.py [--frames 1000] [--size 960x540] [--threads 2]

A small comp (Constant BG, animated Ramp-like FG from a Grade with an expression, Blur, Merge,
Write half EXR) renders through the same job the CLI uses, with the default batch-render cache
budget and cache policy (`--retain all` shows the interactive policy: memory rises to the cache
budget, then stays flat). RSS is sampled after every frame; the target is the end within 5% of
frame 100.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.engine.cache import ImageCache, default_render_budget_bytes  # noqa: E402
from nodecomp.engine.evaluator import Retain  # noqa: E402
from nodecomp.engine.jobs import RenderJob  # noqa: E402


def build(out: Path, frames: int, width: int, height: int) -> nc.Document:
    doc = nc.Document(name="memory")
    doc.format = Format(width, height)
    doc.frame_range = (1, frames)
    bg = doc.add("Constant", color=(0.1, 0.2, 0.3, 1.0))
    fg = doc.add("Constant", color=(0.8, 0.5, 0.2, 1.0))
    moved = doc.add("Transform", fg, scale=(0.3, 0.3))
    moved.set_expression("translate", "frame * 0.25 - 100", component=0)
    graded = doc.add("Grade", moved)
    graded.set_expression("multiply", "1 + 0.5 * sin(frame / 10)", component=0)
    blurred = doc.add("Blur", graded, size=(3.0, 3.0))
    comp = doc.add("Merge", blurred, bg, operation="over")
    doc.add("Write", comp, file=str(out / "mem.####.exr"), datatype="half", compression="zip")
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--size", default="960x540")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--cache-mb", type=int, default=None)
    parser.add_argument("--retain", choices=[r.value for r in Retain], default=Retain.RECURRING.value,
                        help="what the cache keeps; 'recurring' is what nodecomp render does")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(tempfile.mkdtemp(prefix="nodecomp_mem_"))
    process = psutil.Process()
    samples: dict[int, float] = {}
    peak = 0.0
    budget = args.cache_mb * 2**20 if args.cache_mb is not None else default_render_budget_bytes()
    try:
        doc = build(out, args.frames, width, height)
        job = RenderJob(doc, ["Write1"], range(1, args.frames + 1), threads=args.threads, cache=ImageCache(budget),
                        retain=Retain(args.retain))

        def on_frame(frame) -> None:
            nonlocal peak
            rss = process.memory_info().rss / 2**20
            peak = max(peak, rss)
            samples[len(samples) + 1] = peak

        result = job.run(on_frame)
        if not result.ok:
            raise SystemExit(f"render failed: {result.errors[:1]}")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    at_100 = samples[min(100, len(samples))]
    at_end = samples[len(samples)]
    stats = job.evaluator.cache.stats
    print(f"render memory: {args.frames} frames at {width}x{height}, {args.threads} in flight, "
          f"cache budget {budget / 2**20:.0f} MiB, retain {args.retain}")
    print(f"{'frames done':>12} {'peak RSS MiB':>13}")
    for mark in (1, 10, 50, 100, 250, 500, 750, len(samples)):
        if mark in samples:
            print(f"{mark:>12} {samples[mark]:>13.0f}")
    print(f"end / frame 100: {at_end / at_100:.3f} (target <= 1.05); {result.seconds:.1f} s, "
          f"{1000 * result.seconds / args.frames:.1f} ms/frame; cache {stats.entries} entries, "
          f"{stats.bytes / 2**20:.0f} MiB, {stats.evictions} evictions")


if __name__ == "__main__":
    main()
