"""Per-node cost of the everyday ops (Grade, Merge, Blur, Transform, Defocus) at 2K, next to the direct call.

    .venv/bin/python benchmarks/nodes_core.py [--size 1920x1080] [--repeats 7] [--no-oiiotool]

Same method as `nodes_transform.py` (whose harness it uses): ms per frame through the engine
(plan, hash, compute, freeze; the input is a ready image, so nothing upstream is timed), the
direct OpenCV / numpy call doing the same maths on the same array, their ratio, the in-process
ImageBufAlgo equivalent, and oiiotool (whole command: read, op, write; its read+write floor is
printed below the table). Node and direct call are timed in turns, best of `--repeats`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nodes_transform import _IMAGES, Given, interleaved, oiiotool_ms, picture  # noqa: E402

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from nodecomp.nodes.filter.blur import gaussian_radius  # noqa: E402
from nodecomp.nodes.transform.transform import transform_matrix  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-oiiotool", action="store_true")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    repeats = args.repeats
    fmt = Box(0, 0, width, height)
    a, b = picture(width, height, 1), picture(width, height, 2)
    _IMAGES["a"] = Image(a, RGBA, fmt).freeze()
    _IMAGES["b"] = Image(b, RGBA, fmt).freeze()
    doc = nc.Document(NodeRegistry([*NODE_TYPES, Given]))
    doc.format = Format(width, height)
    src_a, src_b = doc.add("Given", key="a"), doc.add("Given", key="b")
    buf_a, buf_b = oiio.ImageBuf(a), oiio.ImageBuf(b)

    gain, inv_gamma = np.float32(1.2), np.float32(1 / 1.1)

    def grade_direct() -> np.ndarray:  # multiply then gamma on R, G, B; alpha copied
        out = a.copy()
        rgb = np.maximum(a[..., :3] * gain, 0.0)
        out[..., :3] = np.exp(inv_gamma * np.log(rgb, where=rgb > 0, out=np.zeros_like(rgb)))
        return out

    def over_direct() -> np.ndarray:  # A + B (1 - A.alpha), premultiplied
        return a + b * (1.0 - a[..., 3:4])

    sigma = 4.0
    radius = gaussian_radius(sigma)
    gauss = IBA.make_kernel("gaussian", 2 * radius + 1, 2 * radius + 1)
    matrix = transform_matrix((12.0, -7.0), 10.0, (1.1, 1.1), (width / 2, height / 2), invert=True)

    def defocus_kernel(size: int) -> np.ndarray:
        disc = np.zeros((2 * size + 1, 2 * size + 1), np.float32)
        cv2.circle(disc, (size, size), size, 1.0, -1, lineType=cv2.LINE_AA)
        return disc / disc.sum()

    disc = defocus_kernel(5)
    cases: list[tuple[str, Any, Any, Any, list[str] | None, str]] = [
        ("Grade multiply+gamma", doc.add("Grade", src_a, multiply=(1.2, 1.2, 1.2, 1.0), gamma=(1.1, 1.1, 1.1, 1.0)),
         grade_direct, lambda: IBA.pow(IBA.mul(buf_a, (1.2, 1.2, 1.2, 1.0)), (1 / 1.1, 1 / 1.1, 1 / 1.1, 1.0)),
         ["--mulc", "1.2,1.2,1.2,1", "--powc", f"{1 / 1.1:.6f},{1 / 1.1:.6f},{1 / 1.1:.6f},1"],
         "numpy a*g, exp(log/gamma) on RGB"),
        ("Merge over", doc.add("Merge", src_a, src_b, operation="over"), over_direct,
         lambda: IBA.over(buf_a, buf_b), None, "numpy a + b * (1 - a.alpha)"),
        ("Merge plus", doc.add("Merge", src_a, src_b, operation="plus"), lambda: cv2.add(a, b),
         lambda: IBA.add(buf_a, buf_b), None, "cv2.add(a, b)"),
        ("Blur gaussian 4", doc.add("Blur", src_a, size=(sigma, sigma)),
         lambda: cv2.GaussianBlur(a, (2 * radius + 1, 2 * radius + 1), sigma, borderType=cv2.BORDER_CONSTANT),
         lambda: IBA.convolve(buf_a, gauss), ["--blur", f"{2 * radius + 1}x{2 * radius + 1}"],
         "cv2.GaussianBlur"),
        ("Blur box 9", doc.add("Blur", src_a, size=(9.0, 9.0), filter="box"),
         lambda: cv2.blur(a, (9, 9), borderType=cv2.BORDER_CONSTANT),
         lambda: IBA.convolve(buf_a, IBA.make_kernel("box", 9, 9)), None, "cv2.blur"),
        ("Transform rot 10 scale 1.1 cubic",
         doc.add("Transform", src_a, translate=(12.0, -7.0), rotate=10.0, scale=(1.1, 1.1),
                 center=(width / 2, height / 2), filter="cubic"),
         lambda: cv2.warpAffine(a, matrix[:2], (width, height), flags=cv2.INTER_CUBIC),
         lambda: IBA.warp(buf_a, tuple(np.linalg.inv(matrix).T.flatten()), filtername="catmull-rom"),
         ["--warp:filter=catmull-rom", ",".join(f"{v:.10g}" for v in np.linalg.inv(matrix).T.flatten())],
         "cv2.warpAffine(INTER_CUBIC)"),
        ("Transform translate 12.5", doc.add("Transform", src_a, translate=(12.5, 0.0), filter="bilinear"),
         lambda: cv2.warpAffine(a, np.float64([[1, 0, -12.5], [0, 1, 0]]), (width, height), flags=cv2.INTER_LINEAR),
         None, None, "cv2.warpAffine(INTER_LINEAR)"),
        ("Defocus size 5", doc.add("Defocus", src_a, size=5.0),
         lambda: cv2.filter2D(a, -1, disc, borderType=cv2.BORDER_CONSTANT),
         lambda: IBA.convolve(buf_a, oiio.ImageBuf(disc[..., None].copy())), None, "cv2.filter2D(11x11 disc)"),
    ]
    rows = []
    tool_floor = None
    with tempfile.TemporaryDirectory() as folder:
        exr = Path(folder) / "a.exr"
        if not args.no_oiiotool:
            buf_a.write(str(exr), "float")
            tool_floor = oiiotool_ms([], exr, max(2, repeats // 2))
        for name, node, direct, iba, tool_args, what in cases:
            ours, direct_ms, iba_ms = interleaved(
                [lambda node=node: Evaluator(doc).evaluate(node, 1.0), direct, iba], repeats)
            tool = oiiotool_ms(tool_args, exr, max(2, repeats // 2)) if tool_args and not args.no_oiiotool else None
            rows.append((name, ours, direct_ms, iba_ms, tool, what))
    print(f"\nEveryday ops at {width}x{height} RGBA float32 "
          f"(ms per frame, best of {repeats}, node and direct call timed in turns)")
    print(f"{'node':<34} {'node':>8} {'direct':>8} {'ratio':>6} {'IBA':>8} {'oiiotool':>9}  direct call")
    for name, ours, direct_ms, iba_ms, tool, what in rows:
        ratio = f"{ours / direct_ms:6.2f}" if direct_ms else "     -"
        cells = [f"{v:8.1f}" if v is not None else "       -" for v in (ours, direct_ms, iba_ms)]
        tool_cell = f"{tool:9.1f}" if tool is not None else "        -"
        print(f"{name:<34} {cells[0]} {cells[1]} {ratio} {cells[2]} {tool_cell}  {what}")
    if tool_floor is not None:
        print(f"oiiotool reading and writing the same file with no operation: {tool_floor:.1f} ms")


if __name__ == "__main__":
    main()
