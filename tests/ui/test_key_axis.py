import pytest

from nodecomp.ui.key_axis import AxisMap, format_number, nice_step


def test_fit_maps_the_range_onto_the_pixels_either_way_up():
    frames = AxisMap()
    frames.fit(1, 101, 50, 1050)
    assert frames.to_px(1) == pytest.approx(50) and frames.to_px(101) == pytest.approx(1050)
    values = AxisMap()
    values.fit(0.0, 2.0, 400, 20)  # values grow upwards
    assert values.scale < 0 and values.to_px(2.0) == pytest.approx(20)
    assert values.to_unit(values.to_px(0.7)) == pytest.approx(0.7)
    flat = AxisMap()
    flat.fit(3.0, 3.0, 0, 100)  # a flat curve still gets a visible span
    assert flat.to_unit(0) < 3.0 < flat.to_unit(100)


def test_zoom_keeps_the_unit_under_the_cursor_and_pan_slides():
    axis = AxisMap(0.0, 10.0)
    anchor = axis.to_unit(230)
    axis.zoom(2.0, 230)
    assert axis.scale == 20.0 and axis.to_unit(230) == pytest.approx(anchor)
    axis.pan(40)
    assert axis.to_unit(270) == pytest.approx(anchor)
    axis.zoom(1e-12, 0)
    assert axis.scale > 0  # clamped, never zero


def test_ticks_use_round_steps():
    axis = AxisMap(0.0, 10.0)  # 10 px per frame: 60 px wants a step of 10 frames
    assert axis.ticks(0, 300) == [0.0, 10.0, 20.0, 30.0]
    zoomed = AxisMap(0.0, 1000.0)
    assert zoomed.ticks(0, 1500, whole=True) == [0.0, 1.0]  # never between frames
    assert [nice_step(s) for s in (0.03, 0.2, 3, 7, 10)] == [0.05, 0.2, 5, 10, 10]
    assert format_number(0.25, 0.05) == "0.25" and format_number(-0.0, 0.5) == "0" and format_number(20, 10) == "20"
