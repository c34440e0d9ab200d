"""Keyer benchmark: ms per 2K frame and alpha error of each keyer on the synthetic green-screen set.

    .venv/bin/python benchmarks/keyers.py [--width 1920 --height 1080] [--repeats 3]
    .venv/bin/python benchmarks/keyers.py --model matte.safetensors   # AIMatte with your model
    .venv/bin/python benchmarks/keyers.py --picture docs/images/keying_before_after.png

The set is three shots from `plugins.keyers.synthetic` (hair strands, motion blur, defocus, a
veil, spill): an evenly lit green screen, an unevenly lit one (0.72 to 1.15 of nominal), and a
blue screen. Each keyer runs as a nodecomp graph (a source node holding the plate, then the
keyer), timed from a fresh evaluator (no cache) as the best of `repeats` runs per shot. The
peers, in the same run: `numpy floor`, the bare colour-difference formula 1 - d(I)/d(S) clipped
to 0..1 in a few lines of numpy (the speed floor, no core matte, despill or unmix), and `binary`,
that key thresholded at 0.5 (what a hard key gets). Errors: SAD in thousands (alphamatting.com's
unit, at the benchmark's size), MSE over the frame and over the soft transition region.

AIMatte runs the model given with --model (any format the node reads); without one, a MatteUNet
is first trained for --train-steps steps on synthetic pairs of other seeds (the table says how
long), so its error measures that short training, not what the architecture can reach. It runs
on the CPU, and also on CUDA (fp32 and fp16) when torch sees a GPU.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.api import RGBA, Box, Image, NodeType, String  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.nodes import NODE_TYPES  # noqa: E402
from plugins.keyers import plugin  # noqa: E402
from plugins.keyers.screen import auto_screen_colour, difference, primary_channel  # noqa: E402
from plugins.keyers.synthetic import SCREEN_BLUE, Shot, make_shot, matte_errors  # noqa: E402

_PLATES: dict[str, Image] = {}


class Plate(NodeType):
    """Benchmark source: returns a plate held in memory (reading files is not what is measured)."""

    type_id = "bench.Plate"
    category = "Bench"
    params = (String("key", doc="Which plate."),)

    @staticmethod
    def compute(ctx: Any, key: str) -> Image:
        return _PLATES[key]


def shots(width: int, height: int) -> dict[str, Shot]:
    return {
        "even": make_shot(width, height, seed=1),
        "uneven": make_shot(width, height, seed=2, uneven=True),
        "blue": make_shot(width, height, seed=3, screen=SCREEN_BLUE),
    }


def _document(shot_name: str, shot: Shot) -> tuple[nc.Document, Any]:
    height, width = shot.alpha.shape
    pixels = np.empty((height, width, 4), np.float32)
    pixels[..., :3], pixels[..., 3] = shot.plate, 1.0
    _PLATES[shot_name] = Image(pixels, RGBA, Box(0, 0, width, height)).freeze()
    doc = nc.Document(NodeRegistry([*NODE_TYPES, Plate, *plugin.node_types]))
    return doc, doc.add("Plate", key=shot_name)


def graph_variant(build: Callable[[nc.Document, Any, Shot], Any]) -> Callable[[str, Shot, int], tuple[float, Any]]:
    """A variant that builds a nodecomp graph and times evaluating its last node."""

    def run(shot_name: str, shot: Shot, repeats: int) -> tuple[float, np.ndarray]:
        doc, plate = _document(shot_name, shot)
        node = build(doc, plate, shot)
        best, result = float("inf"), None
        for _ in range(repeats):
            evaluator = Evaluator(doc)
            evaluator.evaluate(plate, 1)  # the source is not what is timed
            start = time.perf_counter()
            result = evaluator.evaluate(node, 1)
            best = min(best, time.perf_counter() - start)
        return best, result.pixels[..., 3] if "A" in result.channels else None

    return run


def numpy_floor(plate: np.ndarray) -> np.ndarray:
    """The bare colour-difference key: 1 - d(I) / d(S), screen colour estimated, clipped to 0..1."""
    screen = np.asarray(auto_screen_colour(plate), np.float32)
    primary = primary_channel(screen)
    return np.clip(1.0 - difference(plate, primary, 0.5) / difference(screen, primary, 0.5), 0.0, 1.0)


def array_variant(fn: Callable[[np.ndarray], np.ndarray]) -> Callable[[str, Shot, int], tuple[float, Any]]:
    def run(shot_name: str, shot: Shot, repeats: int) -> tuple[float, np.ndarray]:
        best, alpha = float("inf"), None
        for _ in range(repeats):
            start = time.perf_counter()
            alpha = fn(shot.plate)
            best = min(best, time.perf_counter() - start)
        return best, alpha

    return run


VARIANTS: dict[str, Callable[[str, Shot, int], tuple[float, Any]]] = {
    "DifferenceKeyer": graph_variant(lambda doc, plate, shot: doc.add("DifferenceKeyer", plate)),
    "DifferenceKeyer+CleanPlate": graph_variant(
        lambda doc, plate, shot: doc.add("DifferenceKeyer", plate, doc.add("CleanPlate", plate))),
    "ChromaKeyer": graph_variant(
        lambda doc, plate, shot: doc.add("ChromaKeyer", plate, key_color=(*shot.screen_color, 1.0))),
    "numpy floor": array_variant(numpy_floor),
    "binary": array_variant(lambda plate: (numpy_floor(plate) > 0.5).astype(np.float32)),
    "CleanPlate (no alpha)": graph_variant(lambda doc, plate, shot: doc.add("CleanPlate", plate)),
    "Despill (no alpha)": graph_variant(lambda doc, plate, shot: doc.add("Despill", plate)),
}
NO_ALPHA = {"CleanPlate (no alpha)", "Despill (no alpha)"}


def ai_variants(model: str) -> dict[str, Callable[[str, Shot, int], tuple[float, Any]]]:
    """AIMatte on the CPU, and on CUDA in fp32 and fp16 when a GPU is there."""
    from nodecomp.api import cuda_available

    devices = [("cpu", False)] + ([("cuda", False), ("cuda", True)] if cuda_available() else [])
    return {
        f"AIMatte ({device}{' fp16' if fp16 else ''})": graph_variant(
            lambda doc, plate, shot, device=device, fp16=fp16: doc.add(
                "AIMatte", plate, model=model, device=device, fp16=fp16, output="matte"))
        for device, fp16 in devices
    }


def train_for_benchmark(steps: int, folder: Path) -> str:
    """Train a default MatteUNet on synthetic shots (seeds 100+, not the benchmark's) and return its path."""
    from plugins.keyers.ai.training import synthetic_pairs, train_matte

    path = folder / "bench_matte.safetensors"
    result = train_matte(synthetic_pairs(16, 384, 216, seed=100), path, steps=steps, batch_size=4, crop=96,
                         learning_rate=2e-3, checkpoint_every=0)
    print(f"trained a MatteUNet ({result.parameters} weights) for {steps} steps in {result.seconds:.0f} s, "
          f"final loss {result.losses[-1]:.4f}")
    return str(path)


def _srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * np.power(linear, 1 / 2.4) - 0.055)
    return (encoded * 255 + 0.5).astype(np.uint8)


def picture(path: Path, width: int = 480, height: int = 270) -> None:
    """Write the docs' before/after picture: plate, status, matte, and the key over a new background."""
    import OpenImageIO as oiio

    shot = make_shot(width, height, seed=1, uneven=True)
    doc, plate = _document("picture", shot)
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    sky = (1 - y) * np.array([0.35, 0.45, 0.7], np.float32) + y * np.array([0.6, 0.35, 0.2], np.float32)
    background = np.concatenate([sky * (0.8 + 0.2 * x), np.ones((height, width, 1), np.float32)], axis=-1)
    _PLATES["picture_bg"] = Image(np.ascontiguousarray(background), RGBA, Box(0, 0, width, height)).freeze()
    bg = doc.add("Plate", key="picture_bg")
    clean = doc.add("CleanPlate", plate)
    panels = [shot.plate]
    for view in ("status", "matte", "comp"):
        node = doc.add("DifferenceKeyer", plate, clean, bg, view=view)
        panels.append(Evaluator(doc).evaluate(node, 1).pixels[..., :3])
    grid = np.concatenate([np.concatenate(panels[:2], axis=1), np.concatenate(panels[2:], axis=1)], axis=0)
    pixels = _srgb(grid)
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], 3, "uint8")
    spec.attribute("png:compressionLevel", 9)
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec) or not out.write_image(pixels):
        raise SystemExit(f"cannot write {path}: {oiio.geterror()}")
    out.close()
    print(f"wrote {path} ({path.stat().st_size // 1024} KB): plate | status / matte | comp over a new background")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    parser.add_argument("--picture", type=Path, help="write the before/after picture to this PNG and stop")
    parser.add_argument("--model", help="AIMatte model file (default: train one for --train-steps)")
    parser.add_argument("--train-steps", type=int, default=200, help="steps to train when no --model (0: no AI)")
    args = parser.parse_args(argv)
    if args.picture is not None:
        picture(args.picture)
        return 0
    start = time.perf_counter()
    data = shots(args.width, args.height)
    print(f"synthetic set: {', '.join(data)} at {args.width}x{args.height} "
          f"(generated in {time.perf_counter() - start:.1f} s)")
    variants = dict(VARIANTS)
    model = args.model
    scratch = None
    if model is None and args.train_steps > 0 and (not args.only or any(n.startswith("AIMatte") for n in args.only)):
        import tempfile

        scratch = tempfile.TemporaryDirectory(prefix="keyers_bench_")
        model = train_for_benchmark(args.train_steps, Path(scratch.name))
    if model:
        variants.update(ai_variants(model))
    names = [n for n in variants if not args.only or n in args.only or (n.startswith("AIMatte") and "AIMatte" in
                                                                        args.only)]
    header = (f"{'keyer':<28} {'ms/frame':>9} {'SAD even':>9} {'SAD unev':>9} {'SAD blue':>9} "
              f"{'MSE mean':>9} {'edge MSE':>9}")
    print(header)
    print("-" * len(header))
    for name in names:
        run = variants[name]
        times, errors = [], []
        for shot_name, shot in data.items():
            seconds, alpha = run(shot_name, shot, args.repeats)
            times.append(seconds)
            if name not in NO_ALPHA:
                errors.append(matte_errors(alpha, shot.alpha))
        ms = 1000 * float(np.mean(times))
        if not errors:
            print(f"{name:<28} {ms:>9.1f} {'-':>9} {'-':>9} {'-':>9} {'-':>9} {'-':>9}")
            continue
        sads = " ".join(f"{e['sad']:>9.1f}" for e in errors)
        mse = np.mean([e["mse"] for e in errors])
        edge = np.mean([e["edge_mse"] for e in errors])
        print(f"{name:<28} {ms:>9.1f} {sads} {mse:>9.5f} {edge:>9.4f}")
    if scratch is not None:
        scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
