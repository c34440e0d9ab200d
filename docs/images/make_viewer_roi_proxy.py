"""Makes docs/images/viewer_roi_proxy.jpg: a region of interest at proxy 1/2 while wiping the comp against the plate.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :96 -screen 0 1600x1000x24 &
    DISPLAY=:96 .venv/bin/python docs/images/make_viewer_roi_proxy.py

A is Merge1 (the comp), B is BG_plate, at frame 48, with the wipe turned a little. After both
whole pictures are shown, the proxy goes to 1/2, a region of interest is set across the wipe and
Grade1's gain turns the element blue: the region shows the edit on A's side (B's side is unchanged) over
each side's last whole picture. The probe reads a pixel of A inside the region.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6 import QtWidgets  # noqa: E402

import nodecomp  # noqa: E402
import nodecomp.ui  # noqa: E402, F401 - PySide6 workarounds before any signal is emitted
from nodecomp.engine.cache import ImageCache  # noqa: E402
from nodecomp.engine.image import Box  # noqa: E402
from nodecomp.ui.viewer import Viewer  # noqa: E402
from nodecomp.ui.viewer_compare import Wipe  # noqa: E402

OUT = Path(__file__).with_name("viewer_roi_proxy.jpg")
ROI = Box(230, 150, 620, 430)


def main() -> int:
    """Show A and B whole, then the region at proxy 1/2 after an edit, and grab the viewer."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    doc = nodecomp.load(str(ROOT / "resources" / "demo" / "demo.ncomp"))
    viewer = Viewer(ImageCache(1 << 30))
    viewer.resize(1280, 720)
    viewer.show()
    viewer.set_document(doc)
    viewer.set_frame(48)
    viewer.view_node(doc["Merge1"])
    viewer.set_b_node(doc["BG_plate"])
    viewer.canvas.set_wipe(Wipe(0.55, 0.5, 8.0))
    _wait(app, lambda: _shown(viewer, region=None, scale=1.0))
    viewer.set_proxy_scale(0.5)
    viewer.set_roi(ROI)
    viewer.set_roi_enabled(True)
    doc["Grade1"]["gain"] = (0.5, 1.0, 1.8, 1.0)
    _wait(app, lambda: _shown(viewer, region=ROI, scale=0.5))
    viewer.canvas.probe.emit(300, 290)
    _wait(app, lambda: viewer.idle)
    ok = viewer.grab().save(str(OUT), "JPG", 90)
    viewer.shutdown()
    print(OUT if ok else "could not save")  # noqa: T201 - a docs script reports where the picture went
    return 0 if ok else 1


def _shown(viewer: Viewer, **request) -> bool:
    """A and B both show pictures made for a request with these fields."""
    results = [viewer.renderer.result(slot) for slot in "AB"]
    return viewer.idle and all(r is not None and all(getattr(r.request, k) == v for k, v in request.items())
                               for r in results)


def _wait(app: QtWidgets.QApplication, done, seconds: float = 120.0) -> None:
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
