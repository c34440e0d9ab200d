import pytest

from nodecomp.engine.image import Box
from nodecomp.ui.viewer_compare import DIFFERENCE, A, B, CompareLayout, CompareMode, Wipe, side_by_side_offset

FORMAT = Box(0, 0, 100, 50)


def test_a_vertical_wipe_shows_a_left_and_b_right():
    wipe = Wipe()
    assert wipe.centre(FORMAT) == (50.0, 25.0)
    assert wipe.side(10, 10, FORMAT) == A and wipe.side(90, 10, FORMAT) == B
    assert wipe.side(50, 0, FORMAT) == B  # the line itself is B's


def test_a_wipe_turned_90_degrees_shows_a_above_and_b_below():
    wipe = Wipe(angle=90.0)
    assert wipe.side(50, 5, FORMAT) == A and wipe.side(50, 45, FORMAT) == B
    assert wipe.side(0, 20, FORMAT) == A and wipe.side(99, 30, FORMAT) == B


def test_moving_the_wipe_keeps_its_centre_inside_the_format():
    assert Wipe().moved_to(25, 10, FORMAT) == Wipe(0.25, 0.2, 0.0)
    assert Wipe(angle=30).moved_to(-40, 500, FORMAT) == Wipe(0.0, 1.0, 30.0)


@pytest.mark.parametrize(("dx", "dy", "angle"), [(0, -1, 0.0), (1, 0, 90.0), (-1, 0, -90.0), (0, 1, -180.0),
                                                  (1, -1, 45.0)])
def test_turning_points_the_handle_where_it_is_dragged(dx, dy, angle):
    turned = Wipe(0.3, 0.4).turned_towards(dx, dy)
    assert turned.angle == pytest.approx(angle) and (turned.x, turned.y) == (0.3, 0.4)
    hx, hy = turned.direction()
    assert (-hx, -hy) == pytest.approx((dx / (dx * dx + dy * dy) ** 0.5, dy / (dx * dx + dy * dy) ** 0.5))


def test_turning_snaps_to_steps_and_ignores_no_movement():
    assert Wipe().turned_towards(1.0, -0.9, snap=15.0).angle == pytest.approx(45.0)
    assert Wipe(angle=10).turned_towards(0, 0) == Wipe(angle=10)


def test_side_by_side_puts_b_right_of_a_past_a_gap():
    assert side_by_side_offset(FORMAT, FORMAT) == (104, 0)  # 3% of 100 is under the 4-pixel minimum
    wide = Box(0, 0, 2000, 1000)
    assert side_by_side_offset(wide, Box(10, 20, 510, 270)) == (2050, -20)


def test_the_layout_says_what_is_drawn_where():
    off = CompareLayout(CompareMode.OFF, FORMAT, FORMAT)
    assert off.slots() == (A,) and off.bounds() == FORMAT and off.locate(80, 10) == (A, 80, 10)
    wipe = CompareLayout(CompareMode.WIPE, FORMAT, FORMAT, Wipe(0.25))
    assert wipe.slots() == (A, B) and wipe.bounds() == FORMAT
    assert wipe.locate(20, 10) == (A, 20, 10) and wipe.locate(30, 10) == (B, 30, 10)
    side = CompareLayout(CompareMode.SIDE_BY_SIDE, FORMAT, FORMAT)
    assert side.offset(A) == (0, 0) and side.offset(B) == (104, 0)
    assert side.bounds() == Box(0, 0, 204, 50)
    assert side.locate(99, 5) == (A, 99, 5) and side.locate(110, 5) == (B, 6, 5)
    assert side.locate(101, 5)[0] == A and side.locate(102, 5)[0] == B  # the gap is split in the middle
    difference = CompareLayout(CompareMode.DIFFERENCE, FORMAT, FORMAT)
    assert difference.slots() == (DIFFERENCE,) and difference.locate(5, 5) == (DIFFERENCE, 5, 5)
