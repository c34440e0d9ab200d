"""Progress per denoising step and cancellation within a generation."""

import pytest

from nodecomp.api import CancelledError
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator
from plugins.generators import loading, runner
from plugins.generators.model_folder import inspect_model
from tests.plugins.generators.helpers import add_text2image, generator_document


def test_progress_is_reported_after_every_step(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, steps=3, seed=21)
    reports = []
    Evaluator(doc, progress=lambda name, frame, fraction, message: reports.append((fraction, message))).evaluate(
        node, 1)
    assert reports == [(0.0, "generating"), (1 / 3, "step 1/3"), (2 / 3, "step 2/3"), (1.0, "step 3/3")]


def test_a_cancel_stops_the_pipeline_within_a_step(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, steps=20, seed=22)
    token = CancelToken()

    def progress(name, frame, fraction, message):
        if message == "step 1/20":
            token.cancel()

    steps, calls = runner.stats.steps, runner.stats.calls
    with pytest.raises(CancelledError):
        Evaluator(doc, cancel=token, progress=progress).evaluate(node, 1)
    assert runner.stats.steps - steps == 1  # the first step ended; the second stopped inside the denoiser
    assert runner.stats.calls == calls
    # the model is left usable: the next render of the node completes
    assert Evaluator(doc).evaluate(node, 1).width == 64


def test_a_cancel_takes_effect_inside_the_running_step(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, steps=5, seed=23)
    token = CancelToken()

    def progress(name, frame, fraction, message):
        if message == "generating":  # before the first step: only the denoiser's block checks can see it
            token.cancel()

    steps = runner.stats.steps
    with pytest.raises(CancelledError):
        Evaluator(doc, cancel=token, progress=progress).evaluate(node, 1)
    assert runner.stats.steps == steps  # the first step never finished
    model = loading.cached(inspect_model(str(tiny_model)), "cpu")
    assert not any(block._forward_pre_hooks for block in model.pipeline.unet.down_blocks)  # hooks removed
