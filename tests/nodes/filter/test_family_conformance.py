from pathlib import Path

import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.filter import NODE_TYPES
from tests.nodes.filter.conformance import (
    assert_documented,
    assert_hash_follows_every_param,
    assert_in_docs,
    assert_round_trips,
    document,
)
from tests.nodes.image_asserts import evaluate, image, random_rgba, source

CHANNELS = ("R", "G", "B", "A", "depth.Z")
# Settings at which every node changes its input (defaults may pass through).
ACTIVE = {
    "Blur": {"size": (2.0, 2.0)},
    "Defocus": {"size": 3.0},
    "Erode": {"size": (2.0, 1.0)},
    "Dilate": {"size": (2.0, 1.0)},
    "Glow": {"size": (3.0, 3.0), "tolerance": 0.5},
    "ZDefocus": {"focal_plane": 2.0, "size": 2.0, "max_size": 6.0, "layers": 3},
}
STRINGS = {"depth_channel": "Z"}
IDS = [t.short_name() for t in NODE_TYPES]


def plate(doc):
    x = random_rgba(48, 64, seed=1, channels=5)
    x[..., :3] *= 2.0
    x[..., 4] *= 4.0
    return source(doc, image(x, CHANNELS))


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_documented(node_type):
    assert_documented(node_type)
    assert_in_docs(node_type, Path(__file__).parents[3] / "docs" / "nodes" / "filter.md")
    assert node_type.category == "Filter"


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_defaults_and_active_settings_compute(node_type):
    for params in ({}, ACTIVE.get(node_type.short_name(), {})):
        doc, node = document(node_type, plate, params)
        result, _ = evaluate(doc, node)
        assert result.channels == CHANNELS and result.pixels.dtype == np.float32
        assert result.pixels.flags.writeable is False


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_key_follows_every_param(node_type):
    assert_hash_follows_every_param(node_type, plate, ACTIVE.get(node_type.short_name(), {}), STRINGS)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_round_trips_through_the_file_format(node_type, tmp_path):
    assert_round_trips(node_type, plate, ACTIVE.get(node_type.short_name(), {}), tmp_path)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_one_channel_and_many_channel_images(node_type):
    params = {**ACTIVE.get(node_type.short_name(), {}), "channels": "all"} if any(
        spec.name == "channels" for spec in node_type.params) else ACTIVE.get(node_type.short_name(), {})
    names = ("R", "G", "B", "A", "depth.Z", "N.x", "N.y", "N.z")
    many = random_rgba(20, 24, seed=2, channels=len(names))
    doc, node = document(node_type, lambda d: source(d, image(many, names)), params)
    assert evaluate(doc, node)[0].channels == names
    matte = random_rgba(20, 24, seed=3, channels=1)
    doc, node = document(node_type, lambda d: source(d, image(matte, ("A",))), params)
    if node_type.short_name() == "ZDefocus":
        with pytest.raises(EvaluationError, match="no depth channel"):
            evaluate(doc, node)
    else:
        assert evaluate(doc, node)[0].channels == ("A",)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_nan_stays_near_where_it_was(node_type):
    x = random_rgba(48, 64, seed=4, channels=5)
    x[..., 4] = 4.0
    x[40, 56, :4] = np.nan
    doc, node = document(node_type, lambda d: source(d, image(x, CHANNELS)), ACTIVE.get(node_type.short_name(), {}))
    result = evaluate(doc, node)[0]
    corner = result.pixels[:8, :8, :4]
    assert np.isfinite(corner).all(), node_type.short_name()
