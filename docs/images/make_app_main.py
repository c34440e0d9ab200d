"""Makes docs/images/app_main.png: the app on the demo comp, its FG branch on a backdrop.

    .venv/bin/nodecomp demo --no-render          # the demo media, once
    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/images/make_app_main.py

Frame 20, Grade1 selected with its properties and Transform1's open, every node's result in
the cache (green badges), the graph framed on all nodes.
"""

import sys
from pathlib import Path

from shots import application, demo_window, save, wait

OUT = Path(__file__).with_name("app_main.png")


def main() -> int:
    """Open the demo comp, wait for the picture and the badges, grab the window."""
    app = application()
    window = demo_window("main")
    if window is None:
        return 1
    doc = window.doc
    window.timeline.set_frame(20)
    window.properties.open(doc["Transform1"])
    window.graph_view.select([doc["Grade1"]])
    graph = window.graph_view
    images = [n for n in doc.nodes if n.node_type is not None and n.node_type.outputs and n.node_type.cacheable]
    wait(app, lambda: window.viewer.idle and all(graph.state_of(n) == "cached" for n in images))
    graph.frame_all()
    window.statusBar().showMessage("Tab creates nodes, '.' puts a Dot on a connection, L lays out the selection; "
                                   "1 views the selected node.")
    wait(app, lambda: True, 0.5)
    status = save(window, OUT)
    window.force_close()
    return status



if __name__ == "__main__":
    sys.exit(main())
