import numpy as np

from plugins.led_wall import patterns
from plugins.led_wall.encoding import container16, encoder_for, from_container16
from plugins.led_wall.model import Eotf, SignalRange
from plugins.led_wall.rasters import assemble


def _level():
    # 10-bit full-range PQ: white 100 nits = 520; grey 25 nits: Y = 0.0025, Y^m1 = 0.3850235,
    # (c1 + c2 Y^m1) / (1 + c3 Y^m1) = 8.0942326 / 8.1951272 = 0.9876885, ^m2 = 0.3765471 -> 385.21 -> 385.
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    return patterns.levels(encoder, 100.0 / 10000.0)


def test_levels_are_encoded_like_the_picture():
    level = _level()
    assert from_container16(np.uint16([level["black"], level["white"]]), 10).tolist() == [0, 520]
    assert level["grey"] == int(container16(np.uint16([385]), 10)[0])


def test_checker_alternates_inside_and_between_cabinets(plan_12x6):
    level = _level()
    canvas = patterns.checker(plan_12x6, level)
    assert canvas.shape == (2304, 4608, 3)
    # 192 px cabinets, 4 squares of 48 px; cabinet (0, 0) starts dark, its next square is bright,
    # and cabinet (1, 0) starts bright. Borders (2 px) and the centred label are grey.
    assert canvas[10, 10, 0] == level["black"] and canvas[10, 58, 0] == level["white"]
    assert canvas[10, 192 + 10, 0] == level["white"] and canvas[192 + 10, 10, 0] == level["white"]
    assert canvas[0, 100, 0] == level["grey"]
    assert set(np.unique(canvas)) == {level["black"], level["grey"], level["white"]}


def test_outline_marks_segments_and_the_raster_border(tiny_plan, tiny_stage):
    level = _level()
    raster = assemble(patterns.grid(tiny_plan, level), tiny_stage, "P2")
    patterns.outline_raster(tiny_plan, "P2", raster, level)
    white = level["white"]
    assert (raster[0, :, 0] == white).all() and (raster[:, -1, 0] == white).all()  # raster border
    assert raster[1, 2, 0] == white and raster[16, 19, 0] == white  # the turned segment's corners


def test_frame_counter_bar_steps_each_frame_and_loops(tiny_plan):
    level = _level()
    # 32 px wide, a 24-frame loop: the bar is max(1, 32 // 24) = 1 px wide at x = frame % 24.
    first = patterns.frame_counter(tiny_plan, level, 0, 24)
    later = patterns.frame_counter(tiny_plan, level, 5, 24)
    looped = patterns.frame_counter(tiny_plan, level, 29, 24)
    assert first[17, 0, 0] == level["grey"] and later[17, 5, 0] == level["grey"]
    assert later[17, 0, 0] == level["black"] and looped[17, 5, 0] == level["grey"]
    assert not np.array_equal(later, looped)  # the number differs even where the bar does not
