"""Show-look benchmark: training time per epoch, and LookApply inference ms per 2K frame.

    .venv/bin/python benchmarks/show_look.py [--pairs 20] [--epochs 2] [--frames 2] [--device cpu|cuda]

An epoch is one pass over the sampled pixel pool (pairs x pixels per frame) in batches of 4096.
Inference is timed on a 1920x1080 frame: the peer in the same run is a 33^3 LUT applied to the
same frame (what the look costs when baked), and the feature extraction alone (the floor the
network adds to).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from plugins.show_look.apply import apply_look  # noqa: E402
from plugins.show_look.features import pixel_features  # noqa: E402
from plugins.show_look.lut import apply_lut, fit_lut  # noqa: E402
from plugins.show_look.synthetic import synthetic_frames, synthetic_pairs  # noqa: E402
from plugins.show_look.training import train_look  # noqa: E402


def best_ms(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000.0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--frames", type=int, default=2, help="timed repeats of each 2K inference (best kept)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    pairs = synthetic_pairs(args.pairs, size=(256, 144), seed=1)
    pixels_per_frame, batch = 20000, 4096
    steps_per_epoch = -(-args.pairs * pixels_per_frame // batch)
    start = time.perf_counter()
    model = train_look(pairs, steps=steps_per_epoch * args.epochs, batch_size=batch,
                       pixels_per_frame=pixels_per_frame, device=args.device)
    seconds = time.perf_counter() - start
    print(f"\ntraining on {args.device}: {args.pairs} pairs, {args.pairs * pixels_per_frame} pixels, "
          f"{steps_per_epoch} steps/epoch of {batch}")
    print(f"{'what':<34} {'value':>10}")
    print(f"{'seconds per epoch (incl. setup)':<34} {seconds / args.epochs:>10.2f}")
    print(f"{'ms per step':<34} {seconds * 1000 / (steps_per_epoch * args.epochs):>10.2f}")

    frame = synthetic_frames(1, size=(1920, 1080), seed=9)[0]
    table = fit_lut(model, 33)
    rows = [
        ("features only (floor)", best_ms(lambda: pixel_features(frame), args.frames)),
        (f"LookApply network ({args.device})", best_ms(lambda: apply_look(model, frame, device=args.device),
                                                    args.frames)),
        ("33^3 LUT, numpy trilinear (peer)", best_ms(lambda: apply_lut(table, frame), args.frames)),
    ]
    print("\ninference on one 1920x1080 frame")
    print(f"{'variant':<34} {'ms/frame':>10}")
    for name, ms in rows:
        print(f"{name:<34} {ms:>10.1f}")
    assert np.isfinite(apply_look(model, frame[:8, :8])).all()


if __name__ == "__main__":
    main()
