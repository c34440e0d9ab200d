"""Viewer benchmark: from a param edit on the last node to the viewer showing the new 2K frame.

    .venv/bin/python benchmarks/viewer_edit.py [--edits 20] [--width 2048 --height 1080]

Runs the real app viewer headless (Qt offscreen) on comp-A plus a final Grade ("Look"), the
node edited and viewed. The peer in the same run is a cold full-graph render of that frame
(the engine with an empty cache: both Reads, Grade, Blur, Merge, Look). Edits change Look's
multiply; each edit is timed from the Document command to the viewer's `frame_shown` (the
frame evaluated in the background, reduced to the viewer's size, through the ACES display
transform, converted to a QImage). Target: median edit / cold render < 0.2.

The same edits are timed again with the viewer comparing: Look as A against Merge1 (the comp
before the look) as B, in wipe mode (the edit re-renders A only; B's request stops at its
unchanged cache key) and in difference mode (A, then |A - B| through the display).

A second table times the display transform per HD frame: OCIO's exact CPU processor against
the baked shaper + 65^3 LUT (full frame, and reduced to a 960-pixel-wide viewer).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from comp_a_media import generate  # noqa: E402
from comp_a_nodecomp import add_comp_a  # noqa: E402

import nodecomp.ui  # noqa: E402, F401 - pins True/False/None before any Qt signal (pyside_compat)
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.engine.cache import ImageCache  # noqa: E402
from nodecomp.engine.colour import colour_manager  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402


def build(src: Path, width: int, height: int):
    """comp-A (Read FG -> Grade -> Blur -> Merge over Read BG) -> Look (Grade) -> Write."""
    import nodecomp as nc

    doc = nc.Document(name="viewer_bench")
    doc.format = Format(width, height)
    doc.frame_range = (1, 1)
    comp = add_comp_a(doc, src)
    look = doc.add("Grade", comp, name="Look", multiply=(1.05, 1.0, 0.95, 1.0))
    doc.add("Write", look, file=str(src / "out.####.exr"))
    return doc


def cold_render_ms(doc, repeats: int) -> float:
    """Best of `repeats` evaluations of Look at frame 1, each with an empty cache."""
    times = []
    for _ in range(repeats):
        evaluator = Evaluator(doc, ImageCache(8 * 1024**3))
        start = time.perf_counter()
        evaluator.evaluate("Look", 1)
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def viewer_edits(doc, edits: int, compare: str = "off") -> tuple[float, list[float], tuple[int, int]]:
    """(cold first frame ms, edit -> frame shown ms per edit, shown pixels) through the app's Viewer.

    With `compare` other than "off", Merge1 is the viewer's B input in that compare mode.
    """
    from PySide6 import QtCore, QtWidgets

    from nodecomp.ui.viewer import Viewer
    from nodecomp.ui.viewer_compare import CompareMode

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    viewer = Viewer(ImageCache(8 * 1024**3))
    viewer.resize(1280, 760)
    viewer.show()
    viewer.set_document(doc)
    shown: list[None] = []  # one entry per frame shown; results are not kept (they hold 2K images)
    viewer.frame_shown.connect(lambda _result: shown.append(None))

    loop = QtCore.QEventLoop()
    viewer.frame_shown.connect(lambda _result: loop.quit())
    viewer.renderer.busy_changed.connect(lambda busy: loop.quit() if not busy else None)

    def wait_for(count: int, timeout: float = 120.0) -> None:
        """Run the event loop (idle, as in the app: the GIL is free for the worker) until shown."""
        deadline = time.monotonic() + timeout
        while len(shown) < count:
            if time.monotonic() > deadline:
                raise SystemExit("the viewer did not show a frame in time")
            QtCore.QTimer.singleShot(1000, loop.quit)
            loop.exec()

    def settle() -> None:
        while viewer.renderer.busy:  # a redisplay at the widget's final size may follow
            QtCore.QTimer.singleShot(1000, loop.quit)
            loop.exec()

    mode = CompareMode(compare)
    per_edit = 2 if mode is CompareMode.DIFFERENCE else 1  # A, then the difference
    start = time.perf_counter()
    viewer.view_node(doc["Write1"])
    if mode is not CompareMode.OFF:
        viewer.set_b_node(doc["Merge1"])
        viewer.set_compare(mode)
    wait_for(1)
    cold = (time.perf_counter() - start) * 1000
    settle()
    times = []
    for index in range(edits):
        count = len(shown)
        value = 1.0 + 0.01 * (index + 1) + (0.5 if mode is not CompareMode.OFF else 0.0)
        start = time.perf_counter()
        doc["Look"]["multiply"] = (value, value, value, 1.0)
        wait_for(count + per_edit)
        times.append((time.perf_counter() - start) * 1000)
        settle()
    rgba = viewer.renderer.last.frame.rgba
    viewer.shutdown()
    viewer.deleteLater()
    app.processEvents()
    return cold, times, (rgba.shape[1], rgba.shape[0])


def display_table(repeats: int, bake_ms: float) -> None:
    """ms per HD frame for the exact transform and the baked LUT."""
    from nodecomp.ui.display import DisplayTransform, default_display_view
    from nodecomp.ui.viewer_image import DisplaySettings, render_display

    colour = colour_manager()
    view = default_display_view(colour)
    rng = np.random.default_rng(0)
    pixels = (rng.random((1080, 1920, 3), dtype=np.float32) ** 2 * 4).astype(np.float32)

    def best(fn) -> float:
        times = []
        for _ in range(repeats):
            begin = time.perf_counter()
            fn()
            times.append((time.perf_counter() - begin) * 1000)
        return min(times)

    exact = DisplayTransform(colour, view, exact=True)
    fast = DisplayTransform(colour, view)
    from nodecomp.engine.image import Box, Image

    rgba = np.concatenate([pixels, np.ones_like(pixels[..., :1])], axis=2)
    image = Image(rgba, ("R", "G", "B", "A"), Box(0, 0, 1920, 1080))
    rows = [
        ("exact OCIO CPU processor, 1920x1080", best(lambda: exact.apply(pixels))),
        ("baked 65^3 LUT + shaper, 1920x1080", best(lambda: fast.apply(pixels))),
        ("viewer stage at 960x540 (reduce, LUT, 8-bit)", best(lambda: render_display(
            image, DisplaySettings(view=view, scale=0.5), fast))),
        ("viewer stage at 960x540, exact transform", best(lambda: render_display(
            image, DisplaySettings(view=view, scale=0.5, exact=True), exact))),
    ]
    grey = np.linspace(0.0, 16.0, 4096, dtype=np.float32)
    ramp = (grey[None, :, None] * np.array([[1.0, 1.0, 1.0], [1.0, 0.9, 0.8], [0.7, 0.85, 1.0]],
                                             np.float32)[:, None, :]).astype(np.float32)
    ramp_error = float(np.abs(fast.apply(ramp) - exact.apply(ramp)).max())
    random_error = float(np.quantile(np.abs(fast.apply(pixels) - exact.apply(pixels)), 0.999))
    print(f"\ndisplay transform, {view.label} (best of {repeats})")
    print(f"{'path':<48} {'ms':>8}")
    for name, ms in rows:
        print(f"{name:<48} {ms:>8.1f}")
    print(f"{'LUT bake (once per config/display/view)':<48} {bake_ms:>8.1f}")
    print(f"LUT error vs exact: max {ramp_error:.4f} on grey/tinted ramps 0..16, "
          f"99.9th percentile {random_error:.4f} on random saturated colours (display units 0..1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--width", type=int, default=2048)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent / "_data"))
    args = parser.parse_args()
    media = Path(args.data) / f"viewer_{args.width}x{args.height}"
    generate(media, args.width, args.height, 1)
    doc = build(media, args.width, args.height)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; frame {args.width}x{args.height}")
    from nodecomp.ui.display import baked_processor, default_display_view

    start = time.perf_counter()
    baked_processor(colour_manager(), default_display_view(colour_manager()))  # once per process, not per frame
    bake_ms = (time.perf_counter() - start) * 1000
    cold = cold_render_ms(doc, args.repeats)
    viewer_cold, edits, shown = viewer_edits(doc, args.edits)
    median = statistics.median(edits)
    print(f"\nedit on the last node -> viewer shows the new frame ({args.edits} edits, viewer {shown[0]}x{shown[1]})")
    print(f"{'measure':<44} {'ms':>8} {'x cold':>7}")
    print(f"{'cold full-graph render (engine, empty cache)':<44} {cold:>8.1f} {1.0:>7.2f}")
    print(f"{'cold first frame in the viewer':<44} {viewer_cold:>8.1f} {viewer_cold / cold:>7.2f}")
    print(f"{'edit -> frame shown, median':<44} {median:>8.1f} {median / cold:>7.2f}")
    print(f"{'edit -> frame shown, min / max':<44} {min(edits):>8.1f} / {max(edits):.1f}")
    print(f"target: median / cold < 0.2 -> {'met' if median / cold < 0.2 else 'NOT met'}")
    for compare in ("wipe", "difference"):
        _cold, compared, _shown = viewer_edits(doc, args.edits, compare)
        label = f"A/B {compare}: edit -> frame shown, median"
        print(f"{label:<44} {statistics.median(compared):>8.1f} {statistics.median(compared) / cold:>7.2f}")
    display_table(args.repeats, bake_ms)


if __name__ == "__main__":
    main()
