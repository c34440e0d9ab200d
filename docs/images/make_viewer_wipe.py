"""Makes docs/images/viewer_wipe.png: the app on the demo comp, the viewer wiping the graded element against the plate.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/images/make_viewer_wipe.py

A is Grade1, B is FG_element (the element before the grade), at frame 48 where the grade's
multiply has ramped to 1.3 / 1.2 / 1.0; the wipe goes through the element, turned a little,
and the viewer is zoomed in on it.
"""

import sys
from pathlib import Path

from shots import application, demo_window, save, wait

from nodecomp.ui.viewer_compare import CompareMode, Wipe

OUT = Path(__file__).with_name("viewer_wipe.png")


def main() -> int:
    """Open the demo comp, set A, B and the wipe, wait for both pictures, grab the window."""
    app = application()
    window = demo_window("wipe")
    if window is None:
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

    wait(app, both_at_48)
    viewer.canvas.center = (300.0, 300.0)
    viewer.canvas.set_zoom(1.6)
    wait(app, lambda: viewer.idle)
    assert viewer.compare is CompareMode.WIPE
    status = save(window, OUT)
    window.force_close()
    return status



if __name__ == "__main__":
    sys.exit(main())
