"""Makes docs/images/group_open.png: the demo comp's FG branch collapsed into a group, opened.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :97 -screen 0 1600x1000x24 &
    DISPLAY=:97 .venv/bin/python docs/images/make_group.py

Grade1, Blur1 and Transform1 go into a group "FG_look" whose Blur size is published as
"softness"; the graph shows the inside of the group (the bar above it names the level) and the
properties show the group with its published param.
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

OUT = Path(__file__).with_name("group_open.png")


def main() -> int:
    """Open the demo comp, group its FG branch, publish a param, open the group, grab the window."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    apply_style(app)
    settings = QtCore.QSettings(str(Path("/tmp") / "nodecomp_group_shot.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, preferences=Preferences())
    window.resize(1600, 1000)
    window.show()
    if not window.open_file(str(ROOT / "resources" / "demo" / "demo.ncomp")):
        return 1
    doc = window.doc
    window.timeline.set_frame(20)
    group = doc.group([doc["Grade1"], doc["Blur1"], doc["Transform1"]], name="FG_look")
    doc.publish(group, doc["Blur1"], "size", "softness")
    doc.publish(group, doc["Grade1"], "multiply", "tint")
    window.view_node(doc["Merge1"])
    window.properties.open(group)
    window.graph_view.enter(group)
    window.graph_view.select([doc["Blur1"]])
    _wait(app, lambda: window.viewer.idle)
    window.graph_view.frame_all()
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
