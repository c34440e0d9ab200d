"""Makes docs/images/curve_editor.png (and dope_sheet.png): the app with two animated params.

    DISPLAY=:0 .venv/bin/python docs/images/make_curve_editor.py

Needs a display (Xvfb works). A Constant feeds a Grade whose multiply is keyed per channel
(smooth, linear, cubic and constant segments) and whose mix has two keys; a Transform's rotate
is driven by an expression (drawn dashed). The Grade and the Transform are selected and the red
key at frame 30, between two cubic segments, is picked, so its tangent handles show.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6 import QtCore, QtWidgets  # noqa: E402

from nodecomp.core.document import Document  # noqa: E402
from nodecomp.plugin_loader import default_registry  # noqa: E402
from nodecomp.ui.key_edits import KeyRef  # noqa: E402
from nodecomp.ui.main_window import MainWindow  # noqa: E402
from nodecomp.ui.style import apply_style  # noqa: E402


def build(doc: Document) -> None:
    """The little comp the picture shows."""
    doc.frame_range = (1, 48)
    constant = doc.add("Constant", color=(0.18, 0.18, 0.18, 1.0))
    grade = doc.add("Grade", constant)
    transform = doc.add("Transform", grade)
    doc.add("Write", transform, file="out/curves.####.exr")
    for index, node in enumerate(doc.nodes):
        doc.set_ui(node, "pos", [0, index * 90])
    for frame, rgb, interp in ((1, (1.0, 0.8, 0.6), "smooth"), (16, (1.8, 1.2, 0.7), "linear"),
                               (30, (0.9, 1.5, 1.1), "smooth"), (44, (1.3, 1.0, 1.6), "smooth")):
        for component, value in enumerate(rgb):
            doc.set_key(grade, "multiply", frame, value, interp=interp, component=component)
    doc.set_key_interp(grade, "multiply", [30], "constant", component=2)
    doc.set_key_interp(grade, "multiply", [16, 30], "cubic", component=0)
    doc.set_key_slopes(grade, "multiply", 30, -0.02, 0.06, component=0)
    doc.set_key(grade, "mix", 8, 0.25, interp="linear")
    doc.set_key(grade, "mix", 40, 1.0)
    doc.set_expression(transform, "rotate", "sin(frame / 6) * 0.4")
    doc.current_frame = 24
    doc.undo_stack.clear()


def main() -> None:
    """Build the comp, show it, take the pictures."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    apply_style(app)
    window = MainWindow(registry=default_registry(),
                        settings=QtCore.QSettings("/tmp/nodecomp-shot.ini", QtCore.QSettings.Format.IniFormat))
    doc = Document(window.doc.registry)
    build(doc)
    window.set_document(doc)
    window.resize(1600, 1000)
    window.show()
    window.timeline.set_frame(24)
    grade, transform = doc["Grade1"], doc["Transform1"]
    window.graph_view.select([grade, transform])
    window.properties.open(grade)
    window.curve_dock.raise_()
    window.resizeDocks([window.curve_dock], [470], QtCore.Qt.Orientation.Vertical)
    canvas = window.curve_editor.canvas
    canvas.fit()
    canvas.select({KeyRef(grade, "multiply", 0, 30.0)})
    for _ in range(20):
        app.processEvents()
    deadline = time.monotonic() + 20
    while (window.viewer.renderer.last is None or window.viewer.renderer.busy) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()
    out = Path(__file__).parent
    window.grab().save(str(out / "curve_editor.png"))
    window.dope_dock.raise_()
    window.dope_sheet.select({KeyRef(grade, "mix", None, 40.0)})
    for _ in range(20):
        app.processEvents()
    window.dope_dock.widget().grab().save(str(out / "dope_sheet.png"))
    window.force_close()


if __name__ == "__main__":
    main()
