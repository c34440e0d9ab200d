"""The viewer's proxy scale and region of interest: what is asked of the engine and how it is shown."""

import pytest
from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.engine.image import Box
from nodecomp.ui.viewer import Viewer
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


def shown(qtbot, viewer, **request):
    """Wait for the picture made for a request with these fields (region, scale) and return it."""
    def ready():
        last = viewer.renderer.last
        return last is not None and not viewer.renderer.busy and all(
            getattr(last.request, name) == value for name, value in request.items())
    qtbot.waitUntil(ready, timeout=10000)
    return viewer.renderer.last


def drag(qtbot, canvas, start, end):
    """A left-button drag between two image points."""
    a, b = canvas.to_widget(*start).toPoint(), canvas.to_widget(*end).toPoint()
    qtbot.mousePress(canvas, QtCore.Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(canvas, b)
    qtbot.mouseRelease(canvas, QtCore.Qt.MouseButton.LeftButton, pos=b)


def test_the_proxy_menu_asks_the_engine_for_fewer_pixels(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    full = shown(qtbot, viewer, scale=1.0)
    assert [viewer.proxy_box.itemText(i) for i in range(viewer.proxy_box.count())] == ["1", "1/2", "1/4", "1/8"]
    viewer.proxy_box.setCurrentIndex(2)
    quarter = shown(qtbot, viewer, scale=0.25)
    assert quarter.image.pixels.shape == (9, 16, 4)
    assert quarter.frame.display_window == quarter.frame.data_window == Box(0, 0, 64, 36)  # full-res coordinates
    assert quarter.frame.scale == pytest.approx(full.frame.scale / 4)
    assert viewer.canvas.format_box == Box(0, 0, 64, 36)
    assert viewer.renderer.cache.peek(full.frame.key)  # the full picture stays cached for switching back
    viewer.canvas.probe.emit(61, 34)
    text = viewer.probe_label.text()
    assert "x    61" in text and "R 0.2500" in text and "proxy 1/4" in text
    viewer.set_proxy_scale(1.0)
    assert viewer.proxy_box.currentText() == "1"
    assert shown(qtbot, viewer, scale=1.0).frame.key == full.frame.key
    with pytest.raises(ValueError, match="proxy scale"):
        viewer.set_proxy_scale(0.3)


def test_a_dragged_region_of_interest_is_all_that_is_computed(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    full = shown(qtbot, viewer, region=None)
    viewer.canvas.fit()
    drag(qtbot, viewer.canvas, (3.0, 2.0), (20.0, 20.0))
    assert viewer.roi is None  # dragging does nothing until the ROI is turned on
    viewer.roi_button.click()
    assert viewer.roi_enabled and viewer.canvas.roi_editing
    drag(qtbot, viewer.canvas, (8.2, 4.5), (30.5, 20.0))
    assert viewer.roi == Box(8, 4, 31, 20)
    roi = shown(qtbot, viewer, region=Box(8, 4, 31, 20))
    assert roi.image.data_window == Box(8, 4, 31, 20)
    assert roi.frame.data_window == Box(8, 4, 31, 20)
    assert viewer.canvas.backdrop is full.frame  # the rest of the last whole picture is drawn around it
    viewer.canvas.probe.emit(40, 30)
    assert "outside the region of interest" in viewer.probe_label.text()
    viewer.canvas.probe.emit(10, 5)
    assert "R 0.2500" in viewer.probe_label.text()
    viewer.set_proxy_scale(0.5)
    both = shown(qtbot, viewer, region=Box(8, 4, 32, 20), scale=0.5)  # snapped to whole proxy pixels
    assert both.image.data_window == Box(4, 2, 16, 10) and both.frame.data_window == Box(8, 4, 32, 20)
    viewer.roi_button.click()
    whole = shown(qtbot, viewer, region=None, scale=0.5)
    assert whole.image.data_window == Box(0, 0, 32, 18) and viewer.canvas.backdrop is None


def test_the_region_of_interest_is_drawn_over_the_backdrop(qtbot, viewer, comp):
    viewer.view_node(comp["Grade1"])
    shown(qtbot, viewer, region=None)
    viewer.set_roi(Box(16, 8, 48, 28))
    viewer.set_roi_enabled(True)
    assert viewer.roi_button.isChecked()
    shown(qtbot, viewer, region=Box(16, 8, 48, 28))
    comp["Grade1"]["multiply"] = (2.0, 2.0, 2.0, 1.0)  # only the region shows the edit
    shown(qtbot, viewer, region=Box(16, 8, 48, 28))
    qtbot.waitUntil(lambda: float(viewer.renderer.last.image.pixels[0, 0, 0]) == pytest.approx(0.5), timeout=10000)
    picture = viewer.canvas.grab().toImage()
    inside = picture.pixelColor(viewer.canvas.to_widget(30, 18).toPoint())
    outside = picture.pixelColor(viewer.canvas.to_widget(5, 30).toPoint())
    assert inside.red() > outside.red() > 0  # the backdrop is the old, darker picture
