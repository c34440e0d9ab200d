"""Viewer proxy benchmark: ms per frame of the demo-like comp at proxy scales and for a region of interest.

    .venv/bin/python benchmarks/viewer_proxy.py [--width 1920 --height 1080] [--repeats 5]

The comp is the viewer benchmark's (comp-A: Read FG -> Grade -> Blur -> Merge over Read BG,
then a Grade "Look"), evaluated by the engine at frame 1 for the request the viewer sends:
the whole frame at scale 1 (the peer), 1/2 and 1/4, and a centred region of interest of a
quarter of the frame's area at scale 1. Every node in it honours regions and scales.

Two columns per request, each the median of `--repeats` runs:
- cold: an empty cache (the first look at a frame: both Reads decode, everything computes);
- edit: Look's multiply changed with everything upstream cached (dragging a slider on the
  last node), the case the proxy and the region speed up most.
`pixels` is the number of output pixels the nodes computed for one cold frame (engine stats),
and `max diff` compares the result with the full render cropped and block-mean reduced.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from comp_a_media import generate  # noqa: E402
from comp_a_nodecomp import add_comp_a  # noqa: E402

from nodecomp.core.format import Format  # noqa: E402
from nodecomp.engine.cache import ImageCache  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.engine.image import Box, conform  # noqa: E402
from nodecomp.engine.proxy import fit_image  # noqa: E402
from nodecomp.engine.request import Request  # noqa: E402


def build(src: Path, width: int, height: int):
    """comp-A (Read FG -> Grade -> Blur -> Merge over Read BG) -> Look (Grade), as the viewer benchmark."""
    import nodecomp as nc

    doc = nc.Document(name="viewer_proxy_bench")
    doc.format = Format(width, height)
    doc.frame_range = (1, 1)
    comp = add_comp_a(doc, src)
    doc.add("Grade", comp, name="Look", multiply=(1.05, 1.0, 0.95, 1.0))
    return doc


def requests(width: int, height: int) -> list[tuple[str, Request]]:
    """The viewer's requests: scale 1 (the peer), 1/2, 1/4, and a centred ROI of 25% of the area."""
    roi = Box(width // 4, height // 4, width // 4 + width // 2, height // 4 + height // 2)
    return [
        ("scale 1 (full frame)", Request(1.0)),
        ("scale 1/2", Request(1.0, scale=0.5)),
        ("scale 1/4", Request(1.0, scale=0.25)),
        (f"ROI 25% ({roi.width}x{roi.height}), scale 1", Request(1.0, region=roi)),
    ]


def cold_ms(doc, request: Request, repeats: int) -> tuple[float, int]:
    """Median ms of an evaluation with an empty cache, and the output pixels computed."""
    times, pixels = [], 0
    for _ in range(repeats):
        evaluator = Evaluator(doc, ImageCache(8 * 1024**3))
        start = time.perf_counter()
        evaluator.evaluate("Look", request)
        times.append((time.perf_counter() - start) * 1000)
        pixels = sum(evaluator.stats.pixels.values())
    return statistics.median(times), pixels


def edit_ms(doc, request: Request, repeats: int) -> float:
    """Median ms to re-evaluate after changing Look's multiply, everything upstream cached."""
    cache = ImageCache(8 * 1024**3)
    Evaluator(doc, cache).evaluate("Look", request)
    times = []
    for index in range(repeats):
        value = 1.0 + 0.01 * (index + 1)
        doc["Look"]["multiply"] = (value, value, value, 1.0)
        start = time.perf_counter()
        Evaluator(doc, cache).evaluate("Look", request)
        times.append((time.perf_counter() - start) * 1000)
    doc["Look"]["multiply"] = (1.05, 1.0, 0.95, 1.0)
    return statistics.median(times)


def max_difference(doc, request: Request) -> float:
    """Largest difference from the full render cut to the request (0 for the full frame itself)."""
    full = Evaluator(doc).evaluate("Look", 1)
    expected = fit_image(full, request)
    result = Evaluator(doc).evaluate("Look", request)
    return float(np.abs(conform(result, expected.data_window, expected.channels) - expected.pixels).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent / "_data"))
    args = parser.parse_args()
    media = Path(args.data) / f"viewer_{args.width}x{args.height}"
    generate(media, args.width, args.height, 1)
    doc = build(media, args.width, args.height)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; frame {args.width}x{args.height}; "
          f"median of {args.repeats}")
    rows = []
    for name, request in requests(args.width, args.height):
        cold, pixels = cold_ms(doc, request, args.repeats)
        rows.append((name, cold, edit_ms(doc, request, args.repeats), pixels, max_difference(doc, request)))
    peer_cold, peer_edit = rows[0][1], rows[0][2]
    print(f"\n{'request':<34} {'cold ms':>8} {'x full':>7} {'edit ms':>8} {'x full':>7} {'pixels':>11} {'max diff':>9}")
    for name, cold, edit, pixels, difference in rows:
        print(f"{name:<34} {cold:>8.1f} {cold / peer_cold:>7.2f} {edit:>8.1f} {edit / peer_edit:>7.2f} "
              f"{pixels:>11,} {difference:>9.4f}")


if __name__ == "__main__":
    main()
