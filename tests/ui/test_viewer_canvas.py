import numpy as np
import pytest
from PySide6 import QtCore

from nodecomp.engine.image import Box
from nodecomp.ui.viewer_canvas import TURN_HANDLE_DISTANCE, ImageCanvas
from nodecomp.ui.viewer_compare import A, B, CompareMode, Wipe
from nodecomp.ui.viewer_image import DisplayFrame
from tests.ui.qt_helpers import settle

FORMAT = Box(0, 0, 64, 36)
RED, BLUE = (255, 0, 0), (0, 0, 255)
LEFT = QtCore.Qt.MouseButton.LeftButton


def solid(colour, box=FORMAT):
    rgba = np.zeros((box.height, box.width, 4), np.uint8)
    rgba[...] = (*colour, 255)
    return DisplayFrame(rgba, box, box, 1.0)


@pytest.fixture
def canvas(qtbot):
    widget = ImageCanvas()
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_frame(solid(RED), A)
    widget.set_frame(solid(BLUE), B)
    yield widget
    widget.deleteLater()
    settle()


def colour_at(canvas, x, y):
    """The painted colour over image point (x, y)."""
    point = canvas.to_widget(x, y).toPoint()
    colour = canvas.grab().toImage().pixelColor(point)
    return colour.red(), colour.green(), colour.blue()


def test_compare_off_paints_only_a(canvas):
    assert colour_at(canvas, 10, 18) == RED and colour_at(canvas, 54, 18) == RED


def test_the_wipe_paints_a_left_and_b_right_of_its_line(canvas):
    canvas.set_compare(CompareMode.WIPE)
    assert colour_at(canvas, 10, 18) == RED and colour_at(canvas, 30, 18) == RED
    assert colour_at(canvas, 34, 18) == BLUE and colour_at(canvas, 54, 18) == BLUE


def test_dragging_the_centre_handle_moves_the_wipe(qtbot, canvas):
    canvas.set_compare(CompareMode.WIPE)
    seen = []
    canvas.wipe_changed.connect(seen.append)
    centre, _turn = canvas.wipe_handles()
    qtbot.mousePress(canvas, LEFT, pos=centre.toPoint())
    qtbot.mouseMove(canvas, canvas.to_widget(16, 18).toPoint())
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.to_widget(16, 18).toPoint())
    assert canvas.wipe.x == pytest.approx(0.25, abs=0.02) and canvas.wipe.angle == 0.0 and seen
    assert colour_at(canvas, 10, 18) == RED and colour_at(canvas, 24, 18) == BLUE
    qtbot.mouseMove(canvas, canvas.to_widget(40, 18).toPoint())  # released: moving no longer drags
    assert canvas.wipe.x == pytest.approx(0.25, abs=0.02)


def test_dragging_the_line_away_from_the_handle_moves_it_too(qtbot, canvas):
    canvas.set_compare(CompareMode.WIPE)
    start = canvas.to_widget(32, 4).toPoint()
    qtbot.mousePress(canvas, LEFT, pos=start)
    qtbot.mouseMove(canvas, canvas.to_widget(48, 4).toPoint())
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.to_widget(48, 4).toPoint())
    assert canvas.wipe.x == pytest.approx(0.75, abs=0.02) and canvas.wipe.y == pytest.approx(0.5)


def test_dragging_the_round_handle_turns_the_wipe(qtbot, canvas):
    canvas.set_compare(CompareMode.WIPE)
    centre, turn = canvas.wipe_handles()
    assert turn.y() == pytest.approx(centre.y() - TURN_HANDLE_DISTANCE)  # straight up at angle 0
    right = QtCore.QPoint(int(centre.x() + TURN_HANDLE_DISTANCE), int(centre.y()))
    qtbot.mousePress(canvas, LEFT, pos=turn.toPoint())
    qtbot.mouseMove(canvas, right)
    qtbot.mouseRelease(canvas, LEFT, pos=right)
    assert canvas.wipe.angle == pytest.approx(90.0, abs=1.0)
    assert colour_at(canvas, 32, 6) == RED and colour_at(canvas, 32, 30) == BLUE  # A above, B below


def test_a_double_click_on_the_centre_resets_the_wipe(qtbot, canvas):
    canvas.set_compare(CompareMode.WIPE)
    canvas.set_wipe(Wipe(0.2, 0.7, 33.0))
    centre, _turn = canvas.wipe_handles()
    qtbot.mouseDClick(canvas, LEFT, pos=centre.toPoint())
    assert canvas.wipe == Wipe()


def test_the_left_button_away_from_the_wipe_does_not_move_it(qtbot, canvas):
    canvas.set_compare(CompareMode.WIPE)
    qtbot.mousePress(canvas, LEFT, pos=canvas.to_widget(8, 8).toPoint())
    qtbot.mouseMove(canvas, canvas.to_widget(20, 8).toPoint())
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.to_widget(20, 8).toPoint())
    assert canvas.wipe == Wipe()


def test_side_by_side_frames_both_formats_and_paints_b_beside_a(canvas):
    canvas.set_compare(CompareMode.SIDE_BY_SIDE)
    layout = canvas.layout()
    assert layout.bounds() == Box(0, 0, 132, 36)
    assert canvas.zoom == pytest.approx(0.92 * min(640 / 132, 400 / 36))  # fitted to A and B
    dx, dy = layout.offset(B)
    assert (dx, dy) == (68, 0)
    assert colour_at(canvas, 32, 18) == RED and colour_at(canvas, dx + 32, 18) == BLUE
    assert colour_at(canvas, 66, 18) == (38, 38, 38)  # the gap is background
    canvas.set_compare(CompareMode.OFF)
    assert canvas.layout().bounds() == FORMAT and canvas.zoom == pytest.approx(0.92 * min(640 / 64, 400 / 36))


def test_side_by_side_labels_name_a_and_b_over_their_formats(canvas):
    canvas.set_labels("A  Grade1", "B  FG_element")
    canvas.set_compare(CompareMode.SIDE_BY_SIDE)
    (text_a, box_a), (text_b, box_b) = canvas.label_boxes()
    assert (text_a, text_b) == ("A  Grade1", "B  FG_element")
    top_a, top_b = canvas.to_widget(0, 0), canvas.to_widget(68, 0)
    assert box_a.left() == pytest.approx(top_a.x()) and box_a.bottom() <= top_a.y()
    assert box_b.left() == pytest.approx(top_b.x()) and box_b.bottom() <= top_b.y()
    image = canvas.grab().toImage()
    corner = image.pixelColor(int(box_a.left()) + 1, int(box_a.top()) + 1)
    assert corner.lightness() < 30  # the label's dark box is painted (background is 38)


def test_wipe_labels_sit_on_their_sides_of_the_line(canvas):
    canvas.set_compare(CompareMode.WIPE)
    centre, _turn = canvas.wipe_handles()
    (text_a, box_a), (text_b, box_b) = canvas.label_boxes()
    assert (text_a, text_b) == ("A", "B")
    assert box_a.right() < centre.x() < box_b.left()


def test_around_a_region_each_side_shows_its_backdrop_or_black(canvas):
    roi = Box(8, 8, 56, 28)
    canvas.set_compare(CompareMode.WIPE)
    canvas.set_roi(roi, True)
    canvas.set_frame(region_frame(RED, roi), A)
    canvas.set_frame(region_frame(BLUE, roi), B)
    assert colour_at(canvas, 12, 18) == RED and colour_at(canvas, 52, 18) == BLUE
    assert colour_at(canvas, 4, 4) == (0, 0, 0) and colour_at(canvas, 60, 4) == (0, 0, 0)  # no backdrop: black
    canvas.set_backdrop(solid((0, 255, 0)), A)
    assert canvas.backdrop is canvas.backdrops[A]
    assert colour_at(canvas, 4, 4) == (0, 255, 0) and colour_at(canvas, 60, 4) == (0, 0, 0)  # A's side only
    assert colour_at(canvas, 12, 18) == RED  # the region's picture is drawn over it
    canvas.set_roi(roi, False)  # not editing: no backdrop, no outline
    assert colour_at(canvas, 4, 4) == (38, 38, 38)


def test_a_region_is_drawn_only_while_editing_and_reported_in_the_pictures_own_pixels(qtbot, canvas):
    drawn = []
    canvas.roi_drawn.connect(drawn.append)

    def drag(start, end):
        a, b = canvas.to_widget(*start).toPoint(), canvas.to_widget(*end).toPoint()
        qtbot.mousePress(canvas, LEFT, pos=a)
        qtbot.mouseMove(canvas, b)
        qtbot.mouseRelease(canvas, LEFT, pos=b)

    drag((4.5, 4.5), (20.5, 20.5))
    assert drawn == []
    canvas.set_roi(None, True)
    drag((4.5, 4.5), (20.5, 20.5))
    drag((30.5, 30.5), (30.6, 30.6))  # a click, not a region
    assert drawn == [Box(4, 4, 21, 21)]
    canvas.set_compare(CompareMode.SIDE_BY_SIDE)
    dx, _dy = canvas.layout().offset(B)
    drag((dx + 20.5, 4.5), (dx + 10.5, 16.5))  # over B, dragged right to left
    assert drawn[-1] == Box(10, 4, 21, 17)


def region_frame(colour, box):
    """A picture covering only `box` of the format (a region-of-interest result)."""
    rgba = np.zeros((box.height, box.width, 4), np.uint8)
    rgba[...] = (*colour, 255)
    return DisplayFrame(rgba, box, FORMAT, 1.0)
