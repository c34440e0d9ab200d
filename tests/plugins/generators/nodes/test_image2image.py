"""Image2Image with a tiny random-weight model."""

import numpy as np
import pytest

from nodecomp.api import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import image, render_frame, source
from plugins.generators import runner
from tests.plugins.generators.helpers import FAST, generator_document


def _plate():
    rng = np.random.default_rng(3)
    pixels = np.concatenate([rng.random((40, 48, 3), dtype=np.float32), np.ones((40, 48, 1), np.float32)], axis=-1)
    return image(pixels, x=8, y=4, display_window=None)


def _img2img(doc, plate, model, **params):
    return doc.add("generators.Image2Image", plate, model=str(model), **{**FAST, "steps": 4, **params})


def test_deterministic_and_covering_the_source_data_window(tiny_model):
    doc = generator_document()
    plate = source(doc, _plate())
    node = _img2img(doc, plate, tiny_model, strength=0.5, seed=1)
    first, second = render_frame(doc, node), render_frame(doc, node)
    np.testing.assert_array_equal(first.pixels, second.pixels)
    assert first.data_window.as_tuple() == (8, 4, 56, 44)
    assert first.channels == ("R", "G", "B", "A") and np.all(first.pixels[..., 3] == 1.0)
    assert first.metadata["generator/strength"] == 0.5


def test_strength_sets_how_many_steps_run_and_how_far_the_image_goes(tiny_model):
    doc = generator_document()
    plate = source(doc, _plate())
    steps = runner.stats.steps
    gentle = render_frame(doc, _img2img(doc, plate, tiny_model, strength=0.5, seed=1, steps=4))
    assert runner.stats.steps - steps == 2  # strength x steps
    strong = render_frame(doc, _img2img(doc, plate, tiny_model, strength=1.0, seed=1, steps=4))
    assert np.abs(strong.pixels - gentle.pixels).max() > 1e-3


def test_a_changed_source_runs_again_and_an_unchanged_one_does_not(tiny_model):
    doc = generator_document()
    constant = doc.add("Constant", color=(0.2, 0.3, 0.4, 1.0))
    node = _img2img(doc, constant, tiny_model, strength=0.5)
    evaluator = Evaluator(doc)
    calls = runner.stats.calls
    before = evaluator.evaluate(node, 1)
    evaluator.evaluate(node, 1)
    assert runner.stats.calls - calls == 1
    constant["color"] = (0.8, 0.3, 0.1, 1.0)
    after = evaluator.evaluate(node, 1)
    assert runner.stats.calls - calls == 2
    assert np.abs(after.pixels - before.pixels).max() > 1e-3


def test_strength_zero_passes_the_source_through_and_too_few_steps_is_an_error(tiny_model):
    doc = generator_document()
    plate = source(doc, _plate())
    evaluator = Evaluator(doc)
    assert evaluator.hash(_img2img(doc, plate, tiny_model, strength=0.0), 1) == evaluator.hash(plate, 1)
    with pytest.raises(EvaluationError, match="leaves no denoising step"):
        render_frame(doc, _img2img(doc, plate, tiny_model, strength=0.2, steps=4))
