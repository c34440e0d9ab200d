"""Per-node cost of the everyday ops (Grade, Merge, Blur, Transform, Defocus) at 2K, next to the direct call.

    .venv/bin/python benchmarks/nodes_core.py [--size 1920x1080] [--repeats 7] [--no-oiiotool]

Same method as `nodes_transform.py` (whose harness it uses): ms per frame through the engine
(plan, hash, compute, freeze; the input is a ready image, so nothing upstream is timed), the
direct OpenCV / numpy call doing the same maths on the same array, their ratio, the in-process
ImageBufAlgo equivalent, and oiiotool (whole command: read, op, write; its read+write floor is
printed below the table). Node and direct call are timed in turns, best of `--repeats`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nodes_transform import bench_arguments, bench_document, measure, print_table  # noqa: E402

from nodecomp.nodes.filter.blur import gaussian_radius  # noqa: E402
from nodecomp.nodes.transform.transform import transform_matrix  # noqa: E402


def main() -> None:
    args = bench_arguments(__doc__.splitlines()[0])
    width, height = (int(v) for v in args.size.split("x"))
    doc, a, b, src_a, src_b = bench_document(width, height)
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
    rows, tool_floor = measure(doc, [(name, node, 1.0, *rest) for name, node, *rest in cases], a, args)
    print_table(f"Everyday ops at {width}x{height} RGBA float32", rows, tool_floor, args.repeats, name_width=34)

if __name__ == "__main__":
    main()
