import numpy as np

from plugins.led_wall.overlay import draw_overlay, over_background, port_colour
from plugins.led_wall.plan import build_plan
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def _big_tiny_plan(**wall_changes):
    """The tiny wall with 96 x 72 px cabinets so labels and arrows have room."""
    data = tiny_dict()
    data["panels"][0].update(px_w=96, px_h=72)
    data["walls"][0].update(wall_changes)
    data["processors"] = [dict(p, max_input_width=480, max_input_height=240, pixels_per_port=10_000)
                          for p in data["processors"]]
    data["raster_maps"][0]["mappings"][0].update(wall_segment_u_end=192, wall_segment_v_end=216)
    data["raster_maps"][1]["mappings"][0].update(wall_segment_u_start=192, wall_segment_u_end=384,
                                                 wall_segment_v_end=216)
    return build_plan(stage_from_dict(data))


def test_overlay_covers_the_canvas_and_tints_by_port():
    plan = _big_tiny_plan()
    rgba = draw_overlay(plan, labels=False, arrows=False)
    assert rgba.shape == (216, 384, 4) and rgba.dtype == np.uint8
    placement = plan.placement("w_C00_R01")
    x0, y0, x1, y1 = placement.cabinet.box
    centre = rgba[(y0 + y1) // 2, (x0 + x1) // 2]
    assert tuple(centre[:3]) == port_colour(placement.port) and 0 < centre[3] < 255
    assert rgba[y0, x0 + 20, 3] == 255  # the grid line is opaque


def test_ports_get_distinct_colours():
    colours = {port_colour(p) for p in range(1, 13)}
    assert len(colours) == 12


def test_missing_cabinets_are_grey_and_crossed():
    plan = _big_tiny_plan(missing=[[1, 1]])
    rgba = draw_overlay(plan, labels=False, arrows=False)
    patch = rgba[72 + 2:72 + 10, 96 + 40:96 + 50, :3]  # clear of the cross and the processor label
    assert (patch == 90).all()  # grey fill away from the cross


def test_labels_and_arrows_draw_something():
    plan = _big_tiny_plan()
    plain = draw_overlay(plan, labels=False, arrows=False)
    full = draw_overlay(plan)
    assert (full != plain).any(axis=2).sum() > 2000


def test_scale_and_background():
    plan = _big_tiny_plan()
    small = draw_overlay(plan, scale=0.5)
    assert small.shape == (108, 192, 4)
    picture = over_background(small, 40)
    assert picture.shape == (108, 192, 3) and picture.dtype == np.uint8
    clear = np.zeros((2, 2, 4), np.uint8)
    assert (over_background(clear, 40) == 40).all()
    solid = np.full((2, 2, 4), 255, np.uint8)
    solid[..., :3] = 200
    assert (over_background(solid, np.zeros((2, 2, 3), np.uint8)) == 200).all()
    half = np.full((1, 1, 4), 102, np.uint8)  # alpha 0.4: 102 * 0.4 + 40 * 0.6 = 64.8
    assert over_background(half, 40)[0, 0, 0] in (64, 65)
