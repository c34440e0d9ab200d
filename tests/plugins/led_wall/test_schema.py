import json

import pytest

from plugins.led_wall.errors import WallError
from plugins.led_wall.model import ArcDirection, CablingMode, Corner, Eotf, Gamut, SignalRange
from plugins.led_wall.schema import load_stage, stage_from_dict
from tests.plugins.led_wall.conftest import STAGE_12X6, tiny_dict, write_wall


def test_the_shipped_stage_reads_as_written(stage_12x6):
    wall = stage_12x6.wall("main")
    assert (wall.panel_count_width, wall.panel_count_height) == (24, 12)
    assert (wall.panel.px_w, wall.panel.px_h) == (192, 192)
    assert (wall.panel.panel_width, wall.panel.panel_height) == (500.0, 500.0)
    assert wall.arc is not None and wall.arc.radius == 12000 and wall.arc.direction is ArcDirection.CONCAVE
    assert [p.name for p in stage_12x6.processors] == ["PROC_A", "PROC_B"]
    assert stage_12x6.colour.eotf is Eotf.PQ and stage_12x6.colour.gamut is Gamut.REC2020
    assert stage_12x6.colour.peak_nits == 1500 and stage_12x6.colour.bit_depth == 10
    assert wall.cabling.mode is CablingMode.SERPENTINE and wall.cabling.start_corner is Corner.BOTTOM_LEFT
    assert stage_12x6.source == str(STAGE_12X6)


def test_defaults_fill_what_the_file_leaves_out():
    data = tiny_dict()
    del data["colour"], data["timing"]
    stage = stage_from_dict(data)
    assert stage.colour.range is SignalRange.FULL and stage.colour.scene_white_nits == 100.0
    assert stage.colour.peak_nits == 1000.0 and stage.timing.fps == 24.0 and stage.timing.refresh_hz == 60.0
    processor = stage.processor("P1")
    assert (processor.input_width, processor.input_height) == (40, 20)  # the input defaults to the maximum
    assert processor.max_input_pixels == 800 and processor.reference_bits == 8 and processor.reference_hz == 60


def test_yaml_walls_read_like_json(tmp_path):
    yaml = pytest.importorskip("yaml")
    path = tmp_path / "wall.yaml"
    path.write_text(yaml.safe_dump(tiny_dict()), encoding="utf-8")
    assert load_stage(str(path)).wall("w").panel_count_width == 4


def _problem(data, tmp_path=None):
    with pytest.raises(WallError) as info:
        stage_from_dict(data)
    return str(info.value)


@pytest.mark.parametrize("change, field, text", [
    ({"walls": [{"name": "w", "panel_name": "p8x6", "panel_count_width": 0, "panel_count_height": 3}]},
     "walls[0].panel_count_width", "must be at least 1, got 0"),
    ({"walls": [{"name": "w", "panel_name": "p8x6", "panel_count_width": 4, "panel_count_height": 2.5}]},
     "walls[0].panel_count_height", "must be a whole number"),
    ({"walls": [{"name": "w", "panel_name": "nope", "panel_count_width": 4, "panel_count_height": 3}]},
     "walls[0].panel_name", "no panel named 'nope' (panels: p8x6)"),
    ({"panels": [{"name": "p8x6", "px_w": 8, "panel_width": 500, "panel_height": 375}]},
     "panels[0].px_h", "is required"),
    ({"panels": [{"name": "p8x6", "px_w": 8, "px_h": 6, "panel_width": -1, "panel_height": 375}]},
     "panels[0].panel_width", "must be a number above 0"),
    ({"colour": {"eotf": "hlg"}}, "colour.eotf", "must be one of pq, gamma, got 'hlg'"),
    ({"colour": {"bit_depth": 11}}, "colour.bit_depth", "must be 8, 10 or 12, got 11"),
    ({"colour": {"peak_nits": 20000}}, "colour.peak_nits", "must be at most 10000"),
    ({"timing": {"fps": 0}}, "timing.fps", "must be a number above 0"),
    ({"cabling": {"start_corner": "middle"}}, "cabling.start_corner", "must be one of top_left"),
    ({"colour": {"gamut": "rec2020", "colour_temperature": 6500}}, "colour.colour_temperature", "unknown field"),
    ({"walls": "main"}, "walls", "must be a list, got 'main'"),
    ({"format_version": 7}, "format_version", "7 is newer than this plugin reads (1)"),
])
def test_a_bad_field_is_named_by_its_path(change, field, text):
    message = _problem(tiny_dict(**change))
    assert f"{field}: {text}" in message


def test_missing_cabinets_must_be_inside_the_wall_and_listed_once():
    walls = [{"name": "w", "panel_name": "p8x6", "panel_count_width": 4, "panel_count_height": 3,
              "missing": [[1, 1], [4, 0], [1, 1], "x"]}]
    message = _problem(tiny_dict(walls=walls))
    assert "walls[0].missing[1]: cabinet [4, 0] is outside the wall (4 x 3 cabinets)" in message
    assert "walls[0].missing[2]: cabinet [1, 1] is listed twice" in message
    assert "walls[0].missing[3]: must be [column, row], got 'x'" in message
    assert message.count("; ") >= 2  # every problem in one message


def test_arc_radius_must_reach_across_a_cabinet():
    walls = [{"name": "w", "panel_name": "p8x6", "panel_count_width": 4, "panel_count_height": 3,
              "arc": {"radius": 200}}]
    assert "walls[0].arc.radius: 200 mm is less than half a cabinet width (250 mm)" in _problem(tiny_dict(walls=walls))


def test_every_problem_is_listed_with_its_count():
    data = tiny_dict(colour={"eotf": "x", "range": "y"}, timing={"fps": -1})
    message = _problem(data)
    assert message.startswith("3 problems: ")
    assert "colour.eotf" in message and "colour.range" in message and "timing.fps" in message


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not valid JSON"),
    ('{"name": "a", "name": "b"}', "the key 'name' appears twice"),
    ('{"colour": {"peak_nits": NaN}}', "NaN is not a number a wall file may hold"),
])
def test_unreadable_files_say_why_and_name_the_file(tmp_path, text, reason):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WallError, match=reason) as info:
        load_stage(str(path))
    assert info.value.path == str(path)


def test_a_missing_file_names_it(tmp_path):
    with pytest.raises(WallError, match="cannot read the wall file") as info:
        load_stage(str(tmp_path / "none.json"))
    assert info.value.path.endswith("none.json")


def test_bad_yaml_is_reported(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "bad.yaml"
    path.write_text("walls: [unclosed", encoding="utf-8")
    with pytest.raises(WallError, match="not valid YAML"):
        load_stage(str(path))


def test_the_error_carries_the_field_for_tools(tmp_path):
    path = write_wall(tmp_path, tiny_dict(timing={"fps": "fast"}))
    with pytest.raises(WallError) as info:
        load_stage(str(path))
    assert info.value.field == "timing.fps"
    assert json.loads(path.read_text())["timing"]["fps"] == "fast"
