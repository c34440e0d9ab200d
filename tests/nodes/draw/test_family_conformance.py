from pathlib import Path

import numpy as np
import pytest

from nodecomp.api import RGBA
from nodecomp.nodes.draw import NODE_TYPES
from nodecomp.nodes.draw.roto_shapes import circle_points, shapes_json
from tests.nodes.filter.conformance import (
    assert_documented,
    assert_hash_follows_every_param,
    assert_in_docs,
    assert_round_trips,
    document,
)
from tests.nodes.image_asserts import evaluate, image, random_rgba, source

CIRCLE = shapes_json({"keys": [{"frame": 1, "points": circle_points((30, 24), 12)},
                               {"frame": 10, "points": circle_points((34, 24), 14)}]})
# Settings at which every node draws something on the 64x48 test format (defaults may pass through).
ACTIVE = {
    "Constant": {"color": (0.5, 0.25, 0.125, 1.0)},
    "Roto": {"shapes": CIRCLE, "feather": 2.0},
    "Rectangle": {"corner0": (8.0, 8.0), "corner1": (40.0, 30.0), "softness": 2.0},
    "Radial": {"center": (32.0, 24.0), "radius": (16.0, 12.0), "softness": 0.3},
    "Ramp": {"point0": (0.0, 0.0), "point1": (64.0, 10.0)},
    "Noise": {"size": (16.0, 16.0), "octaves": 3, "speed": 0.1},
    "CheckerBoard": {"size": 8},
    "ColorBars": {},
    "Text": {"message": "F[frame]", "size": 16.0, "position": (4.0, 30.0)},
}
STRINGS = {"message": "G[frame]", "font": "DroidSerif", "shapes": shapes_json({"points": circle_points((30, 24), 9)})}
IDS = [t.short_name() for t in NODE_TYPES]


def plate(doc):
    return source(doc, image(random_rgba(48, 64, seed=1, channels=5), (*RGBA, "depth.Z")))


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_documented(node_type):
    assert_documented(node_type)
    assert_in_docs(node_type, Path(__file__).parents[3] / "docs" / "nodes" / "draw.md")
    assert node_type.category == "Draw"


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_defaults_and_active_settings_draw(node_type):
    for params in ({}, ACTIVE[node_type.short_name()]):
        doc, node = document(node_type, None, params)
        result, _ = evaluate(doc, node, 3)
        assert result.channels == RGBA and result.pixels.shape == (48, 64, 4)
        assert result.pixels.flags.writeable is False
    assert result.pixels.any()


@pytest.mark.parametrize("node_type", [t for t in NODE_TYPES if t.inputs], ids=[t.short_name() for t in NODE_TYPES
                                                                              if t.inputs])
def test_drawn_over_a_source_keeps_its_other_layers(node_type):
    doc, node = document(node_type, plate, ACTIVE[node_type.short_name()])
    result, _ = evaluate(doc, node, 3)
    assert result.channels == (*RGBA, "depth.Z")
    np.testing.assert_array_equal(result.pixels[..., 4], doc["ImageSource1"].node_type.compute(
        None, key=doc.param_value("ImageSource1", "key", 1)).pixels[..., 4])


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_key_follows_every_param(node_type):
    assert_hash_follows_every_param(node_type, None, ACTIVE[node_type.short_name()], STRINGS, frame=3.0)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_round_trips_through_the_file_format(node_type, tmp_path):
    assert_round_trips(node_type, None, ACTIVE[node_type.short_name()], tmp_path)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_follows_the_document_format_without_a_source(node_type):
    from nodecomp.core.format import Format
    from nodecomp.engine.evaluator import Evaluator

    doc, node = document(node_type, None, ACTIVE[node_type.short_name()])
    evaluator = Evaluator(doc)
    assert evaluator.evaluate(node, 3).pixels.shape == (48, 64, 4)
    doc.format = Format(32, 16)
    assert evaluator.evaluate(node, 3).pixels.shape == (16, 32, 4)
