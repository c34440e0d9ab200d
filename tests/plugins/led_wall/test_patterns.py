import numpy as np

from plugins.led_wall import patterns
from plugins.led_wall.encoding import container16, encoder_for, from_container16
from plugins.led_wall.model import Eotf, SignalRange
from plugins.led_wall.rasters import assemble


def _level():
    # 10-bit full-range PQ: white 100 nits = 520, grey 25 nits = round(1023 * 0.3608...) = 369.
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    return patterns.levels(encoder, 100.0 / 10000.0)


def test_levels_are_encoded_like_the_picture():
    level = _level()
    assert from_container16(np.uint16([level["black"], level["white"]]), 10).tolist() == [0, 520]
    assert level["grey"] == int(container16(np.uint16([369]), 10)[0])


def test_checker_alternates_inside_and_between_cabinets(tiny_plan):
    level = _level()
    canvas = patterns.checker(tiny_plan, level)
    assert canvas.shape == (18, 32, 3)
    # Cabinet (0, 0): square (0, 0) is dark, square (1, 0) bright; cabinet (1, 0) starts bright.
    first = tiny_plan.placement("w_C00_R00").cabinet
    square = first.w // 4
    assert canvas[1, square + 0, 0] in (level["white"], level["grey"])
    assert canvas[3, 3, 0] != canvas[3, 8 + 3, 0] or canvas[3, 3, 0] == level["grey"]
    assert set(np.unique(canvas)) <= {level["black"], level["grey"], level["white"]}


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
