"""The viewer's proxy scale and region of interest: what is asked of the engine and how it is shown."""

import pytest
from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.engine.image import Box
from nodecomp.engine.request import Request
from nodecomp.ui.display import DisplayView
from nodecomp.ui.viewer import Viewer
from nodecomp.ui.viewer_canvas import ROI_PEN
from nodecomp.ui.viewer_compare import CompareMode
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


# ------------------------------------------------------------- with A/B compare
RAW = DisplayView("sRGB - Display", "Raw")
RED, BLUE, BLACK = (255, 0, 0), (0, 0, 255), (0, 0, 0)


@pytest.fixture
def ab(qtbot, viewer, comp):
    """A = a red constant, B = a blue constant through a Grade, in wipe mode (Raw view)."""
    comp.add("Constant", color=(1.0, 0.0, 0.0, 1.0), name="Red")
    blue = comp.add("Constant", color=(0.0, 0.0, 1.0, 1.0), name="Blue")
    comp.add("Grade", blue, name="BlueGrade")
    viewer.set_display_view(RAW)
    viewer.view_node(comp["Red"])
    viewer.set_b_node(comp["BlueGrade"])
    both(qtbot, viewer, region=None)
    return viewer


def both(qtbot, viewer, **request):
    """Wait until A and B both show pictures made for a request with these fields."""
    def ready():
        results = [viewer.renderer.result(slot) for slot in "AB"]
        return viewer.idle and all(r is not None and all(getattr(r.request, name) == value
                                                          for name, value in request.items()) for r in results)
    qtbot.waitUntil(ready, timeout=10000)


def painted(viewer, x, y):
    """The colour painted over view point (x, y)."""
    colour = viewer.canvas.grab().toImage().pixelColor(viewer.canvas.to_widget(x + 0.5, y + 0.5).toPoint())
    return colour.red(), colour.green(), colour.blue()


def outlined(viewer, x, y):
    """True when the region-of-interest outline is painted within a pixel of view point (x, y)."""
    picture = viewer.canvas.grab().toImage()
    point = viewer.canvas.to_widget(x, y).toPoint()
    return any(picture.pixelColor(point.x() + dx, point.y() + dy) == ROI_PEN for dx in (-1, 0, 1) for dy in (-1, 0, 1))


def test_proxy_and_roi_apply_to_a_b_and_their_difference(qtbot, ab, comp):
    ab.set_proxy_scale(0.5)
    ab.set_roi(Box(9, 5, 40, 30))
    ab.set_roi_enabled(True)
    both(qtbot, ab, region=Box(8, 4, 40, 30), scale=0.5)
    for slot in "AB":
        shown_slot = ab.renderer.result(slot)
        assert shown_slot.image.data_window == Box(4, 2, 20, 15) and shown_slot.frame.data_window == Box(8, 4, 40, 30)
        assert ab.canvas.backdrops[slot].node == shown_slot.frame.node  # each side keeps its own whole picture
    assert painted(ab, 12, 18) == RED and painted(ab, 36, 18) == BLUE  # the wipe splits the region
    assert painted(ab, 4, 33) == RED and painted(ab, 60, 33) == BLUE  # and the backdrops around it
    comp["Blue"]["color"] = (1.0, 0.0, 0.5, 1.0)
    ab.set_compare(CompareMode.DIFFERENCE)
    qtbot.waitUntil(lambda: ab.idle and (d := ab.renderer.result("D")) is not None
                    and float(d.image.pixels[0, 0, 2]) == pytest.approx(0.5), timeout=10000)
    difference = ab.renderer.result("D")
    assert difference.request == Request(1.0, Box(8, 4, 40, 30), 0.5)
    assert difference.image.data_window == Box(4, 2, 20, 15) and difference.frame.data_window == Box(8, 4, 40, 30)
    assert painted(ab, 12, 18) == (0, 0, 128) and painted(ab, 4, 33) == BLACK  # no whole difference yet: black
    ab.canvas.probe.emit(12, 18)
    text = ab.probe_label.text()
    assert text.split()[0] == "A-B" and "B 0.5000" in text and "proxy 1/2" in text
    ab.canvas.probe.emit(4, 33)
    assert "outside the region of interest" in ab.probe_label.text()


def test_with_the_roi_on_the_wipe_handles_still_move_the_wipe_but_its_line_does_not(qtbot, ab):
    ab.set_roi_enabled(True)
    centre, _turn = ab.canvas.wipe_handles()
    target = ab.canvas.to_widget(16, 18).toPoint()
    qtbot.mousePress(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=centre.toPoint())
    qtbot.mouseMove(ab.canvas, target)
    qtbot.mouseRelease(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=target)
    assert ab.canvas.wipe.x == pytest.approx(0.25, abs=0.02) and ab.roi is None  # the handle moved the wipe
    wipe = ab.canvas.wipe
    centre, _turn = ab.canvas.wipe_handles()
    start = QtCore.QPoint(round(centre.x()), ab.canvas.to_widget(0, 4.5).toPoint().y())  # on the line, off the handle
    end = ab.canvas.to_widget(40.5, 30.5).toPoint()
    qtbot.mousePress(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(ab.canvas, end)
    qtbot.mouseRelease(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=end)
    assert ab.canvas.wipe == wipe  # the line did not take the drag: it drew the region
    assert ab.roi is not None and (ab.roi.y0, ab.roi.x1, ab.roi.y1) == (4, 41, 31) and ab.roi.x0 in (15, 16)
    both(qtbot, ab, region=ab.roi)
    assert outlined(ab, ab.roi.x1, 18) and painted(ab, 8, 18) == RED and painted(ab, 30, 18) == BLUE


def test_side_by_side_the_region_is_drawn_over_either_picture_and_applies_to_both(qtbot, ab):
    ab.set_compare(CompareMode.SIDE_BY_SIDE)
    qtbot.waitUntil(lambda: ab.idle, timeout=5000)
    ab.roi_button.click()
    dx, _dy = ab.canvas.layout().offset("B")
    drag(qtbot, ab.canvas, (dx + 8.5, 4.5), (dx + 30.5, 20.5))  # over B
    assert ab.roi == Box(8, 4, 31, 21)  # in B's own pixels, as for A
    both(qtbot, ab, region=Box(8, 4, 31, 21))
    assert all(ab.renderer.result(slot).image.data_window == Box(8, 4, 31, 21) for slot in "AB")
    assert outlined(ab, 8, 12) and outlined(ab, dx + 8, 12)  # outlined over A and over B
    assert painted(ab, 20, 10) == RED and painted(ab, dx + 20, 10) == BLUE
    assert painted(ab, 40, 30) == RED and painted(ab, dx + 40, 30) == BLUE  # each side's backdrop
    ab.canvas.probe.emit(dx + 10, 10)
    assert ab.probe_label.text().split()[0] == "B" and "B 1.0000" in ab.probe_label.text()
    ab.canvas.probe.emit(dx + 40, 30)
    assert "outside the region of interest" in ab.probe_label.text()
