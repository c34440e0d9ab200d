import numpy as np
import pytest
from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.ui.display import DisplayView
from nodecomp.ui.viewer import Viewer
from nodecomp.ui.viewer_compare import CompareMode
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


# ----------------------------------------------------------------- A/B compare
RAW = DisplayView("sRGB - Display", "Raw")


@pytest.fixture
def ab(qtbot, viewer, comp):
    """A = a red constant, B = a blue constant through a Grade, both shown in wipe mode (Raw view)."""
    red = comp.add("Constant", color=(1.0, 0.0, 0.0, 1.0), name="Red")
    blue = comp.add("Constant", color=(0.0, 0.0, 1.0, 1.0), name="Blue")
    comp.add("Grade", blue, name="BlueGrade")
    viewer.set_display_view(RAW)
    viewer.view_node(red)
    viewer.set_b_node(comp["BlueGrade"])
    qtbot.waitUntil(lambda: both_shown(viewer), timeout=10000)
    return viewer


def both_shown(viewer):
    a, b = viewer.renderer.result("A"), viewer.renderer.result("B")
    return a is not None and b is not None and viewer.idle


def painted(viewer, x, y):
    """The colour painted over image point (x, y) of A's format."""
    canvas = viewer.canvas
    colour = canvas.grab().toImage().pixelColor(canvas.to_widget(x + 0.5, y + 0.5).toPoint())
    return colour.red(), colour.green(), colour.blue()


def test_setting_b_turns_the_wipe_on_with_a_left_and_b_right(ab):
    assert ab.compare is CompareMode.WIPE and ab.canvas.mode is CompareMode.WIPE
    assert ab.target("A") == "Red" and ab.target("B") == "BlueGrade"
    assert "A Red" in ab.node_label.text() and "B BlueGrade" in ab.node_label.text()
    assert painted(ab, 8, 18) == (255, 0, 0) and painted(ab, 30, 18) == (255, 0, 0)
    assert painted(ab, 34, 18) == (0, 0, 255) and painted(ab, 60, 18) == (0, 0, 255)


def test_dragging_the_wipe_moves_the_split_in_the_picture_and_the_probe(qtbot, ab):
    centre, _turn = ab.canvas.wipe_handles()
    target = ab.canvas.to_widget(16, 18).toPoint()
    qtbot.mousePress(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=centre.toPoint())
    qtbot.mouseMove(ab.canvas, target)
    qtbot.mouseRelease(ab.canvas, QtCore.Qt.MouseButton.LeftButton, pos=target)
    assert ab.canvas.wipe.x == pytest.approx(0.25, abs=0.02)
    assert painted(ab, 10, 18) == (255, 0, 0) and painted(ab, 24, 18) == (0, 0, 255)
    ab.canvas.probe.emit(10, 18)
    assert ab.probe_label.text().split()[0] == "A" and "R 1.0000" in ab.probe_label.text()
    ab.canvas.probe.emit(24, 18)
    text = ab.probe_label.text()
    assert text.split()[0] == "B" and "R 0.0000" in text and "B 1.0000" in text and "display 0 0 255" in text


def test_display_settings_apply_to_both_sides(qtbot, ab):
    images = ab.renderer.result("A").image, ab.renderer.result("B").image
    ab.exposure_box.setValue(-1.0)
    qtbot.waitUntil(lambda: all(ab.renderer.result(s).settings.exposure == -1.0 for s in "AB")
                    and ab.idle, timeout=5000)
    assert painted(ab, 8, 18) == (128, 0, 0) and painted(ab, 56, 18) == (0, 0, 128)
    ab.set_channels(Channels.BLUE)
    qtbot.waitUntil(lambda: all(ab.renderer.result(s).settings.channels is Channels.BLUE for s in "AB")
                    and ab.idle, timeout=5000)
    assert painted(ab, 8, 18) == (0, 0, 0) and painted(ab, 56, 18) == (128, 128, 128)
    assert (ab.renderer.result("A").image, ab.renderer.result("B").image) == images  # the engine was not asked
    ab.exact_action.setChecked(True)  # the exact OCIO processor instead of the baked LUT, on both sides
    qtbot.waitUntil(lambda: all(ab.renderer.result(s).settings.exact for s in "AB") and ab.idle, timeout=5000)
    assert painted(ab, 8, 18) == (0, 0, 0) and painted(ab, 56, 18) == (128, 128, 128)


def test_changing_b_re_renders_only_b(qtbot, ab, comp):
    delivered = []
    ab.renderer.frame_ready.connect(lambda result: delivered.append(result.slot))
    shown_a = ab.renderer.result("A")
    comp["BlueGrade"]["multiply"] = (0.5, 0.5, 0.5, 1.0)
    qtbot.waitUntil(lambda: float(ab.renderer.result("B").image.pixels[0, 0, 2]) == pytest.approx(0.5)
                    and ab.idle, timeout=10000)
    assert delivered == ["B"] and ab.renderer.result("A") is shown_a
    assert painted(ab, 8, 18) == (255, 0, 0) and painted(ab, 56, 18) == (0, 0, 128)


def test_side_by_side_shows_b_beside_a_with_labels(qtbot, ab):
    ab.set_compare(CompareMode.SIDE_BY_SIDE)
    qtbot.waitUntil(lambda: ab.idle, timeout=5000)
    layout = ab.canvas.layout()
    dx, dy = layout.offset("B")
    assert (dx, dy) == (68, 0) and layout.bounds().width == 132
    assert painted(ab, 32, 18) == (255, 0, 0) and painted(ab, dx + 32, 18) == (0, 0, 255)
    assert [text for text, _box in ab.canvas.label_boxes()] == ["A  Red", "B  BlueGrade"]
    ab.canvas.probe.emit(dx + 5, 7)
    text = ab.probe_label.text()
    assert text.split()[0] == "B" and "x     5" in text and "B 1.0000" in text


def test_difference_shows_a_minus_b_through_the_same_display(qtbot, ab, comp):
    comp["Blue"]["color"] = (1.0, 0.0, 0.5, 1.0)
    ab.set_compare(CompareMode.DIFFERENCE)
    qtbot.waitUntil(lambda: ab.renderer.result("D") is not None and ab.idle, timeout=10000)
    np.testing.assert_allclose(ab.renderer.result("D").image.pixels[0, 0], (0.0, 0.0, 0.5, 0.0))
    assert painted(ab, 8, 18) == (0, 0, 128) and painted(ab, 56, 18) == (0, 0, 128)
    ab.canvas.probe.emit(3, 3)
    assert ab.probe_label.text().split()[0] == "A-B" and "B 0.5000" in ab.probe_label.text()
    comp["Blue"]["color"] = (1.0, 0.0, 0.25, 1.0)  # an edit of B: the difference follows
    qtbot.waitUntil(lambda: float(ab.renderer.result("D").image.pixels[0, 0, 2]) == pytest.approx(0.25)
                    and ab.idle, timeout=10000)
    assert painted(ab, 8, 18) == (0, 0, 64)


def test_w_toggles_the_wipe_and_off_shows_only_a(qtbot, ab):
    ab.set_compare(CompareMode.OFF)
    qtbot.waitUntil(lambda: ab.node_label.text() == "  Red  ", timeout=5000)
    assert painted(ab, 56, 18) == (255, 0, 0)
    ab.canvas.probe.emit(56, 18)
    assert ab.probe_label.text().split()[0] == "x"
    ab.canvas.setFocus()
    qtbot.keyClick(ab.canvas, QtCore.Qt.Key.Key_W)
    assert ab.compare is CompareMode.WIPE


def test_swap_exchanges_a_and_b(qtbot, ab):
    ab.swap()
    qtbot.waitUntil(lambda: ab.renderer.result("A").frame.node == "BlueGrade" and ab.idle,
                    timeout=10000)
    assert ab.target("B") == "Red" and painted(ab, 8, 18) == (0, 0, 255) and painted(ab, 56, 18) == (255, 0, 0)


def test_b_follows_renames_and_removal(qtbot, ab, comp):
    comp.rename(comp["BlueGrade"], "Look")
    assert ab.b_name == "Look"
    comp.remove(comp["Look"])
    qtbot.waitUntil(lambda: ab.renderer.result("B") is None, timeout=5000)
    assert ab.b_name is None and "press 2" in ab.node_label.text()
    assert painted(ab, 8, 18) == (255, 0, 0) and painted(ab, 56, 18) == (38, 38, 38)  # B's side is empty
    assert ab.canvas.label_boxes()[1][0] == "B  press 2 on a node"


def test_a_shut_down_viewer_stops_following_the_document(qtbot, comp, caplog):
    viewer = Viewer(ImageCache(16 * 1024 * 1024))
    viewer.set_document(comp)
    viewer.shutdown()
    viewer.deleteLater()
    settle()
    comp["Grade1"]["multiply"] = (2.0, 2.0, 2.0, 1.0)  # a deleted viewer still listening would fail here
    assert not [r for r in caplog.records if "listener" in r.getMessage()]
