import math

import numpy as np
import pytest

from plugins.led_wall.geometry import (
    arc_angles,
    cabinet_angle,
    canvas_size,
    column_edges,
    stage_cabinets,
    wall_cabinets,
    wall_size_m,
    wall_vertices,
)
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def test_the_12x6_wall_counts_and_canvas(stage_12x6):
    # 12 m / 0.5 m = 24 columns, 6 m / 0.5 m = 12 rows: 288 cabinets;
    # canvas 24 x 192 = 4608 px wide and 12 x 192 = 2304 px tall, from the stated pixels.
    cabinets = stage_cabinets(stage_12x6)
    assert len(cabinets) == 288
    assert canvas_size(stage_12x6) == (4608, 2304)
    assert wall_size_m(stage_12x6.wall("main")) == (12.0, 6.0)
    last = cabinets[-1]
    assert (last.col, last.row, last.box) == (23, 11, (4416, 2112, 4608, 2304))
    assert last.id == "main_C23_R11"


def test_canvas_size_comes_from_stated_pixels_not_pitch():
    # 8 px stated over 500 mm would be 62.5 mm pitch; a pitch of 2.6 mm must not change the canvas.
    data = tiny_dict()
    data["panels"][0]["pixel_pitch"] = 2.6
    stage = stage_from_dict(data)
    assert canvas_size(stage) == (4 * 8, 3 * 6)


def test_missing_cabinets_are_left_out():
    data = tiny_dict()
    data["walls"][0]["missing"] = [[0, 2], [3, 0]]
    cabinets = wall_cabinets(stage_from_dict(data).wall("w"))
    assert len(cabinets) == 4 * 3 - 2
    assert {(c.col, c.row) for c in cabinets}.isdisjoint({(0, 2), (3, 0)})


def test_walls_without_a_position_go_side_by_side():
    # a: 2 x 3 cabinets of 8 x 6 px = 16 x 18; b: 3 x 1 = 24 x 6 placed at x = 16.
    walls = [{"name": "a", "panel_name": "p8x6", "panel_count_width": 2, "panel_count_height": 3},
             {"name": "b", "panel_name": "p8x6", "panel_count_width": 3, "panel_count_height": 1}]
    stage = stage_from_dict(tiny_dict(walls=walls, raster_maps=[]))
    assert (stage.wall("b").canvas_x, stage.wall("b").canvas_y) == (16, 0)
    assert canvas_size(stage) == (40, 18)
    explicit = [dict(walls[0]), dict(walls[1], canvas_x=0, canvas_y=18)]
    stage = stage_from_dict(tiny_dict(walls=explicit, raster_maps=[]))
    assert canvas_size(stage) == (24, 24)


@pytest.mark.parametrize("width, radius, degrees", [
    (500, 12000, 2.387497),  # 2 * asin(500 / 24000) = 2 * asin(0.0208333) = 2 * 0.0208348 rad
    (500, 1000, 28.955024),  # 2 * asin(0.25) = 2 * 0.2526803 rad
    (500, 250, 180.0),       # R = w / 2: the cabinet spans a half circle
])
def test_cabinet_angle_is_the_chord_angle(width, radius, degrees):
    assert cabinet_angle(width, radius) == pytest.approx(degrees, abs=1e-6)


def test_curved_wall_angles_and_canvas_width(stage_12x6):
    wall = stage_12x6.wall("main")
    per, total = arc_angles(wall)
    assert per == pytest.approx(2.387497, abs=1e-6)
    assert total == pytest.approx(24 * 2.387497, abs=1e-4)  # 57.30 degrees
    assert wall.width_px == 24 * 192  # curving changes nothing on the canvas


def test_curved_columns_are_chords_of_the_arc(stage_12x6):
    edges = column_edges(stage_12x6.wall("main"))
    chords = np.hypot(*np.diff(edges, axis=0).T)
    np.testing.assert_allclose(chords, 0.5, atol=1e-12)  # every cabinet is 500 mm wide
    radius = np.hypot(edges[:, 0], edges[:, 1] - 12.0)  # centre 12 m in front of the first edge
    np.testing.assert_allclose(radius, 12.0, atol=1e-12)
    assert np.all(edges[1:, 1] > 0)  # concave: bends towards the audience (+z)


def test_flat_wall_vertices_are_origin_plus_rotation():
    data = tiny_dict()
    data["walls"][0].update(origin=[1.0, 2.0, 3.0], rotation={"yaw": 90.0})
    wall = stage_from_dict(data).wall("w")
    vertices = wall_vertices(wall)
    assert vertices.shape == (4, 5, 3)
    np.testing.assert_allclose(vertices[3, 0], (1.0, 2.0, 3.0), atol=1e-12)  # bottom-left is the origin
    np.testing.assert_allclose(vertices[0, 0], (1.0, 2.0 + 3 * 0.375, 3.0), atol=1e-12)  # top-left
    # yaw 90 turns +x (along the wall) to -z: the bottom-right corner is 2 m "into" the stage.
    np.testing.assert_allclose(vertices[3, 4], (1.0, 2.0, 3.0 - 4 * 0.5), atol=1e-12)
    assert math.isclose(np.linalg.norm(vertices[3, 4] - vertices[3, 0]), 2.0)
