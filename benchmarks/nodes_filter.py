"""Filter and draw nodes at 2K: each node against the library call it wraps, OIIO and oiiotool.

For every case the same 1920x1080 RGBA float32 picture goes through:

* ``nodecomp``: the node in a document, pulled by a fresh ``Evaluator`` (plan, hash, compute;
  no cache hit), so the figure includes everything the engine adds;
* ``direct``: the OpenCV/numpy call(s) doing the same maths on the same array;
* ``IBA``: the closest ``OpenImageIO.ImageBufAlgo`` function on an ImageBuf of the array;
* ``oiiotool``: the closest oiiotool operation on a 2K float EXR (uncompressed), reported as
  total wall time minus a plain read+write of the same file, i.e. the operation alone.

Times are the best of ``--repeats`` runs; ``nodecomp`` and ``direct`` run alternately after
one warm-up each, so load from other work on the machine hits both alike.
Peers that do different maths are marked in the notes column (OIIO's Gaussian stops at
2 sigma, its median uses in-image pixels at the edges, its erode/dilate are boxes only...).

    .venv/bin/python benchmarks/nodes_filter.py [--repeats 5] [--skip-oiiotool] [--only Defocus,Median]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image, NodeType, String  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from nodecomp.nodes.draw.roto_shapes import circle_points, shapes_json  # noqa: E402
from nodecomp.nodes.filter.glow import highlights  # noqa: E402
from nodecomp.nodes.filter.kernels import disc_kernel  # noqa: E402

WIDTH, HEIGHT = 1920, 1080
_ARRAYS: dict[str, Image] = {}


class ArraySource(NodeType):
    """Benchmark-only input: returns a prepared image."""

    type_id = "bench.ArraySource"
    params = (String("key", doc="Which prepared image."),)

    @staticmethod
    def compute(ctx: Any, key: str) -> Image:
        """Return the prepared image."""
        return _ARRAYS[key]


def picture(seed: int = 0) -> np.ndarray:
    """A 2K premultiplied RGBA plate: gradients, soft discs with alpha, over-range highlights, grain."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    rgb = np.stack([xs / WIDTH, ys / HEIGHT, 0.5 + 0.5 * np.sin(xs / 90.0) * np.cos(ys / 70.0)], -1)
    alpha = np.zeros((HEIGHT, WIDTH), np.float32)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT), rng.uniform(40, 220)
        alpha = np.maximum(alpha, np.clip((r - np.hypot(xs - cx, ys - cy)) / 8.0, 0, 1))
    rgb += rng.normal(0, 0.02, rgb.shape).astype(np.float32)
    for _ in range(40):
        cx, cy = int(rng.uniform(0, WIDTH)), int(rng.uniform(0, HEIGHT))
        rgb[max(cy - 2, 0):cy + 2, max(cx - 2, 0):cx + 2] = 6.0
    pixels = np.concatenate([rgb * alpha[..., None], alpha[..., None]], -1)
    return np.ascontiguousarray(pixels, dtype=np.float32)


def depth_plane() -> np.ndarray:
    """Depth from 1 (left) to 20 (right), for ZDefocus."""
    return np.broadcast_to(np.linspace(1.0, 20.0, WIDTH, dtype=np.float32)[None, :], (HEIGHT, WIDTH))


def paired_best_ms(first: Callable[[], Any], second: Callable[[], Any] | None, repeats: int) -> tuple[float, float]:
    """Best wall times (ms) of two callables run alternately after a warm-up each.

    Alternating puts both under the same load when other work shares the machine, so their
    ratio stays meaningful even when the absolute figures move.
    """
    first()
    if second is not None:
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            if fn is None:
                continue
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return min(times[0]) * 1000.0, (min(times[1]) * 1000.0 if times[1] else math.nan)


def best_ms(fn: Callable[[], Any], repeats: int, warm: bool = True) -> float:
    """Best wall time of `repeats` calls, in ms."""
    if warm:
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000.0


@dataclass
class Case:
    """One row: a node with params, and its peers on the same pixels."""

    label: str
    node: str
    params: dict[str, Any]
    direct: Callable[[np.ndarray], Any] | None = None
    iba: Callable[[oiio.ImageBuf], Any] | None = None
    oiiotool: list[str] | None = None
    source: str = "rgba"  # "rgba", "rgbaz" or "" (a generator)
    notes: str = ""
    slow_peers: bool = False  # time IBA and oiiotool once
    results: dict[str, float] = field(default_factory=dict)


def _sharpen(x: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(x, (17, 17), 2.0, borderType=cv2.BORDER_REPLICATE)
    return x + (x - blurred)


def _sobel(x: np.ndarray) -> np.ndarray:
    gx = cv2.Sobel(x, cv2.CV_32F, 1, 0, ksize=3, scale=0.125, borderType=cv2.BORDER_REPLICATE)
    gy = cv2.Sobel(x, cv2.CV_32F, 0, 1, ksize=3, scale=0.125, borderType=cv2.BORDER_REPLICATE)
    return cv2.magnitude(gx.reshape(-1), gy.reshape(-1)).reshape(x.shape)


def _soft_erode(x: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(x, (13, 13), 1.5, borderType=cv2.BORDER_REPLICATE)
    return np.interp(blurred, (0.93, 0.977, 0.995), (0.0, 0.5, 1.0)).astype(np.float32)


def _edge_blur(x: np.ndarray) -> np.ndarray:
    smooth = np.clip(cv2.GaussianBlur(x[..., 3], (25, 25), 3.0, borderType=cv2.BORDER_CONSTANT), 0, 1)
    band = np.clip(4 * smooth * (1 - smooth), 0, 1)[..., None]
    blurred = cv2.GaussianBlur(x, (25, 25), 3.0, borderType=cv2.BORDER_CONSTANT)
    return x + band * (blurred - x)


def _glow(x: np.ndarray) -> np.ndarray:
    glow = cv2.GaussianBlur(highlights(x[..., :3], 0.8), (81, 81), 10.0, borderType=cv2.BORDER_CONSTANT)
    out = x.copy()
    out[..., :3] += glow
    return out


def _zdefocus(x: np.ndarray) -> np.ndarray:
    depth = x[..., 4]
    coc = np.clip((np.abs(depth - 5.0)) * 1.0, 0, 12.0)
    level = coc / (12.0 / 5)
    out = np.zeros(x[..., :4].shape, np.float32)
    for index in range(6):
        weight = np.clip(1 - np.abs(level - index), 0, 1)[..., None]
        layer = x[..., :4] if index == 0 else cv2.filter2D(x[..., :4], -1, disc_kernel(12.0 * index / 5),
                                                           borderType=cv2.BORDER_CONSTANT)
        out += layer * weight
    return out


def _fill_circle(_: np.ndarray) -> np.ndarray:
    mask = np.zeros((HEIGHT * 4, WIDTH * 4), np.uint8)
    cv2.circle(mask, (960 * 4, 540 * 4), 400 * 4, 255, -1, cv2.LINE_8)
    return cv2.resize(mask, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def _box(_: np.ndarray) -> np.ndarray:
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.float32)
    pixels[270:810, 480:1440] = 1.0
    return pixels


def _ellipse(_: np.ndarray) -> np.ndarray:
    ys, xs = np.ogrid[0:HEIGHT, 0:WIDTH]
    rho = np.sqrt(((xs + 0.5 - 960) / 400.0) ** 2 + ((ys + 0.5 - 540) / 300.0) ** 2)
    return np.clip((1 - rho) / 0.3, 0, 1)[..., None] * np.float32([1, 1, 1, 1])


def _ramp(_: np.ndarray) -> np.ndarray:
    t = np.broadcast_to(np.linspace(0, 1, WIDTH, dtype=np.float32)[None, :, None], (HEIGHT, WIDTH, 1))
    return np.float32([0, 0, 0, 1]) + t * np.float32([1, 1, 1, 0])


def _checker(_: np.ndarray) -> np.ndarray:
    parity = ((np.arange(HEIGHT)[:, None] // 64 + np.arange(WIDTH)[None, :] // 64) & 1).astype(bool)
    return np.where(parity[..., None], np.float32([0.5, 0.5, 0.5, 1]), np.float32([0.1, 0.1, 0.1, 1]))


def _text_iba(_: Any) -> Any:
    buffer = oiio.ImageBuf(oiio.ImageSpec(WIDTH, HEIGHT, 1, "float"))
    IBA.render_text(buffer, 100, 1000, "SHOT 010  frame 1001", 60, "DroidSans", (1.0,))
    return buffer


def _defocus_iba(buf: oiio.ImageBuf) -> Any:
    return IBA.convolve(buf, _kernel_buffer(disc_kernel(5.0)))


def _kernel_buffer(kernel: np.ndarray) -> oiio.ImageBuf:
    half = len(kernel) // 2
    spec = oiio.ImageSpec(len(kernel), len(kernel), 1, "float")
    spec.x = spec.y = -half
    spec.full_x = spec.full_y = -half
    spec.full_width = spec.full_height = len(kernel)
    buffer = oiio.ImageBuf(spec)
    buffer.set_pixels(buffer.roi, np.ascontiguousarray(kernel[..., None]))
    return buffer


CASES = [
    Case("Defocus size 5", "Defocus", {"size": 5.0},
         direct=lambda x: cv2.filter2D(x, -1, disc_kernel(5.0), borderType=cv2.BORDER_CONSTANT),
         iba=_defocus_iba, oiiotool=["--kernel", "disk", "10x10", "--convolve"], slow_peers=True,
         notes="IBA: the same 11x11 disc; oiiotool: OIIO's 10 px 'disk' kernel (not antialiased)"),
    Case("Defocus size 10", "Defocus", {"size": 10.0},
         direct=lambda x: cv2.filter2D(x, -1, disc_kernel(10.0), borderType=cv2.BORDER_CONSTANT),
         notes="peers skipped: OIIO's 21x21 convolve takes ~20 s"),
    Case("Defocus size 30", "Defocus", {"size": 30.0},
         direct=lambda x: cv2.filter2D(x, -1, disc_kernel(30.0), borderType=cv2.BORDER_CONSTANT),
         notes="OpenCV switches to a DFT: time barely grows with size"),
    Case("Sharpen size 2", "Sharpen", {"size": 2.0, "channels": "rgba"}, direct=_sharpen,
         iba=lambda b: IBA.unsharp_mask(b, "gaussian", 8.0, 1.0, 0.0),
         oiiotool=["--unsharp:kernel=gaussian:width=8"], notes="OIIO's Gaussian stops at 2 sigma"),
    Case("EdgeDetect sobel", "EdgeDetect", {}, direct=_sobel),
    Case("EdgeDetect laplacian", "EdgeDetect", {"method": "laplacian"},
         direct=lambda x: np.abs(cv2.Laplacian(x, cv2.CV_32F, ksize=1, borderType=cv2.BORDER_REPLICATE)),
         iba=lambda b: IBA.laplacian(b), oiiotool=["--laplacian"], notes="OIIO's laplacian is signed"),
    Case("Erode minmax 3", "Erode", {"size": (3.0, 3.0)}, direct=lambda x: cv2.erode(x, np.ones((7, 7), np.uint8)),
         iba=lambda b: IBA.erode(b, 7, 7), oiiotool=["--erode", "7x7"]),
    Case("Dilate minmax 3", "Dilate", {"size": (3.0, 3.0)},
         direct=lambda x: cv2.dilate(x, np.ones((7, 7), np.uint8)),
         iba=lambda b: IBA.dilate(b, 7, 7), oiiotool=["--dilate", "7x7"]),
    Case("Erode filter 3", "Erode", {"size": (3.0, 3.0), "mode": "filter"}, direct=_soft_erode),
    Case("EdgeBlur size 3", "EdgeBlur", {"size": 3.0}, direct=_edge_blur),
    Case("Median size 1 (3x3)", "Median", {"size": 1}, direct=lambda x: cv2.medianBlur(x, 3),
         iba=lambda b: IBA.median_filter(b, 3, 3), oiiotool=["--median", "3x3"]),
    Case("Median size 2 (5x5)", "Median", {"size": 2}, direct=lambda x: cv2.medianBlur(x, 5),
         iba=lambda b: IBA.median_filter(b, 5, 5), oiiotool=["--median", "5x5"]),
    Case("Median size 3 (7x7)", "Median", {"size": 3}, direct=None,
         iba=lambda b: IBA.median_filter(b, 7, 7), oiiotool=["--median", "7x7"],
         notes="OpenCV has no float32 7x7 median: numpy selection"),
    Case("Glow size 10", "Glow", {}, direct=_glow),
    Case("ZDefocus 6 layers, max 12", "ZDefocus",
         {"focal_plane": 5.0, "size": 1.0, "max_size": 12.0, "layers": 6}, direct=_zdefocus, source="rgbaz"),
    Case("Roto circle r=400", "Roto", {"shapes": shapes_json({"points": circle_points((960, 540), 400)})},
         direct=_fill_circle, source="", notes="direct: cv2.circle on a 4x mask + INTER_AREA"),
    Case("Roto circle r=400 feather 20", "Roto",
         {"shapes": shapes_json({"points": circle_points((960, 540), 400)}), "feather": 20.0},
         direct=None, source=""),
    Case("Rectangle softness 20", "Rectangle", {"softness": 20.0},
         direct=_box, source="", notes="direct: a hard-edged slice fill"),
    Case("Radial softness 0.3", "Radial", {"radius": (400.0, 300.0), "softness": 0.3, "falloff": "linear"},
         direct=_ellipse, source=""),
    Case("Ramp", "Ramp", {}, direct=_ramp, source=""),
    Case("Noise 6 octaves", "Noise", {}, source="", notes="no library peer (IBA/oiiotool noise is white noise)"),
    Case("CheckerBoard", "CheckerBoard", {}, direct=_checker, source="",
         iba=lambda _: IBA.checker(64, 64, 1, (0.1, 0.1, 0.1, 1), (0.5, 0.5, 0.5, 1), 0, 0, 0,
                                   oiio.ROI(0, WIDTH, 0, HEIGHT, 0, 1, 0, 4))),
    Case("ColorBars", "ColorBars", {}, source=""),
    Case("Text 60 px", "Text", {"message": "SHOT 010  frame [frame:04d]", "size": 60.0, "position": (100.0, 1000.0)},
         iba=_text_iba, source="", notes="IBA: render_text into a 1-channel 2K buffer"),
]


def node_runner(case: Case, images: dict[str, Image]) -> Callable[[], Image]:
    """A callable evaluating the case's node with a fresh evaluator (no cache hit)."""
    registry = NodeRegistry([*NODE_TYPES, ArraySource])
    doc = nc.Document(registry)
    inputs = [doc.add("ArraySource", key=case.source)] if case.source else []
    node = doc.add(case.node, *inputs, **case.params)
    return lambda: Evaluator(doc).evaluate(node, 1001.0)


def oiiotool_ms(tool: str, exr: Path, args: list[str], repeats: int) -> float:
    """Wall time of `oiiotool exr ARGS -o out`, best of `repeats`, in ms."""
    out = exr.with_name("out.exr")
    command = [tool, str(exr), *args, "--compression", "none", "-o", str(out)]
    return best_ms(lambda: subprocess.run(command, check=True, capture_output=True), repeats, warm=False)


def write_exr(path: Path, pixels: np.ndarray) -> None:
    """An uncompressed float EXR (so oiiotool's I/O stays small next to the operation)."""
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "float")
    spec.channelnames = RGBA
    spec.attribute("compression", "none")
    output = oiio.ImageOutput.create(str(path))
    if output is None or not output.open(str(path), spec) or not output.write_image(pixels):
        raise OSError(f"cannot write {path}: {oiio.geterror()}")
    output.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-oiiotool", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated node names")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}

    rgba = picture()
    _ARRAYS["rgba"] = Image(rgba, RGBA, Box(0, 0, WIDTH, HEIGHT)).freeze()
    rgbaz = np.ascontiguousarray(np.concatenate([rgba, depth_plane()[..., None]], -1))
    _ARRAYS["rgbaz"] = Image(rgbaz, (*RGBA, "depth.Z"), Box(0, 0, WIDTH, HEIGHT)).freeze()
    buffer = oiio.ImageBuf(oiio.ImageSpec(WIDTH, HEIGHT, 4, "float"))
    buffer.set_pixels(buffer.roi, rgba)

    tool = shutil.which("oiiotool") or str(Path(sys.executable).with_name("oiiotool"))
    workdir = Path(tempfile.mkdtemp(prefix="nodes_filter_"))
    io_ms = None
    if not args.skip_oiiotool and os.path.exists(tool):
        exr = workdir / "src.exr"
        write_exr(exr, rgba)
        io_ms = oiiotool_ms(tool, exr, [], args.repeats)

    rows = []
    for case in CASES:
        if only and case.node not in only:
            continue
        arrays = {"rgba": rgba, "rgbaz": rgbaz, "": rgba}[case.source]
        direct = (lambda c=case, a=arrays: c.direct(a)) if case.direct else None
        node_ms, direct_ms = paired_best_ms(node_runner(case, _ARRAYS), direct, args.repeats)
        peer_repeats = 1 if case.slow_peers else max(1, args.repeats - 1)
        iba_ms = best_ms(lambda c=case: c.iba(buffer), peer_repeats, warm=False) if case.iba else math.nan
        tool_ms = math.nan
        if case.oiiotool and io_ms is not None:
            tool_ms = max(0.0, oiiotool_ms(tool, workdir / "src.exr", case.oiiotool, peer_repeats) - io_ms)
        rows.append((case.label, node_ms, direct_ms, iba_ms, tool_ms, case.notes))
    shutil.rmtree(workdir, ignore_errors=True)

    def cell(value: float) -> str:
        return "-" if math.isnan(value) else f"{value:,.0f}"

    print(f"1920x1080 RGBA float32, best of {args.repeats}; cv2 threads {cv2.getNumThreads()}, "
          f"{os.cpu_count()} cores; oiiotool I/O baseline {cell(io_ms if io_ms is not None else math.nan)} ms")
    print("| node | nodecomp ms | direct ms | node/direct | IBA ms | oiiotool ms (op only) | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, node_ms, direct_ms, iba_ms, tool_ms, notes in rows:
        ratio = "-" if math.isnan(direct_ms) else f"{node_ms / direct_ms:.2f}"
        timings = " | ".join(cell(v) for v in (node_ms, direct_ms))
        print(f"| {label} | {timings} | {ratio} | {cell(iba_ms)} | {cell(tool_ms)} | {notes} |")


if __name__ == "__main__":
    main()
