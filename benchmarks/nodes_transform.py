"""Per-node cost of the Transform-extras, Time and Utility nodes at 2K, next to the direct library call.

    .venv/bin/python benchmarks/nodes_transform.py [--size 1920x1080] [--repeats 5] [--no-oiiotool]

For each pixel node: ms per frame through the engine (plan, hash, compute, freeze; the input
is a ready image, so nothing upstream is timed), the direct OpenCV / numpy call on the same
array, their ratio, the in-process ImageBufAlgo equivalent where one exists, and oiiotool.
oiiotool reads and writes files, so its column is the whole command's wall time; the same
command without the operation (read + write only) is printed below the table as its floor.
Every figure is the best of `--repeats` runs, node and direct call timed in turns, so the
machine's other load shows as noise, not as bias.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image, NodeType, String  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from nodecomp.nodes.transform.cornerpin import pin_matrix  # noqa: E402
from nodecomp.nodes.transform.crop import edge_weights  # noqa: E402
from nodecomp.nodes.transform.perspective import index_map  # noqa: E402

OIIOTOOL = Path(sys.executable).parent / "oiiotool"
_IMAGES: dict[str, Image] = {}


class Given(NodeType):
    """Returns a prepared image (so only the node under test is timed)."""

    type_id = "bench.Given"
    category = "Bench"
    frame_dependent = True
    params = (String("key", doc="Which prepared image."),)

    @staticmethod
    def compute(ctx: Any, key: str) -> Image:
        return _IMAGES[f"{key}@{int(ctx.frame)}"] if f"{key}@{int(ctx.frame)}" in _IMAGES else _IMAGES[key]


def best_ms(function: Callable[[], Any], repeats: int) -> float:
    function()  # warm caches and lazy imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def oiiotool_ms(args: list[str], src: Path, repeats: int) -> float:
    """Best wall time of `oiiotool SRC ARGS -o out.exr` (float, uncompressed): file I/O included."""
    out = src.with_name("out.exr")
    command = [str(OIIOTOOL), str(src), *args, "-d", "float", "--compression", "none", "-o", str(out)]
    return best_ms(lambda: subprocess.run(command, check=True, capture_output=True), repeats)


def picture(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pixels = rng.random((height, width, 4), dtype=np.float32)
    pixels[..., :3] *= pixels[..., 3:4]
    return pixels


def interleaved(functions: list[Callable[[], Any] | None], repeats: int) -> list[float | None]:
    """Best ms of each function, timed in turns so a change in the machine's load hits all alike."""
    for function in functions:
        if function is not None:
            function()  # warm caches and lazy imports
    best: list[float | None] = [None if f is None else float("inf") for f in functions]
    for _ in range(repeats):
        for index, function in enumerate(functions):
            if function is None:
                continue
            start = time.perf_counter()
            function()
            best[index] = min(best[index], 1000 * (time.perf_counter() - start))  # type: ignore[type-var]
    return best


Case = tuple[str, Any, float, Any, Any, "list[str] | None", str]
"""(name, node, frame, direct call, ImageBufAlgo call, oiiotool arguments, what the direct call is)."""


def bench_arguments(description: str) -> argparse.Namespace:
    """The options every per-node benchmark takes: --size, --repeats, --no-oiiotool."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-oiiotool", action="store_true")
    return parser.parse_args()


def bench_document(width: int, height: int) -> tuple[nc.Document, np.ndarray, np.ndarray, Any, Any]:
    """A document whose Given nodes return two prepared pictures a and b: (doc, a, b, node a, node b)."""
    fmt = Box(0, 0, width, height)
    a, b = picture(width, height, 1), picture(width, height, 2)
    _IMAGES["a"] = Image(a, RGBA, fmt).freeze()
    _IMAGES["b"] = Image(b, RGBA, fmt).freeze()
    doc = nc.Document(NodeRegistry([*NODE_TYPES, Given]))
    doc.format = Format(width, height)
    return doc, a, b, doc.add("Given", key="a"), doc.add("Given", key="b")


def measure(doc: nc.Document, cases: list[Case], picture_a: np.ndarray, args: argparse.Namespace
            ) -> tuple[list[tuple], float | None]:
    """Time each case (node, direct call and IBA in turns; oiiotool on `picture_a`): rows, oiiotool floor."""
    rows = []
    tool_floor = None
    tool_repeats = max(2, args.repeats // 2)
    with tempfile.TemporaryDirectory() as folder:
        exr = Path(folder) / "a.exr"
        if not args.no_oiiotool:
            oiio.ImageBuf(picture_a).write(str(exr), "float")
            tool_floor = oiiotool_ms([], exr, tool_repeats)
        for name, node, frame, direct, iba, tool_args, what in cases:
            ours, direct_ms, iba_ms = interleaved(
                [lambda node=node, frame=frame: Evaluator(doc).evaluate(node, frame), direct, iba], args.repeats)
            tool = oiiotool_ms(tool_args, exr, tool_repeats) if tool_args and not args.no_oiiotool else None
            rows.append((name, ours, direct_ms, iba_ms, tool, what))
    return rows, tool_floor


def print_table(title: str, rows: list[tuple], tool_floor: float | None, repeats: int, name_width: int = 24) -> None:
    """The rows measured by `measure`, then oiiotool's read+write floor."""
    print(f"\n{title} (ms per frame, best of {repeats}, node and direct call timed in turns)")
    print(f"{'node':<{name_width}} {'node':>8} {'direct':>8} {'ratio':>6} {'IBA':>8} {'oiiotool':>9}  direct call")
    for name, ours, direct_ms, iba_ms, tool, what in rows:
        ratio = f"{ours / direct_ms:6.2f}" if direct_ms else "     -"
        cells = [f"{v:8.1f}" if v is not None else "       -" for v in (ours, direct_ms, iba_ms)]
        tool_cell = f"{tool:9.1f}" if tool is not None else "        -"
        print(f"{name:<{name_width}} {cells[0]} {cells[1]} {ratio} {cells[2]} {tool_cell}  {what}")
    if tool_floor is not None:
        print(f"oiiotool reading and writing the same file with no operation: {tool_floor:.1f} ms")


def main() -> None:
    args = bench_arguments(__doc__.splitlines()[0])
    width, height = (int(v) for v in args.size.split("x"))
    fmt = Box(0, 0, width, height)
    doc, a, b, src_a, src_b = bench_document(width, height)
    _IMAGES["clip@1"], _IMAGES["clip@2"] = _IMAGES["a"], _IMAGES["b"]
    clip = doc.add("Given", key="clip")

    to = ((40.0, 25.0), (width - 60.0, 10.0), (width - 20.0, height - 30.0), (15.0, height - 5.0))
    corners = ((0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height)))
    pin = pin_matrix(corners, to)
    pin_map = index_map(pin, fmt, fmt)
    h_text = ",".join(f"{v:.10g}" for v in pin.T.flatten())
    weights_x = edge_weights(100.0, width - 100.0, 100, width - 200, 20.0)
    weights_y = edge_weights(50.0, height - 50.0, 50, height - 100, 20.0)
    shift = np.array([[1.0, 0.0, -2.37], [0.0, 1.0, 1.61]])  # index map of a stabilise by (2.37, -1.61)
    tracker = doc.add("Tracker", src_a, mode="stabilise", reference_frame=1)
    tracker.set_key("feature1_position", 1, (500.0, 400.0), interp="linear")
    tracker.set_key("feature1_position", 2, (502.37, 398.39), interp="linear")
    pins = {f"to{i + 1}": p for i, p in enumerate(to)}
    box = {"top_left": (100.0, 50.0), "bottom_right": (width - 100.0, height - 50.0)}
    buf = oiio.ImageBuf(a)

    def warp(flags: int) -> Callable[[], Any]:
        return lambda: cv2.warpPerspective(a, pin_map, (width, height), flags=flags | cv2.WARP_INVERSE_MAP)

    # (name, node, frame, direct call, ImageBufAlgo call, oiiotool arguments, what the direct call is)
    cases: list[Case] = [
        ("Mirror horizontal", doc.add("Mirror", src_a), 1.0, lambda: np.ascontiguousarray(a[:, ::-1]),
         lambda: IBA.flop(buf), ["--flop"], "np.ascontiguousarray(x[:, ::-1])"),
        ("Mirror vertical", doc.add("Mirror", src_a, horizontal=False, vertical=True), 1.0,
         lambda: np.ascontiguousarray(a[::-1]), lambda: IBA.flip(buf), ["--flip"], "np.ascontiguousarray(x[::-1])"),
        ("Crop (whole pixels)", doc.add("Crop", src_a, **box), 1.0,
         lambda: np.ascontiguousarray(a[50:-50, 100:-100]),
         lambda: IBA.crop(buf, oiio.ROI(100, width - 100, 50, height - 50)),
         ["--crop", f"{width - 200}x{height - 100}+100+50"], "np.ascontiguousarray(x[50:-50, 100:-100])"),
        ("Crop softness 20", doc.add("Crop", src_a, softness=20.0, **box), 1.0,
         lambda: a[50:-50, 100:-100] * (weights_y[:, None, None] * weights_x[None, :, None]), None, None,
         "x[box] * outer(wy, wx)"),
        ("Position (5, -3)", doc.add("Position", src_a, translate=(5.0, -3.0)), 1.0, None, None, None,
         "(moves the data window, no pixel work)"),
        ("CornerPin bilinear", doc.add("CornerPin", src_a, filter="bilinear", **pins), 1.0, warp(cv2.INTER_LINEAR),
         lambda: IBA.warp(buf, tuple(pin.T.flatten()), filtername="triangle"), ["--warp:filter=triangle", h_text],
         "cv2.warpPerspective(INTER_LINEAR)"),
        ("CornerPin cubic", doc.add("CornerPin", src_a, filter="cubic", **pins), 1.0, warp(cv2.INTER_CUBIC),
         lambda: IBA.warp(buf, tuple(pin.T.flatten()), filtername="catmull-rom"),
         ["--warp:filter=catmull-rom", h_text], "cv2.warpPerspective(INTER_CUBIC)"),
        ("Tracker stabilise cubic", tracker, 2.0,
         lambda: cv2.warpAffine(a, shift, (width, height), flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP),
         None, None, "cv2.warpAffine(INTER_CUBIC)"),
        ("Dissolve 0.3", doc.add("Dissolve", src_a, src_b, which=0.3), 1.0,
         lambda: cv2.addWeighted(a, 0.7, b, 0.3, 0.0), None, None, "cv2.addWeighted(a, 0.7, b, 0.3, 0)"),
        ("Retime blend (1.5)", doc.add("Retime", clip, timing="source_frame", source_frame=1.5), 1.0,
         lambda: cv2.addWeighted(a, 0.5, b, 0.5, 0.0), None, None, "cv2.addWeighted(f1, 0.5, f2, 0.5, 0)"),
        ("Stats (data window)", doc.add("Stats", src_a), 1.0, lambda: IBA.computePixelStats(oiio.ImageBuf(a)),
         lambda: IBA.computePixelStats(buf), ["--stats"], "computePixelStats(ImageBuf(x)); IBA: on a ready buffer"),
    ]
    rows, tool_floor = measure(doc, cases, a, args)
    held = doc.add("Mirror", clip)
    hold = doc.add("FrameHold", held, first_frame=1)
    ev = Evaluator(doc)
    for frame in (1, 2, 3):
        ev.evaluate(hold, frame)
    print_table(f"Transform extras, time and utility nodes at {width}x{height} RGBA float32", rows, tool_floor,
                args.repeats)
    print(f"FrameHold over frames 1-3: the held branch computed {ev.stats.computes.get(held.name, 0)} time(s), "
          f"FrameHold {ev.stats.computes.get(hold.name, 0)} times.")


if __name__ == "__main__":
    main()
