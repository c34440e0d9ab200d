import numpy as np
import pytest
from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.ui.display import DisplayView
from nodecomp.ui.viewer import Viewer
from nodecomp.ui.viewer_image import Channels
from tests.ui.qt_helpers import settle


@pytest.fixture
def viewer(qtbot, comp):
    widget = Viewer(ImageCache(64 * 1024 * 1024))
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    widget.set_document(comp)
    yield widget
    widget.shutdown()
    widget.deleteLater()
    settle()


def shown_pixel(viewer):
    last = viewer.renderer.last
    return None if last is None else tuple(float(v) for v in last.image.pixels[0, 0])


def test_viewing_a_write_node_shows_its_input(qtbot, viewer, comp):
    viewer.view_node(comp["Write1"])
    qtbot.waitUntil(lambda: viewer.renderer.last is not None, timeout=10000)
    assert viewer.target() == "Grade1" and viewer.renderer.last.frame.node == "Grade1"
    assert "Write1" in viewer.node_label.text() and "Grade1" in viewer.node_label.text()


def test_a_param_edit_updates_the_viewer(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: shown_pixel(viewer) is not None, timeout=10000)
    assert shown_pixel(viewer)[0] == pytest.approx(0.25)
    comp["Grade1"]["multiply"] = (2.0, 2.0, 2.0, 1.0)
    qtbot.waitUntil(lambda: shown_pixel(viewer)[0] == pytest.approx(0.5), timeout=10000)
    comp.undo()
    qtbot.waitUntil(lambda: shown_pixel(viewer)[0] == pytest.approx(0.25), timeout=10000)


def test_the_frame_follows_the_timeline(qtbot, viewer, comp):
    solid = comp.add("uitest.Solid")
    viewer.view_node(solid)
    qtbot.waitUntil(lambda: shown_pixel(viewer) == (1.0, 0.0, 0.0, 1.0), timeout=10000)
    viewer.set_frame(7)
    qtbot.waitUntil(lambda: shown_pixel(viewer) == (7.0, 0.0, 0.0, 1.0), timeout=10000)


def test_channels_exposure_and_view_change_only_the_display(qtbot, viewer, comp):
    viewer.set_display_view(DisplayView("sRGB - Display", "Raw"))
    viewer.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: viewer.renderer.last is not None, timeout=10000)
    image = viewer.renderer.last.image
    viewer.set_channels(Channels.BLUE)
    qtbot.waitUntil(lambda: viewer.renderer.last.settings.channels is Channels.BLUE, timeout=5000)
    assert tuple(viewer.renderer.last.frame.rgba[0, 0, :3]) == (191, 191, 191)
    viewer.exposure_box.setValue(-1.0)
    qtbot.waitUntil(lambda: viewer.renderer.last.settings.exposure == -1.0, timeout=5000)
    assert viewer.renderer.last.frame.rgba[0, 0, 0] == 96
    assert viewer.renderer.last.image is image  # the engine was not asked again


def test_an_error_is_shown_over_the_picture(qtbot, viewer, comp):
    failures = []
    viewer.failed.connect(failures.append)
    comp["Grade1"]["whitepoint"] = (0.0, 0.0, 0.0, 0.0)
    viewer.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert failures[0].node == "Grade1" and "whitepoint" in viewer.canvas.message


def test_the_probe_shows_linear_and_display_values(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: viewer.renderer.last is not None, timeout=10000)
    viewer.canvas.probe.emit(3, 2)
    text = viewer.probe_label.text()
    assert "x     3" in text and "R 0.2500" in text and "A 1.0000" in text and "display" in text
    viewer.canvas.probe.emit(500, 2)
    assert "outside" in viewer.probe_label.text()


def test_fit_and_one_to_one(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: viewer.renderer.last is not None, timeout=10000)
    viewer.canvas.one_to_one()
    assert viewer.canvas.zoom == 1.0 and viewer.canvas.display_scale() == 1.0
    viewer.canvas.fit()
    assert viewer.canvas.zoom == pytest.approx(0.92 * min(640 / 64, viewer.canvas.height() / 36), rel=0.05)
    before = viewer.canvas.to_image(QtCore.QPointF(100, 100))
    viewer.canvas.set_zoom(viewer.canvas.zoom * 2, QtCore.QPointF(100, 100))
    after = viewer.canvas.to_image(QtCore.QPointF(100, 100))
    np.testing.assert_allclose(before, after)
