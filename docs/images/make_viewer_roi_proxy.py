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
from pathlib import Path

from shots import DEMO, application, save, wait

import nodecomp
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.image import Box
from nodecomp.ui.viewer import Viewer
from nodecomp.ui.viewer_compare import Wipe

OUT = Path(__file__).with_name("viewer_roi_proxy.jpg")
ROI = Box(230, 150, 620, 430)


def main() -> int:
    """Show A and B whole, then the region at proxy 1/2 after an edit, and grab the viewer."""
    app = application()
    doc = nodecomp.load(str(DEMO))
    viewer = Viewer(ImageCache(1 << 30))
    viewer.resize(1280, 720)
    viewer.show()
    viewer.set_document(doc)
    viewer.set_frame(48)
    viewer.view_node(doc["Merge1"])
    viewer.set_b_node(doc["BG_plate"])
    viewer.canvas.set_wipe(Wipe(0.55, 0.5, 8.0))
    wait(app, lambda: _shown(viewer, region=None, scale=1.0), 120.0)
    viewer.set_proxy_scale(0.5)
    viewer.set_roi(ROI)
    viewer.set_roi_enabled(True)
    doc["Grade1"]["gain"] = (0.5, 1.0, 1.8, 1.0)
    wait(app, lambda: _shown(viewer, region=ROI, scale=0.5), 120.0)
    viewer.canvas.probe.emit(300, 290)
    wait(app, lambda: viewer.idle)
    status = save(viewer, OUT, "JPG", 90)
    viewer.shutdown()
    return status


def _shown(viewer: Viewer, **request) -> bool:
    """A and B both show pictures made for a request with these fields."""
    results = [viewer.renderer.result(slot) for slot in "AB"]
    return viewer.idle and all(r is not None and all(getattr(r.request, k) == v for k, v in request.items())
                               for r in results)



if __name__ == "__main__":
    sys.exit(main())
