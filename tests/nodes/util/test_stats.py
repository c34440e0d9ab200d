import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.util.stats import Stats
from nodecomp.nodes.util.statsdata import ChannelStats, read_stats, stats_region
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def stats_of(img, **params):
    doc = make_document()
    src = source(doc, img)
    node = doc.add("Stats", src, **params)
    ev = Evaluator(doc)
    return ev.evaluate(node, 1), ev.evaluate(src, 1)


def test_matches_numpy_and_passes_pixels_unchanged():
    x = random_rgba(20, 30, seed=3)
    result, upstream = stats_of(image(x))
    assert result.pixels is upstream.pixels
    stats = read_stats(result.metadata)
    assert list(stats) == list(RGBA)
    for index, name in enumerate(RGBA):
        channel = x[..., index].astype(np.float64)
        assert stats[name].min == pytest.approx(channel.min(), abs=1e-7)
        assert stats[name].max == pytest.approx(channel.max(), abs=1e-7)
        assert stats[name].mean == pytest.approx(channel.mean(), rel=1e-5)
        assert stats[name].stddev == pytest.approx(channel.std(), rel=1e-4)
        assert (stats[name].nan, stats[name].inf) == (0, 0)
    assert stats_region(result.metadata) == (0, 0, 30, 20)


def test_nan_and_inf_are_counted_and_left_out():
    x = np.ones((4, 4, 1), np.float32)
    x[0, 0], x[1, 1], x[2, 2], x[3, 3] = np.nan, np.inf, -np.inf, -2.0
    result, _ = stats_of(image(x, channels=("depth.Z",)))
    assert read_stats(result.metadata)["depth.Z"] == ChannelStats(
        -2.0, 1.0, pytest.approx((12 - 2) / 13), pytest.approx(np.std([1.0] * 12 + [-2.0]), rel=1e-5), 1, 2
    )


def test_all_nan_channel_has_nan_stats():
    x = np.full((2, 2, 1), np.nan, np.float32)
    result, _ = stats_of(image(x, channels=("A",)))
    stats = read_stats(result.metadata)["A"]
    assert np.isnan(stats.min) and np.isnan(stats.mean) and stats.nan == 4


def test_box_and_format_regions_count_black_outside_the_data_window():
    x = np.ones((2, 2, 1), np.float32)
    img = image(x, channels=("A",), data_window=Box(1, 1, 3, 3), display_window=Box(0, 0, 4, 4))
    result, _ = stats_of(img, region="format")
    assert read_stats(result.metadata)["A"].mean == pytest.approx(0.25)
    sample, _ = stats_of(img, region="box", top_left=(2.0, 2.0), bottom_right=(3.0, 3.0))
    assert read_stats(sample.metadata)["A"].mean == 1.0 and stats_region(sample.metadata) == (2, 2, 3, 3)


def test_many_channels_and_metadata_survive():
    x = random_rgba(3, 3, seed=2, channels=6)
    img = image(x, channels=(*RGBA, "depth.Z", "id.R")).replace(metadata={"input/fps": 24.0})
    result, _ = stats_of(img)
    assert result.metadata["input/fps"] == 24.0
    assert read_stats(result.metadata)["id.R"].max == pytest.approx(x[..., 5].max())


def test_bad_boxes_are_clear_errors():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    with pytest.raises(EvaluationError, match="Stats1.*ends before it starts"):
        evaluate(doc, doc.add("Stats", src, region="box", top_left=(5.0, 5.0), bottom_right=(1.0, 1.0)))
    with pytest.raises(EvaluationError, match="holds no pixel"):
        evaluate(doc, doc.add("Stats", src, region="box", top_left=(1.0, 1.0), bottom_right=(1.0, 3.0)))


def test_read_stats_needs_results():
    with pytest.raises(KeyError, match="no Stats results"):
        read_stats({"input/fps": 24.0})


def test_schema_is_documented():
    assert Stats.__doc__ and all(spec.doc for spec in Stats.params)
