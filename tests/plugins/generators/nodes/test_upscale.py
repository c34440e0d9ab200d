"""Upscale with a tiny random-weight model: size, tiles, determinism, progress."""

import numpy as np

from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import image, render_frame, source
from plugins.generators import runner
from tests.plugins.generators.helpers import FAST, generator_document


def _upscale(doc, model, **params):
    plate = np.random.default_rng(2).random((32, 32, 3), dtype=np.float32)
    return doc.add("generators.Upscale", source(doc, image(plate)), model=str(model),
                   **{**FAST, "tile_size": 48, "overlap": 16, "strength": 0.5, **params})


def test_doubles_the_size_in_four_blended_tiles(tiny_model):
    doc = generator_document()
    node = _upscale(doc, tiny_model, seed=3)
    calls = runner.stats.calls
    result = render_frame(doc, node)
    assert runner.stats.calls - calls == 4
    assert result.data_window.as_tuple() == result.display_window.as_tuple() == (0, 0, 64, 64)
    assert result.metadata["generator/tiles"] == 4
    assert np.isfinite(result.pixels).all() and np.all(result.pixels[..., 3] == 1.0)
    np.testing.assert_array_equal(render_frame(doc, node).pixels, result.pixels)


def test_explicit_size_and_progress_over_all_tiles(tiny_model):
    doc = generator_document()
    node = _upscale(doc, tiny_model, width=80, height=40, steps=2, strength=1.0)
    fractions = []
    result = Evaluator(doc, progress=lambda n, f, fraction, m: fractions.append(fraction)).evaluate(node, 1)
    assert (result.width, result.height) == (80, 40)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(fractions) == 2 * (1 + 2)  # two tiles (48 + 48 - 16 = 80 across), each a start and 2 steps
