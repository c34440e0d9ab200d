"""Makes docs/images/look_train.png: the app training a LookTrain node, its job window over the viewer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/images/make_look_train.py

Writes 12 synthetic 256x144 before/after pairs to a temporary folder, opens them in the app as
Read -> LookTrain (graded from the second Read), presses Train and grabs the window and the job
window (drawn onto its lower right corner) once training is past two thirds, with the viewer on
the node showing the last checkpoint.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

import nodecomp as nc  # noqa: E402
from nodecomp.api import Format  # noqa: E402
from plugins.show_look.images import write_rgb  # noqa: E402
from plugins.show_look.synthetic import synthetic_pairs  # noqa: E402

SIZE = (256, 144)
OUT = Path(__file__).resolve().parent / "look_train.png"


def comp(folder: Path) -> nc.Document:
    """Plates, approved frames and a LookTrain node reading them."""
    (folder / "plates").mkdir()
    (folder / "approved").mkdir()
    for frame, (before, after) in enumerate(synthetic_pairs(12, size=SIZE, seed=1), start=1):
        write_rgb(folder / "plates" / f"shot.{frame:04d}.exr", before)
        write_rgb(folder / "approved" / f"shot.{frame:04d}.exr", after)
    doc = nc.Document()
    doc.format = Format(*SIZE)
    doc.frame_range = (1, 12)
    plate = doc.add("Read", file="plates/shot.####.exr", name="Plate")
    approved = doc.add("Read", file="approved/shot.####.exr", name="Approved")
    doc.add("show_look.LookTrain", plate, approved, model="looks/show.nclook", frames="1-10", epochs=30,
            name="LookTrain1")
    for index, (name, x) in enumerate((("Plate", 0), ("Approved", 220), ("LookTrain1", 110))):
        doc.set_ui(doc[name], "pos", [x, 0 if index < 2 else 120])
    doc.save(str(folder / "shot.ncomp"))
    return nc.load(str(folder / "shot.ncomp"))


def main() -> None:
    """Train in the app, grab the window with the job window drawn over the viewer, write the PNG."""
    from nodecomp.ui.main_window import MainWindow
    from nodecomp.ui.style import apply_style

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    apply_style(app)
    folder = Path(tempfile.mkdtemp(prefix="look_train_"))
    doc = comp(folder)
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    window.set_document(doc)
    window.view_node(doc["LookTrain1"])
    window.properties.open(doc["LookTrain1"])
    window.graph_view.select([doc["LookTrain1"]])
    window.graph_actions.actions["frame"].trigger()
    dialog = window.run_node_action(doc["LookTrain1"], "train")
    dialog.resize(560, 440)
    deadline = QtCore.QDeadlineTimer(600_000)
    while dialog.progress.value() < 680 and dialog.outcome is None and not deadline.hasExpired():
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    end = QtCore.QDeadlineTimer(1500)
    while not end.hasExpired():  # the viewer renders the latest checkpoint
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    picture = window.grab()
    painter = QtGui.QPainter(picture)
    corner = QtCore.QPoint(window.width() - dialog.width() - 16, window.height() - dialog.height() - 24)
    painter.drawPixmap(corner, dialog.grab())
    painter.setPen(QtGui.QPen(QtGui.QColor("#777777"), 1))
    painter.drawRect(QtCore.QRect(corner, dialog.size()))
    painter.end()
    picture.save(str(OUT))
    dialog.cancel()
    window.force_close()


if __name__ == "__main__":
    main()
