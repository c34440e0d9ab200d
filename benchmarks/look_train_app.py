"""LookTrain as a node action: training through the comp against train_look, and the app's event loop meanwhile.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/look_train_app.py [--pairs 10] [--epochs 5]

Table 1: seconds per epoch when the LookTrain node's Train action renders its pairs from EXR
sequences through Read nodes (`nodecomp.run_action`), against `train_look` on the same pixels
already in memory (the peer): the difference is what rendering the pairs through the comp costs.
Table 2: the gaps between ticks of a 10 ms timer on the app's event loop, idle (the peer) and
while the same training runs in an ActionDialog (its background job): how long the window can go
without answering while it trains. Pairs are synthetic 256x144 frames.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import nodecomp as nc  # noqa: E402
from nodecomp.api import Format  # noqa: E402
from plugins.show_look.images import write_rgb  # noqa: E402
from plugins.show_look.synthetic import synthetic_pairs  # noqa: E402
from plugins.show_look.training import train_look  # noqa: E402

SIZE = (256, 144)


def look_comp(pairs: int, **params) -> tuple[nc.Document, list, Path]:
    """Read before -> LookTrain1 <- Read after, over `pairs` synthetic frames written as EXRs; the pairs."""
    folder = Path(tempfile.mkdtemp(prefix="look_train_bench_"))
    arrays = synthetic_pairs(pairs, size=SIZE, seed=3)
    for frame, (before, after) in enumerate(arrays, start=1):
        write_rgb(folder / f"before.{frame:04d}.exr", before)
        write_rgb(folder / f"after.{frame:04d}.exr", after)
    doc = nc.Document()
    doc.format = Format(*SIZE)
    doc.frame_range = (1, pairs)
    plate = doc.add("Read", file=str(folder / "before.####.exr"))
    graded = doc.add("Read", file=str(folder / "after.####.exr"))
    doc.add("show_look.LookTrain", plate, graded, name="LookTrain1", model=str(folder / "show.nclook"),
            device="cpu", **params)
    return doc, arrays, folder


def node_and_peer(pairs: int, epochs: int) -> tuple[float, float, int]:
    """Seconds of the Train action and of train_look on the same pairs; steps per epoch."""
    doc, arrays, folder = look_comp(pairs, epochs=epochs, checkpoint_every=0)
    per_epoch = -(-pairs * 20000 // 4096)
    train_look(arrays[:1], steps=2)  # torch import and first optimiser: paid by neither timing
    start = time.perf_counter()
    nc.run_action(doc, "LookTrain1", "train")
    node = time.perf_counter() - start
    start = time.perf_counter()
    train_look(arrays, steps=per_epoch * epochs, batch_size=4096, checkpoint=folder / "peer.nclook")
    return node, time.perf_counter() - start, per_epoch


def event_loop_gaps(pairs: int, epochs: int) -> tuple[list[float], list[float], float]:
    """Timer gaps (ms) idle and during Train in an ActionDialog; the training's wall seconds."""
    from PySide6 import QtCore, QtWidgets

    import nodecomp.ui  # noqa: F401 - the app's PySide6 workarounds
    from nodecomp.ui.action_dialog import ActionDialog

    _app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    doc, _, _ = look_comp(pairs, epochs=epochs)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000.0)
        last[0] = now

    timer = QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(2000, loop.quit)
    loop.exec()
    idle, gaps[:] = list(gaps), []
    dialog = ActionDialog(doc, doc["LookTrain1"], "train")
    dialog.finished_action.connect(lambda _outcome: loop.quit())
    dialog.show()
    start = time.perf_counter()
    last[0] = start
    dialog.start()
    loop.exec()
    seconds = time.perf_counter() - start
    timer.stop()
    dialog.deleteLater()
    return idle, list(gaps), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    node, peer, per_epoch = node_and_peer(args.pairs, args.epochs)
    print(f"\ntraining {args.pairs} pairs of {SIZE[0]}x{SIZE[1]}, {per_epoch} steps/epoch of 4096, "
          f"{args.epochs} epochs")
    print(f"{'variant':<44} {'s/epoch':>8}")
    print(f"{'LookTrain Train action (pairs from EXR)':<44} {node / args.epochs:>8.2f}")
    print(f"{'train_look on arrays in memory (peer)':<44} {peer / args.epochs:>8.2f}")

    idle, busy, seconds = event_loop_gaps(args.pairs, args.epochs)
    print(f"\n10 ms timer on the app's event loop (training ran {seconds:.1f} s, torch already imported)")
    print(f"{'state':<44} {'median':>8} {'p99':>8} {'max':>8}")
    for name, values in (("idle (peer)", idle), ("while Train runs in its job window", busy)):
        print(f"{name:<44} {np.median(values):>8.1f} {np.percentile(values, 99):>8.1f} {max(values):>8.1f}")


if __name__ == "__main__":
    main()
