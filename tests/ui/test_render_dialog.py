import pytest
from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.ui.render_dialog import RenderDialog
from tests.ui import conftest
from tests.ui.qt_helpers import settle


@pytest.fixture
def render_comp(doc):
    constant = doc.add("Constant")
    slow = doc.add("uitest.Slow", constant, seconds=0.15)
    doc.add("uitest.Record", slow, name="Out")
    doc.frame_range = (1, 40)
    conftest.RECORDED.clear()
    return doc


@pytest.fixture
def dialog(qtbot, render_comp):
    widget = RenderDialog(render_comp, ImageCache(16 * 1024 * 1024))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    settle()


def test_the_dialog_lists_outputs_and_the_range(dialog):
    assert dialog.selected_writes() == ["Out"]
    assert dialog.frames.text() == "1-40"


def test_a_render_reports_each_frame(qtbot, dialog):
    dialog.frames.setText("1-4")
    dialog.threads.setValue(2)
    with qtbot.waitSignal(dialog.finished_render, timeout=20000):
        assert dialog.start()
    assert dialog.result.ok and dialog.result.done == [1, 2, 3, 4]
    assert dialog.progress.value() == 4 and "Done: 4 frames" in dialog.status.text()
    assert sorted(conftest.RECORDED) == [1.0, 2.0, 3.0, 4.0]


def test_cancel_stops_the_render_and_the_window_stays_responsive(qtbot, dialog):
    dialog.threads.setValue(1)
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.done_frames >= 1, timeout=10000)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.wait(100)  # the event loop runs while frames render
    assert len(ticks) >= 3
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    timer.stop()
    assert dialog.result.cancelled and len(dialog.result.done) < 40
    assert "Cancelled" in dialog.status.text() and dialog.render_button.isEnabled()


def test_errors_are_logged_with_node_and_frame(qtbot, dialog, render_comp):
    render_comp.add("Grade", render_comp["Constant1"], whitepoint=(0.0, 0.0, 0.0, 0.0), name="Bad")
    render_comp.connect("Bad", "Slow1")
    dialog.frames.setText("1-2")
    with qtbot.waitSignal(dialog.finished_render, timeout=20000):
        dialog.start()
    assert dialog.result.errors
    log = dialog.log.toPlainText()
    # Bad does not depend on the frame: both frames share one cached failure, named after
    # whichever frame computed it first
    assert "node Bad, frame" in log and "whitepoint" in log and "Failed" in dialog.status.text()


def test_a_bad_frame_list_does_not_start(dialog):
    dialog.frames.setText("ten to twenty")
    assert not dialog.start()
    assert dialog.log.toPlainText() and not dialog.running
