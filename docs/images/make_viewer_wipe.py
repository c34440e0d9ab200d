"""Makes docs/images/viewer_wipe.png: the app on the demo comp, the viewer wiping the graded element against the plate.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/images/make_viewer_wipe.py

A is Grade1, B is FG_element (the element before the grade), at frame 48 where the grade's
multiply has ramped to 1.3 / 1.2 / 1.0; the wipe goes through the element, turned a little,
and the viewer is zoomed in on it.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6 import QtCore, QtWidgets  # noqa: E402

import nodecomp.ui  # noqa: E402, F401 - PySide6 workarounds before any signal is emitted
from nodecomp.ui.main_window import MainWindow  # noqa: E402
from nodecomp.ui.viewer_compare import CompareMode, Wipe  # noqa: E402

OUT = Path(__file__).with_name("viewer_wipe.png")


def main() -> int:
    """Open the demo comp, set A, B and the wipe, wait for both pictures, grab the window."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    settings = QtCore.QSettings(str(Path("/tmp") / "nodecomp_wipe_shot.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.resize(1600, 1000)
    window.show()
    if not window.open_file(str(ROOT / "resources" / "demo" / "demo.ncomp")):
        return 1
    doc = window.doc
    window.timeline.set_frame(48)
    window.graph_view.select([doc["Grade1"]])
    window.graph_actions.actions["view"].trigger()
    window.graph_view.select([doc["FG_element"]])
    window.graph_actions.actions["view_b"].trigger()
    window.graph_view.select([doc["Grade1"]])
    viewer = window.viewer
    viewer.canvas.set_wipe(Wipe(0.25, 0.55, 12.0))  # through the element


    def both_at_48() -> bool:
        a, b = viewer.renderer.result("A"), viewer.renderer.result("B")
        return viewer.idle and a is not None and b is not None and a.frame.frame == b.frame.frame == 48.0

    _wait(app, both_at_48)
    viewer.canvas.center = (300.0, 300.0)
    viewer.canvas.set_zoom(1.6)
    _wait(app, lambda: viewer.idle)
    assert viewer.compare is CompareMode.WIPE
    ok = window.grab().save(str(OUT))
    window.force_close()
    print(OUT if ok else "could not save")  # noqa: T201 - a docs script reports where the picture went
    return 0 if ok else 1


def _wait(app: QtWidgets.QApplication, done, seconds: float = 60.0) -> None:
    """Run the event loop until `done()` (and a few turns more, for the last paint)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        app.processEvents()
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
