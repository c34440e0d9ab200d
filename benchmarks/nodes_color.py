"""Colour and channel nodes: ms per 2K frame, next to the direct call, ImageBufAlgo and oiiotool.

    .venv/bin/python benchmarks/nodes_color.py [--width 1920 --height 1080] [--repeat 5] [--only Clamp,Invert]

Every node runs through the engine (plan, hash, compute, freeze; a fresh evaluator per run, so
nothing comes from the cache) on one premultiplied RGBA float32 frame. `direct` is the same
maths written straight in numpy/OpenCV/OCIO on the same array (what a script would do; for
the matrix nodes it is `cv2.transform`, the fastest call we know), `IBA` the ImageBufAlgo
call, `oiiotool` the command-line equivalent on the same pixels as an uncompressed float EXR:
its figure is the command's wall time minus the same command without the operation (read +
write to OIIO's null output), so it is the operation alone. Node, direct and IBA run
round-robin, so a change of machine load hits all three alike. Figures are the best of
`--repeat` runs (oiiotool: of 3; the ACES 2.0 view: one run each), in milliseconds;
`x direct` is node / direct of those best times, `x med` the same ratio of the medians
(steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import statistics
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
import PyOpenColorIO as ocio
from OpenImageIO import ImageBufAlgo as IBA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image, NodeType, String  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from nodecomp.nodes.color.hue_shift import hue_shift_matrix  # noqa: E402

OIIOTOOL = str(Path(sys.executable).parent / "oiiotool")
SRGB = "sRGB Encoded Rec.709 (sRGB)"
DISPLAY, VIEW, ACES_VIEW = "sRGB - Display", "Video (colorimetric)", "ACES 2.0 - SDR 100 nits (Rec.709)"
AP1 = np.array([0.2722287168, 0.6740817658, 0.0536895174], np.float32)
_FRAMES: dict[str, Image] = {}


class Frame(NodeType):
    """Benchmark source: returns a prepared frame."""

    type_id = "bench.Frame"
    category = "Bench"
    params = (String("key", doc="which frame"),)

    @staticmethod
    def compute(ctx: Any, key: str) -> Image:
        return _FRAMES[key]


@dataclass
class Case:
    node: str
    params: dict[str, Any]
    direct: Callable[[np.ndarray], Any] | None = None
    iba: Callable[[oiio.ImageBuf], Any] | None = None
    oiiotool: list[str] | None = None
    second_input: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def timings(fns: list[Callable[[], Any] | None], repeat: int) -> list[list[float]]:
    """Times in ms of each callable (empty for None), run round-robin so load changes hit all alike."""
    for fn in fns:
        if fn is not None:
            fn()  # warm up (processor builds, page faults)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            if fn is not None:
                start = time.perf_counter()
                fn()
                spent.append((time.perf_counter() - start) * 1000.0)
    return times


def write_exr(path: Path, pixels: np.ndarray) -> None:
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "float")
    spec.channelnames = RGBA
    spec.alpha_channel = 3
    spec.attribute("compression", "none")
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec) or not out.write_image(pixels):
        raise OSError(f"cannot write {path}: {oiio.geterror()}")
    out.close()


def write_cube(path: Path, size: int = 33) -> None:
    steps = np.linspace(0.0, 1.0, size)
    b, g, r = np.meshgrid(steps, steps, steps, indexing="ij")
    values = np.stack([r ** 0.9, g ** 1.1, 0.8 * b + 0.1 * r], axis=-1).reshape(-1, 3)
    lines = [f"LUT_3D_SIZE {size}"] + [f"{x:.6f} {y:.6f} {z:.6f}" for x, y, z in values]
    path.write_text("\n".join(lines) + "\n")


def oiiotool_ms(args: list[str], src: Path, out: Path, config: str, repeat: int = 3) -> float:
    def run(extra: list[str]) -> float:
        command = [OIIOTOOL, "--colorconfig", config, "-i:now=1", str(src), *extra, "-o", str(out)]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start

    base = min(run([]) for _ in range(repeat))
    with_op = min(run(args) for _ in range(repeat))
    return max(0.0, with_op - base) * 1000.0


def processor(config: ocio.Config, transform: Any) -> ocio.CPUProcessor:
    return config.getProcessor(transform).getDefaultCPUProcessor()


def cases(config: ocio.Config, cube: Path, config_name: str) -> list[Case]:
    w = AP1
    cc_gamma, cc_gain = np.float32(1 / 1.1), np.float32(1.2)
    matrix = np.array([[0.9, 0.1, 0.0], [0.05, 0.9, 0.05], [0.0, 0.1, 0.9]], np.float32)
    m4 = np.eye(4, dtype=np.float32)
    m4[:3, :3] = matrix
    hue4 = np.eye(4, dtype=np.float32)
    hue4[:3, :3] = hue_shift_matrix(30.0)
    sat4 = np.eye(4, dtype=np.float32)
    sat4[:3, :3] = 1.3 * np.eye(3) + (1 - 1.3) * np.outer(np.ones(3), [0.2126, 0.7152, 0.0722])
    srgb_cpu = processor(config, ocio.ColorSpaceTransform("ACEScg", SRGB))
    video_cpu = processor(config, ocio.DisplayViewTransform(src="ACEScg", display=DISPLAY, view=VIEW))
    aces_cpu = processor(config, ocio.DisplayViewTransform(src="ACEScg", display=DISPLAY, view=ACES_VIEW))
    lut_cpu = processor(ocio.Config.CreateRaw(), ocio.FileTransform(src=str(cube), interpolation=ocio.INTERP_BEST))

    def ocio_direct(cpu: ocio.CPUProcessor) -> Callable[[np.ndarray], Any]:
        return lambda x: cpu.applyRGBA(x.copy())

    def ocio_unpremult(cpu: ocio.CPUProcessor) -> Callable[[np.ndarray], Any]:
        def run(x: np.ndarray) -> np.ndarray:
            out = x.copy()
            alpha = x[..., 3:4]
            np.divide(out[..., :3], alpha, out=out[..., :3], where=alpha != 0)
            cpu.applyRGBA(out)
            np.multiply(out[..., :3], alpha, out=out[..., :3], where=alpha != 0)
            out[..., 3] = x[..., 3]
            return out
        return run

    def color_correct(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        rgb = x[..., :3] * cc_gain
        out[..., :3] = np.where(rgb > 0, np.power(np.maximum(rgb, 0), cc_gamma), rgb)
        return out

    def hue_correct(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        hsv = cv2.cvtColor(np.ascontiguousarray(x[..., :3]), cv2.COLOR_RGB2HSV)
        gain = 1 + (np.interp(hsv[..., 0], [0, 120, 240, 360], [1, 1.5, 1, 1]).astype(np.float32) - 1) * hsv[..., 1]
        grey = (x[..., :3] @ w)[..., None]
        out[..., :3] = grey + gain[..., None] * (x[..., :3] - grey)
        return out

    def premult(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        out[..., :3] *= x[..., 3:4]
        return out

    def unpremult(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        np.divide(x[..., :3], x[..., 3:4], out=out[..., :3], where=x[..., 3:4] != 0)
        return out

    def copy_alpha(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        out[..., 3] = x[..., 0]
        return out

    def channel_union(x: np.ndarray) -> np.ndarray:
        out = x.copy()
        a = x[..., 3]
        out[..., 3] = a + a - a * a
        return out

    def add_channels(x: np.ndarray) -> np.ndarray:
        out = np.empty((*x.shape[:2], 5), np.float32)
        out[..., :4] = x
        out[..., 4] = 0
        return out

    def contact_sheet(x: np.ndarray) -> np.ndarray:
        out = np.zeros_like(x)
        out[4:536, 4:950, :3] = cv2.resize(np.ascontiguousarray(x[..., :3]), (946, 532), interpolation=cv2.INTER_AREA)
        out[4:536, 966:1912, :3] = cv2.resize(np.ascontiguousarray(np.repeat(x[..., 3:4], 3, axis=2)), (946, 532),
                                              interpolation=cv2.INTER_AREA)
        return out

    return [
        Case("ColorCorrect", {"master_gain": 1.2, "master_gamma": 1.1}, color_correct, note="master gain+gamma"),
        Case("ColorCorrect", {"master_gain": 1.2, "shadows_offset": 0.01, "highlights_saturation": 0.8},
             color_correct, note="master + shadows + highlights"),
        Case("Saturation", {"saturation": 1.3, "luminance_math": "rec709"}, lambda x: cv2.transform(x, sat4),
             lambda b: IBA.saturate(b, 1.3), ["--saturate", "1.3"]),
        Case("HueShift", {"hue_rotation": 30.0}, lambda x: cv2.transform(x, hue4),
             lambda b: IBA.colormatrixtransform(b, tuple(hue4.T.flatten().tolist()), unpremult=False)),
        Case("Exposure", {"stops": (1.0, 1.0, 1.0, 0.0)}, lambda x: x * np.float32([2, 2, 2, 1]),
             lambda b: IBA.mul(b, (2.0, 2.0, 2.0, 1.0)), ["--mulc", "2,2,2,1"]),
        Case("Clamp", {}, lambda x: np.clip(x, 0.0, 1.0), lambda b: IBA.clamp(b, (0.0,) * 4, (1.0,) * 4),
             ["--clamp:min=0:max=1"]),
        Case("Invert", {}, lambda x: 1.0 - x, lambda b: IBA.invert(b), ["--invert:chbegin=0:chend=4"]),
        Case("ColorMatrix", {"red_row": (0.9, 0.1, 0, 0), "green_row": (0.05, 0.9, 0.05, 0),
                             "blue_row": (0, 0.1, 0.9, 0)}, lambda x: cv2.transform(x, m4),
             lambda b: IBA.colormatrixtransform(b, tuple(m4.T.flatten().tolist()), unpremult=False),
             ["--ccmatrix:unpremult=0:transpose=1", ",".join(f"{v:g}" for v in matrix.flatten())]),
        Case("Premult", {}, premult, lambda b: IBA.premult(b), ["--premult"]),
        Case("Unpremult", {}, unpremult, lambda b: IBA.unpremult(b), ["--unpremult"]),
        Case("HueCorrect", {"saturation": "0:1 120:1.5 240:1"}, hue_correct, note="one curve"),
        Case("OCIOColorSpace", {"out_colorspace": SRGB, "unpremultiply": False}, ocio_direct(srgb_cpu),
             lambda b: IBA.colorconvert(b, "ACEScg", SRGB, unpremult=False, colorconfig=config_name),
             ["--colorconvert:unpremult=0", "ACEScg", SRGB], note="no unpremult"),
        Case("OCIOColorSpace", {"out_colorspace": SRGB}, ocio_unpremult(srgb_cpu),
             lambda b: IBA.colorconvert(b, "ACEScg", SRGB, unpremult=True, colorconfig=config_name),
             ["--colorconvert", "ACEScg", SRGB], note="with unpremult"),
        Case("OCIODisplay", {"display": DISPLAY, "view": VIEW, "unpremultiply": False}, ocio_direct(video_cpu),
             lambda b: IBA.ociodisplay(b, DISPLAY, VIEW, fromspace="ACEScg", unpremult=False,
                                       colorconfig=config_name),
             ["--ociodisplay:from=ACEScg:unpremult=0", DISPLAY, VIEW], note=VIEW),
        Case("OCIODisplay", {"display": DISPLAY, "view": ACES_VIEW, "unpremultiply": False},
             ocio_direct(aces_cpu), None, ["--ociodisplay:from=ACEScg:unpremult=0", DISPLAY, ACES_VIEW],
             note="ACES 2.0 SDR view", extra={"repeat": 1}),
        Case("OCIOFileTransform", {"file": str(cube), "unpremultiply": False}, ocio_direct(lut_cpu),
             lambda b: IBA.ociofiletransform(b, str(cube), unpremult=False, colorconfig=config_name),
             ["--ociofiletransform:unpremult=0", str(cube)], note="33^3 .cube"),
        Case("Shuffle", {"mapping": "R=B B=R A=1"}, lambda x: np.concatenate(
            [x[..., [2, 1, 0]], np.ones((*x.shape[:2], 1), np.float32)], axis=2),
             lambda b: IBA.channels(b, (2, 1, 0, 1.0)), ["--ch", "B,G,R,A=1.0"]),
        Case("Copy", {"channels": "A=R"}, copy_alpha, second_input=True, note="B's R into A's alpha"),
        Case("ChannelMerge", {}, channel_union, second_input=True, note="union of alphas"),
        Case("AddChannels", {"channels": "depth.Z"}, add_channels, None, ["--ch", "R,G,B,A,depth.Z=0.0"]),
        Case("Remove", {"channels": "alpha"}, lambda x: np.ascontiguousarray(x[..., :3]),
             lambda b: IBA.channels(b, (0, 1, 2)), ["--ch", "R,G,B"]),
        Case("LayerContactSheet", {"labels": False}, contact_sheet, note="2 tiles, no labels"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma list of node names to run")
    parser.add_argument("--no-oiiotool", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    pixels = rng.random((args.height, args.width, 4), dtype=np.float32)
    pixels[..., :3] *= pixels[..., 3:4]
    pixels.flags.writeable = False
    doc = nc.Document(NodeRegistry([*NODE_TYPES, Frame]))
    _FRAMES["a"] = Image(pixels, RGBA, Box(0, 0, args.width, args.height)).freeze()
    _FRAMES["b"] = _FRAMES["a"]
    a, b = doc.add("Frame", key="a"), doc.add("Frame", key="b")
    colour = Evaluator(doc).colour
    config, config_name = colour.config, colour.source
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    buf = oiio.ImageBuf(oiio.ImageSpec(args.width, args.height, 4, "float"))
    buf.set_pixels(buf.roi, pixels)
    buf.specmod().alpha_channel = 3

    with tempfile.TemporaryDirectory(prefix="nodes_color_") as tmp:
        tmpdir = Path(tmp)
        src, out, cube = tmpdir / "frame.exr", tmpdir / "out.null", tmpdir / "look.cube"
        write_exr(src, np.ascontiguousarray(pixels))
        write_cube(cube)
        print(f"{args.width}x{args.height} RGBA float32, best of {args.repeat} (ms); OCIO config {config_name}")
        header = (f"{'node':<18} {'case':<30} {'node':>8} {'direct':>8} {'x direct':>8} {'x med':>6} {'IBA':>8} "
                  f"{'oiiotool':>9}")
        print(header)
        print("-" * len(header))
        for case in cases(config, cube, config_name):
            if only and case.node not in only:
                continue
            repeat = case.extra.get("repeat", args.repeat)
            inputs = (a, b) if case.second_input else (a,)
            node = doc.add(case.node, *inputs, **case.params)
            node_t, direct_t, iba_t = timings([
                lambda node=node: Evaluator(doc).evaluate(node, 1),
                (lambda c=case: c.direct(pixels)) if case.direct else None,
                (lambda c=case: c.iba(buf)) if case.iba else None,
            ], repeat)
            node_ms, direct_ms, iba_ms = (min(t) if t else None for t in (node_t, direct_t, iba_t))
            tool_ms = (oiiotool_ms(case.oiiotool, src, out, config_name, min(3, repeat))
                       if case.oiiotool and not args.no_oiiotool else None)

            def cell(value: float | None, width: int = 8) -> str:
                return f"{value:>{width}.1f}" if value is not None else f"{'-':>{width}}"

            ratio = f"{node_ms / direct_ms:>8.2f}" if direct_ms else f"{'-':>8}"
            median = (f"{statistics.median(node_t) / statistics.median(direct_t):>6.2f}" if direct_t
                      else f"{'-':>6}")
            label = case.note or ", ".join(f"{k}={v}" for k, v in case.params.items())
            print(f"{case.node:<18} {label[:30]:<30} {cell(node_ms)} {cell(direct_ms)} {ratio} {median} "
                  f"{cell(iba_ms)} {cell(tool_ms, 9)}", flush=True)


if __name__ == "__main__":
    main()
