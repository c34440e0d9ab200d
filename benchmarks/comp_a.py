"""comp-A benchmark: nodecomp against the hand-written floor, the I/O floor and oiiotool.

    .venv/bin/python benchmarks/comp_a.py [--sizes 2k,4k] [--frames 24] [--threads 2]

Prints, per size, ms/frame and peak RSS of each variant (each in its own process) and the
ratio to the floor; then a cache check: a re-render after changing only the Grade must hit
the cache for both Reads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from comp_a_media import generate  # noqa: E402
from comp_a_nodecomp import build, render_nodecomp, render_nodecomp_retain_all  # noqa: E402
from comp_a_peers import VARIANTS, run_variant  # noqa: E402

VARIANTS["nodecomp"] = render_nodecomp
VARIANTS["nc_keepall"] = render_nodecomp_retain_all
SIZES = {"2k": (1920, 1080), "4k": (3840, 2160)}


def _table(size: str, rows: list[dict], floor_ms: float) -> None:
    print(f"\ncomp-A at {size} ({rows[0]['threads']} frames in flight)")
    print(f"{'variant':<10} {'frames':>6} {'ms/frame':>9} {'cpu ms/fr':>9} {'peak RSS MB':>11} {'x floor':>8}")
    for row in rows:
        ratio = row["ms_per_frame"] / floor_ms
        print(f"{row['variant']:<10} {row['frames']:>6} {row['ms_per_frame']:>9.1f} {row['cpu_ms_per_frame']:>9.1f} "
              f"{row['peak_rss_mb']:>11.0f} {ratio:>8.2f}")


def bench_size(name: str, frames: int, threads: int, oiiotool_frames: int, repeats: int, data: Path) -> None:
    width, height = SIZES[name]
    src = data / f"media_{name}"
    generate(src, width, height, frames)
    best: dict[str, dict] = {}
    order = ["floor", "nodecomp", "io_floor", "nc_keepall"] * repeats
    for variant in order:
        dst = Path(tempfile.mkdtemp(prefix=f"comp_a_{variant}_", dir=data))
        try:
            row = run_variant(variant, src, dst, frames, threads)
        finally:
            shutil.rmtree(dst, ignore_errors=True)
        if variant not in best or row["ms_per_frame"] < best[variant]["ms_per_frame"]:
            best[variant] = row
    if oiiotool_frames > 0:
        dst = Path(tempfile.mkdtemp(prefix="comp_a_oiiotool_", dir=data))
        try:
            best["oiiotool"] = run_variant("oiiotool", src, dst, min(frames, oiiotool_frames), threads)
        finally:
            shutil.rmtree(dst, ignore_errors=True)
    rows = [best[v] for v in ("nodecomp", "nc_keepall", "floor", "io_floor", "oiiotool") if v in best]
    _table(name, rows, best["floor"]["ms_per_frame"])


def cache_check(data: Path, threads: int) -> None:
    """Render 4 frames, change only the Grade, render again with the same cache: count computes."""
    from nodecomp.engine.cache import ImageCache
    from nodecomp.engine.jobs import RenderJob

    src = data / "media_2k"
    generate(src, 1920, 1080, 4) if not (src / "bg.0001.exr").exists() else None
    dst = Path(tempfile.mkdtemp(prefix="comp_a_cache_", dir=data))
    try:
        doc = build(src, dst, 4)
        cache = ImageCache(8 * 1024**3)
        first = RenderJob(doc, ["Write1"], range(1, 5), threads=threads, cache=cache)
        first.run()
        doc["Grade1"]["multiply"] = (1.3, 1.3, 1.3, 1.0)
        cache.reset_stats()
        second = RenderJob(doc, ["Write1"], range(1, 5), threads=threads, cache=cache)
        second.run()
        print("\ncache check: re-render of 4 frames after changing only Grade1.multiply")
        print(f"  computes first pass : {dict(sorted(first.evaluator.stats.computes.items()))}")
        print(f"  computes second pass: {dict(sorted(second.evaluator.stats.computes.items()))}")
        stats = cache.stats
        print(f"  second pass cache    : {stats.hits} hits, {stats.misses} misses")
        reads = {k: v for k, v in second.evaluator.stats.computes.items() if k.startswith("Read")}
        print(f"  Reads recomputed     : {sum(reads.values())} (expected 0)")
    finally:
        shutil.rmtree(dst, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2k,4k")
    parser.add_argument("--frames", type=int, default=24)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--oiiotool-frames", type=int, default=2, help="oiiotool takes seconds per frame")
    parser.add_argument("--repeats", type=int, default=2, help="runs per variant; the best is kept")
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent / "_data"))
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for size in args.sizes.split(","):
        bench_size(size.strip(), args.frames, args.threads, args.oiiotool_frames, args.repeats, data)
    cache_check(data, args.threads)


if __name__ == "__main__":
    main()
