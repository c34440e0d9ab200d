import pytest

from plugins.led_wall.errors import WallError
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def _message(data):
    with pytest.raises(WallError) as info:
        stage_from_dict(data)
    return str(info.value)


def _mapping(**changes):
    mapping = {"wall_name": "w", "raster_u": 0, "raster_v": 0, "wall_segment_u_start": 0, "wall_segment_u_end": 16,
               "wall_segment_v_start": 0, "wall_segment_v_end": 18}
    mapping.update(changes)
    return mapping


def _rasters(*mappings, processor="P1"):
    return [{"processor": processor, "mappings": list(mappings)}]


def test_names_must_be_unique():
    data = tiny_dict()
    data["processors"][1]["name"] = "P1"
    data["raster_maps"] = _rasters(_mapping())
    assert "processors[1].name: 'P1' is used twice" in _message(data)


def test_raster_maps_name_existing_processors_and_walls():
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_name="side"), processor="P9")))
    assert "raster_maps[0].processor: no processor named 'P9' (processors: P1, P2)" in message
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_name="side"))))
    assert "raster_maps[0].mappings[0].wall_name: no wall named 'side' (walls: w)" in message


def test_one_raster_map_per_processor():
    message = _message(tiny_dict(raster_maps=_rasters(_mapping()) + _rasters(_mapping(wall_segment_u_start=16,
                                                                                      wall_segment_u_end=32))))
    assert "raster_maps[1].processor: processor 'P1' already has a raster map" in message


def test_segments_stay_inside_their_wall_and_raster():
    # The wall is 32 x 18 px; the raster 40 x 20.
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_segment_u_end=33))))
    assert "mappings[0].wall_segment_u_end: 33 is beyond the wall's width of 32 px" in message
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_segment_v_end=0))))
    assert "wall_segment_v_end: must be at least 1" in message
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_segment_u_start=8, wall_segment_u_end=8))))
    assert "wall_segment_u_end: 8 must be greater than the start 8" in message
    # 16 x 18 turned 90 degrees is 18 x 16: at v=5 it reaches row 21 of a 20-row raster.
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(raster_v=5, wall_segment_orientation=90))))
    assert "the segment lands at 0,5-18,21, outside the 40 x 20 raster" in message
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(wall_segment_orientation=45))))
    assert "wall_segment_orientation: must be 0, 90, 180 or 270, got 45" in message


def test_segments_on_one_raster_must_not_overlap():
    second = _mapping(raster_u=10, wall_segment_u_start=16, wall_segment_u_end=32)
    message = _message(tiny_dict(raster_maps=_rasters(_mapping(), second)))
    assert "raster_maps[0].mappings[1]: overlaps mappings[0] on the raster of P1" in message


def test_walls_must_not_overlap_on_the_canvas():
    walls = [{"name": "a", "panel_name": "p8x6", "panel_count_width": 2, "panel_count_height": 3},
             {"name": "b", "panel_name": "p8x6", "panel_count_width": 2, "panel_count_height": 3,
              "canvas_x": 8, "canvas_y": 0}]
    message = _message(tiny_dict(walls=walls, raster_maps=[]))
    assert "walls[1].canvas_x: wall 'b' overlaps wall 'a' on the canvas" in message


def test_the_input_cannot_exceed_what_the_processor_accepts():
    data = tiny_dict(raster_maps=[])
    data["processors"][0]["input_width"] = 41
    assert "processors[0].input_width: 41 is wider than the processor accepts (40)" in _message(data)
