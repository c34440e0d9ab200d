"""Farm benchmark: comp-A in one process against a Dask LocalCluster, and the cost of a farm chunk.

    .venv/bin/python benchmarks/farm.py [--frames 240] [--width 960 --height 540] [--workers 2] [--chunk 8]

Prints one table: comp-A frames per second over the same frames rendered
  * in one process, one frame at a time (the baseline the farm divides among workers),
  * in one process with as many frames in flight as the farm has workers (threads: the local peer),
  * on `--farm local`: a LocalCluster of `--workers` one-thread worker processes, cluster start-up
    excluded (it is listed separately) and included;
then the farm overhead per chunk: 1-frame chunks of an 8x8 Constant -> EXR comp on one warm worker,
minus the same frame rendered in process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from comp_a_media import generate  # noqa: E402
from comp_a_nodecomp import build  # noqa: E402

import nodecomp as nc  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.engine.cache import ImageCache, default_render_budget_bytes  # noqa: E402
from nodecomp.engine.evaluator import Retain  # noqa: E402
from nodecomp.engine.farm import FarmJob, farm_client  # noqa: E402
from nodecomp.engine.jobs import RenderJob  # noqa: E402


def cpu_seconds() -> float:
    """User + system CPU time of the calling process (run on workers too)."""
    times = psutil.Process().cpu_times()
    return times.user + times.system


def local_render(doc: nc.Document, frames: list[int], threads: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of an in-process render."""
    job = RenderJob(doc, ["Write1"], frames, threads=threads, cache=ImageCache(default_render_budget_bytes()),
                    retain=Retain.RECURRING)
    start, cpu = time.perf_counter(), cpu_seconds()
    result = job.run()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if not result.ok:
        raise SystemExit(f"local render failed: {result.errors[:1]}")
    return seconds, cpu


def farm_render(doc: nc.Document, frames: list[int], workers: int, chunk: int) -> tuple[float, float, float, int]:
    """(wall seconds of the job, CPU seconds of workers + submitter, seconds to start the cluster, re-runs)."""
    start = time.perf_counter()
    with farm_client("local", workers=workers) as client:
        client.wait_for_workers(workers)
        started = time.perf_counter() - start
        before, own = client.run(cpu_seconds), cpu_seconds()
        job_start = time.perf_counter()
        result = FarmJob(doc, ["Write1"], frames, chunk=chunk).run(client)
        seconds = time.perf_counter() - job_start
        after = client.run(cpu_seconds)
        cpu = sum(after[w] - before[w] for w in after) + cpu_seconds() - own
    if not result.ok:
        raise SystemExit(f"farm render failed: {sorted(result.failed.items())[:1]}")
    return seconds, cpu, started, result.reruns


def tiny_comp(dst: Path, frames: int) -> nc.Document:
    doc = nc.Document(name="tiny")
    doc.format = Format(8, 8)
    doc.frame_range = (1, frames)
    doc.add("Write", doc.add("Constant", color=(0.5, 0.25, 0.125, 1.0)), file=str(dst / "tiny.####.exr"))
    return doc


def chunk_overhead(data: Path, frames: int) -> tuple[float, float]:
    """(ms per 1-frame chunk on one warm worker, ms per frame in process) for the tiny comp."""
    dst = Path(tempfile.mkdtemp(prefix="farm_tiny_", dir=data))
    try:
        frame_list = list(range(1, frames + 1))
        local, _ = local_render(tiny_comp(dst, frames), frame_list, 1)
        with farm_client("local", workers=1) as client:
            client.wait_for_workers(1)
            FarmJob(tiny_comp(dst, frames), ["Write1"], frame_list[:4], chunk=1).run(client)  # warm the worker
            start = time.perf_counter()
            result = FarmJob(tiny_comp(dst, frames), ["Write1"], frame_list, chunk=1).run(client)
            farm = time.perf_counter() - start
        if not result.ok:
            raise SystemExit("tiny farm render failed")
        return 1000 * farm / frames, 1000 * local / frames
    finally:
        shutil.rmtree(dst, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--height", type=int, default=540)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=8)
    parser.add_argument("--overhead-chunks", type=int, default=200)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent / "_data"))
    args = parser.parse_args()
    data = Path(args.data)
    src = data / f"media_{args.width}x{args.height}"
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load {os.getloadavg()[0]:.2f}")
    generate(src, args.width, args.height, args.frames)
    frames = list(range(1, args.frames + 1))
    rows = []
    for label, threads in (("1 process, 1 frame in flight", 1), (f"1 process, {args.workers} threads", args.workers)):
        dst = Path(tempfile.mkdtemp(prefix="farm_local_", dir=data))
        try:
            seconds, cpu = local_render(build(src, dst, args.frames), frames, threads)
        finally:
            shutil.rmtree(dst, ignore_errors=True)
        rows.append((label, seconds, cpu, None))
    dst = Path(tempfile.mkdtemp(prefix="farm_dask_", dir=data))
    try:
        seconds, cpu, started, reruns = farm_render(build(src, dst, args.frames), frames, args.workers, args.chunk)
    finally:
        shutil.rmtree(dst, ignore_errors=True)
    rows.append((f"LocalCluster {args.workers} workers, chunk {args.chunk}", seconds, cpu, started))
    base = rows[0][1]
    print(f"\ncomp-A {args.width}x{args.height}, {args.frames} frames (load at the end {os.getloadavg()[0]:.2f})")
    print(f"{'mode':<36} {'seconds':>8} {'frames/s':>9} {'x 1 frame':>10} {'cpu ms/fr':>10} {'with start-up':>14}")
    for label, seconds, cpu, started in rows:
        with_start = f"{args.frames / (seconds + started):>9.2f} fr/s" if started is not None else ""
        print(f"{label:<36} {seconds:>8.2f} {args.frames / seconds:>9.2f} {base / seconds:>10.2f} "
              f"{1000 * cpu / args.frames:>10.1f} {with_start:>14}")
    print(f"cluster start-up (scheduler + {args.workers} workers ready): {started:.2f} s; chunk re-runs: {reruns}")
    per_chunk, per_frame = chunk_overhead(data, args.overhead_chunks)
    print(f"\nfarm overhead per chunk ({args.overhead_chunks} one-frame chunks of an 8x8 Constant -> EXR, "
          "1 warm worker)")
    print(f"  {per_chunk:.1f} ms per chunk on the farm, {per_frame:.1f} ms per frame in process: "
          f"overhead {per_chunk - per_frame:.1f} ms per chunk")


if __name__ == "__main__":
    main()
