"""Makes docs/images/group_open.png: the demo comp's FG branch collapsed into a group, opened.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :97 -screen 0 1600x1000x24 &
    DISPLAY=:97 .venv/bin/python docs/images/make_group.py

Grade1, Blur1 and Transform1 go into a group "FG_look" whose Blur size is published as
"softness"; the graph shows the inside of the group (the bar above it names the level) and the
properties show the group with its published param.
"""

import sys
from pathlib import Path

from shots import application, demo_window, save, wait

OUT = Path(__file__).with_name("group_open.png")


def main() -> int:
    """Open the demo comp, group its FG branch, publish a param, open the group, grab the window."""
    app = application()
    window = demo_window("group")
    if window is None:
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
    wait(app, lambda: window.viewer.idle)
    window.graph_view.frame_all()
    wait(app, lambda: True, 0.5)
    status = save(window, OUT)
    window.force_close()
    return status



if __name__ == "__main__":
    sys.exit(main())
