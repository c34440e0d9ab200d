"""Makes docs/images/app_main.png: the app on the demo comp, its FG branch on a backdrop.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/images/make_app_main.py

Frame 20, Grade1 selected with its properties and Transform1's open, every node's result in
the cache (green badges), the graph framed on all nodes.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6 import QtCore, QtWidgets  # noqa: E402

import nodecomp.ui  # noqa: E402, F401 - PySide6 workarounds before any signal is emitted
from nodecomp.ui.main_window import MainWindow  # noqa: E402
from nodecomp.ui.preferences import Preferences  # noqa: E402
from nodecomp.ui.style import apply_style  # noqa: E402

OUT = Path(__file__).with_name("app_main.png")


def main() -> int:
    """Open the demo comp, wait for the picture and the badges, grab the window."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    apply_style(app)
    settings = QtCore.QSettings(str(Path("/tmp") / "nodecomp_main_shot.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, preferences=Preferences())
    window.resize(1600, 1000)
    window.show()
    if not window.open_file(str(ROOT / "resources" / "demo" / "demo.ncomp")):
        return 1
    doc = window.doc
    window.timeline.set_frame(20)
    window.properties.open(doc["Transform1"])
    window.graph_view.select([doc["Grade1"]])
    graph = window.graph_view
    images = [n for n in doc.nodes if n.node_type is not None and n.node_type.outputs and n.node_type.cacheable]
    _wait(app, lambda: window.viewer.idle and all(graph.state_of(n) == "cached" for n in images))
    graph.frame_all()
    window.statusBar().showMessage("Tab creates nodes, '.' puts a Dot on a connection, L lays out the selection; "
                                   "1 views the selected node.")
    _wait(app, lambda: True, 0.5)
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
