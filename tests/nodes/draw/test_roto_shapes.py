import json
import math

import numpy as np
import pytest

from nodecomp.nodes.draw.roto_shapes import ShapeError, circle_points, flatten, parse_shapes, shapes_json


def test_parse_keys_points_and_defaults():
    text = shapes_json(
        {"name": "a", "keys": [{"frame": 10, "points": [[0, 0], [10, 0], [10, 10]]},
                               {"frame": 1, "points": [[0, 0], {"xy": [20, 0], "out": [1, 2]}, [20, 20]]}]},
        {"points": [[1, 1], [2, 2], [1, 3]], "opacity": 0.5, "feather": 2, "operation": "subtract"},
    )
    first, second = parse_shapes(text)
    assert first.name == "a" and first.frames == (1.0, 10.0) and first.animated
    np.testing.assert_array_equal(first.keys[0][1], [20, 0, 0, 0, 1, 2])
    assert (second.opacity, second.feather, second.operation, second.animated) == (0.5, 2.0, "subtract", False)
    assert parse_shapes("") == () and parse_shapes('{"shapes": []}') == ()


def test_keys_are_held_outside_and_linear_between():
    shape = parse_shapes(shapes_json({"keys": [{"frame": 1, "points": [[0, 0], [10, 0]]},
                                               {"frame": 11, "points": [[10, 0], [30, 10]]}]}))[0]
    np.testing.assert_array_equal(shape.at(-5)[:, :2], [[0, 0], [10, 0]])
    np.testing.assert_allclose(shape.at(6)[:, :2], [[5, 0], [20, 5]])
    np.testing.assert_array_equal(shape.at(99)[:, :2], [[10, 0], [30, 10]])


@pytest.mark.parametrize("text, message", [
    ("{", "invalid JSON at line 1 column 2"),
    ('{"shape": []}', "expected {\"shapes\": \\[...\\]} at the top level"),
    ('{"shapes": [{"points": [[0, 0]]}]}', r"shapes\[0\].points: expected a list of at least 2 points"),
    ('{"shapes": [{"points": [[0, 0], [1, "x"]]}]}', r"shapes\[0\].points\[1\]\[1\]: expected a finite number"),
    ('{"shapes": [{"points": [[0, 0], {"in": [0, 0]}]}]}', r"shapes\[0\].points\[1\]: a point needs \"xy\""),
    ('{"shapes": [{"points": [[0, 0], [1, 1]], "opacity": 2}]}', r"shapes\[0\].opacity: 2 is outside 0..1"),
    ('{"shapes": [{"points": [[0, 0], [1, 1]], "operation": "add"}]}', r"operation: expected one of over, subtract"),
    ('{"shapes": [{"points": [[0, 0], [1, 1]], "colour": 1}]}', "unknown field 'colour'"),
    ('{"shapes": [{"keys": [{"frame": 1, "points": [[0, 0], [1, 1]]}, {"frame": 2, "points": [[0, 0], [1, 1], '
     '[2, 2]]}]}]}', r"keys\[1\].points: 3 points, but the first key has 2"),
    ('{"shapes": [{"keys": [{"frame": 1, "points": [[0, 0], [1, 1]]}, {"frame": 1, "points": [[0, 0], [1, 1]]}]}]}',
     "frame 1 is keyed twice"),
    ('{"shapes": [{}]}', "give either \"keys\""),
], ids=["json", "top", "few_points", "number", "no_xy", "opacity", "combine", "unknown_field", "point_count",
        "same_frame", "empty"])
def test_malformed_shapes_name_the_json_path(text, message):
    with pytest.raises(ShapeError, match=message):
        parse_shapes(text)


def test_flattened_circle_stays_on_the_circle_and_lines_take_one_step():
    rows = parse_shapes(shapes_json({"points": circle_points((50.0, 40.0), 30.0)}))[0].at(0)
    polygon = flatten(rows)
    radii = np.hypot(polygon[:, 0] - 50.0, polygon[:, 1] - 40.0)
    assert np.abs(radii - 30.0).max() < 30.0 * 3e-4 and len(polygon) > 40
    square = parse_shapes(shapes_json({"points": [[0, 0], [4, 0], [4, 4], [0, 4]]}))[0].at(0)
    np.testing.assert_array_equal(flatten(square), [[0, 0], [4, 0], [4, 4], [0, 4]])


def test_flatness_follows_the_tolerance():
    rows = np.array([[0, 0, 0, 0, 30, 0], [30, 30, 0, -30, 0, 0]], np.float64)
    coarse, fine = flatten(rows, 1.0), flatten(rows, 0.01)
    assert len(fine) > len(coarse)


def test_shapes_json_round_trips():
    text = shapes_json({"points": [[0, 0], [1, 0], [0, 1]]})
    assert json.loads(text) == {"shapes": [{"points": [[0, 0], [1, 0], [0, 1]]}]}
    assert math.isclose(circle_points((0, 0), 1.0)[0]["out"][1], 0.5523, abs_tol=1e-4)
