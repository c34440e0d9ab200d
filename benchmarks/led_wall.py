"""LED-wall export benchmark: one 12 m x 6 m wall frame (4608 x 2304 canvas, two 4096 x 2160 rasters).

    .venv/bin/python benchmarks/led_wall.py [--frames 4] [--repeats 2] [--keep DIR]

Variants, each timed per frame after one warm-up frame (which also writes the once-per-export
maps, overlay, mesh, patterns and report; that time is listed separately):

- `nodecomp`: the LEDWallExport node evaluated by the engine on an in-memory canvas: OCIO
  gamut conversion, PQ 10-bit full range, clipping stats, both DPX rasters, report update.
- `nodecomp+tiles`: the same plus the 288 cabinet tiles (16-bit PNG).
- `hand_numpy`: the peer a TD would write: the same OCIO conversion, PQ with float32
  `np.power` (not bit-exact to the float64 formula), round, slice into the rasters, OIIO DPX
  writes, one thread.
- `io_floor`: writing the two DPX rasters from ready code values, nothing else.

Target: nodecomp under 1000 ms per frame on 2 cores without tiles.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image, NodeType, String  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.colour import colour_manager  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from plugins.led_wall import plugin  # noqa: E402
from plugins.led_wall.encoding import PQ_C1, PQ_C2, PQ_C3, PQ_M1, PQ_M2, container16  # noqa: E402
from plugins.led_wall.image_io import OutputFormat, write_raster  # noqa: E402
from plugins.led_wall.rasters import assemble  # noqa: E402
from plugins.led_wall.settings import load_wall  # noqa: E402

WALL = ROOT / "resources" / "led_walls" / "stage_12x6.json"
_CANVAS: dict[str, Image] = {}


class CanvasSource(NodeType):
    """Benchmark-only source returning a prepared canvas."""

    type_id = "bench.CanvasSource"
    category = "Test"
    params = (String("key", doc="canvas key"),)

    @staticmethod
    def compute(ctx, key):
        return _CANVAS[key]


def make_canvas(width: int, height: int, seed: int = 0) -> np.ndarray:
    """Scene-linear RGBA: gradients up to ~8 (800 nits), soft discs above the 1500-nit peak, grain."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    pixels = np.empty((height, width, 4), np.float32)
    pixels[..., 0] = 8.0 * x / width
    pixels[..., 1] = 4.0 * y / height
    pixels[..., 2] = 1.0 + 0.8 * np.sin(x / 97.0) * np.cos(y / 61.0)
    for cx, cy in ((0.3, 0.4), (0.7, 0.6)):
        disc = np.exp(-(((x - cx * width) ** 2 + (y - cy * height) ** 2) / (0.05 * width) ** 2))
        pixels[..., :3] += 20.0 * disc[..., None]
    pixels[..., :3] += rng.normal(0.0, 0.02, (height, width, 3)).astype(np.float32)
    pixels[..., 3] = 1.0
    return pixels


def bench_nodecomp(out: Path, canvas: np.ndarray, frames: int, tiles: bool) -> tuple[float, float, float]:
    """(first frame seconds, wall and CPU seconds per later frame) of the node through the engine."""
    _CANVAS["c"] = Image(canvas, RGBA, Box(0, 0, canvas.shape[1], canvas.shape[0])).freeze()
    doc = nc.Document(NodeRegistry([*NODE_TYPES, CanvasSource, *plugin.node_types]))
    src = doc.add("CanvasSource", key="c")
    node = doc.add("LEDWallExport", src, wall=str(WALL), output_dir=str(out), tiles=tiles)
    evaluator = Evaluator(doc)
    start = time.perf_counter()
    evaluator.evaluate(node, 1)
    first = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    for frame in range(2, frames + 2):
        evaluator.evaluate(node, frame)
    return first, (time.perf_counter() - start) / frames, (time.process_time() - cpu) / frames


def bench_hand_numpy(out: Path, canvas: np.ndarray, frames: int) -> tuple[float, float]:
    """Wall and CPU seconds per frame of the straightforward numpy peer (one thread)."""
    loaded = load_wall(str(WALL))
    manager = colour_manager()
    processor = manager.processor(manager.working_space, "Linear Rec.2020")
    peak = np.float32(1500.0 / 10000.0)
    out.mkdir(parents=True, exist_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    for frame in range(frames):
        rgb = np.ascontiguousarray(canvas[..., :3])
        processor.applyRGB(rgb)
        y = np.clip(rgb * np.float32(0.01), 0.0, peak)
        p = np.power(y, np.float32(PQ_M1))
        signal = np.power((np.float32(PQ_C1) + np.float32(PQ_C2) * p) / (1.0 + np.float32(PQ_C3) * p),
                          np.float32(PQ_M2))
        codes = container16(np.rint(signal * 1023.0).astype(np.uint16), 10)
        for use in loaded.plan.processors:
            raster = assemble(codes, loaded.stage, use.processor.name)
            write_raster(str(out / f"{use.processor.name}.{frame:06d}.dpx"), raster, OutputFormat.DPX, 10)
    return (time.perf_counter() - start) / frames, (time.process_time() - cpu) / frames


def bench_io_floor(out: Path, canvas_shape: tuple[int, int], frames: int) -> tuple[float, float]:
    """Wall and CPU seconds per frame to write the two DPX rasters from ready codes (threads, like the export)."""
    from concurrent.futures import ThreadPoolExecutor

    loaded = load_wall(str(WALL))
    codes = container16(np.random.default_rng(1).integers(0, 1024, (*canvas_shape, 3)).astype(np.uint16), 10)
    rasters = {u.processor.name: assemble(codes, loaded.stage, u.processor.name) for u in loaded.plan.processors}
    out.mkdir(parents=True, exist_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for frame in range(frames):
            jobs = [pool.submit(write_raster, str(out / f"{name}.{frame:06d}.dpx"), raster, OutputFormat.DPX, 10)
                    for name, raster in rasters.items()]
            for job in jobs:
                job.result()
    return (time.perf_counter() - start) / frames, (time.process_time() - cpu) / frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=4, help="timed frames per variant")
    parser.add_argument("--repeats", type=int, default=2, help="runs per variant; the best is shown")
    parser.add_argument("--keep", help="export into this folder and keep it")
    args = parser.parse_args()
    loaded = load_wall(str(WALL))
    width, height = loaded.plan.canvas
    canvas = make_canvas(width, height)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="led_wall_bench_"))
    rows: dict[str, tuple[float, float]] = {}
    firsts: dict[str, float] = {}
    try:
        for repeat in range(args.repeats):
            for variant in ("nodecomp", "nodecomp+tiles", "hand_numpy", "io_floor"):
                folder = work / f"{variant}_{repeat}"
                if variant.startswith("nodecomp"):
                    first, *timing = bench_nodecomp(folder, canvas, args.frames, tiles=variant.endswith("tiles"))
                    firsts[variant] = min(first, firsts.get(variant, first))
                elif variant == "hand_numpy":
                    timing = bench_hand_numpy(folder, canvas, args.frames)
                else:
                    timing = bench_io_floor(folder, (height, width), args.frames)
                rows[variant] = min(tuple(timing), rows.get(variant, tuple(timing)))
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nLED wall export, {WALL.name}: canvas {width}x{height}, {len(loaded.plan.processors)} rasters "
          f"4096x2160 DPX 10-bit, {len(loaded.plan.placements)} cabinets; {os.cpu_count()} cores, "
          f"best of {args.repeats} x {args.frames} frames")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average at the end: {load:.1f}; CPU ms/frame counts every thread of this process)")
    print(f"{'variant':<16} {'ms/frame':>9} {'cpu ms/fr':>9} {'x io_floor':>10} {'target 1000 ms':>15}")
    for variant, (seconds, cpu) in rows.items():
        ms = 1000 * seconds
        target = ("met" if ms < 1000 else "missed") if variant == "nodecomp" else ""
        print(f"{variant:<16} {ms:>9.0f} {1000 * cpu:>9.0f} {seconds / rows['io_floor'][0]:>10.2f} {target:>15}")
    for variant, seconds in firsts.items():
        print(f"first frame of {variant} (adds maps, overlay, mesh, patterns, report): {1000 * seconds:.0f} ms")


if __name__ == "__main__":
    main()
