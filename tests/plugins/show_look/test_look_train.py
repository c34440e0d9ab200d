"""LookTrain: the source until a model exists, the model's look after; Train as an action with checkpoints."""

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import CancelledError, EvaluationError
from nodecomp.engine.actions import ActionJob
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from plugins.show_look.apply import apply_look
from plugins.show_look.look_model import load_model
from tests.plugins.show_look.conftest import look_comp


@pytest.fixture
def comp(tmp_path):
    return look_comp(tmp_path)


def test_before_training_the_source_passes_through_and_graded_is_never_rendered(comp):
    evaluator = Evaluator(comp)
    out = evaluator.evaluate("LookTrain1", 1)
    np.testing.assert_array_equal(out.pixels, evaluator.evaluate("Plate", 1).pixels)
    assert "Graded" not in evaluator.stats.computes
    comp.disconnect("LookTrain1", "graded")
    assert Evaluator(comp).evaluate("LookTrain1", 1).pixels.shape == out.pixels.shape


def test_training_to_the_end_updates_the_nodes_output(comp, tmp_path):
    evaluator = Evaluator(comp, ImageCache(1 << 26))
    before_key = evaluator.hash("LookTrain1", 2)
    before = evaluator.evaluate("LookTrain1", 2)
    events = []
    result = nc.run_action(comp, "LookTrain1", "train", on_progress=events.append)
    assert "trained to epoch 3 (15 steps) on 3 frames, 1152 pixels" in result.message
    losses = [e.values["loss"] for e in events if "loss" in e.values]
    assert len(losses) == 15 and all(np.isfinite(losses))
    assert [e.values["epoch"] for e in events if "loss" in e.values][::5] == [1, 2, 3]
    assert sum(e.output_changed for e in events) == 2  # checkpoints after epochs 1 and 2; the end is the result
    model = load_model(tmp_path / "show.nclook")
    assert model.step == 15 and model.metadata["training_frames"] == [f"LookTrain1 frame {f}" for f in (1, 2, 3)]
    assert evaluator.hash("LookTrain1", 2) != before_key
    after = evaluator.evaluate("LookTrain1", 2)
    expected = apply_look(model, evaluator.evaluate("Plate", 2).pixels[..., :3])
    np.testing.assert_allclose(after.pixels[..., :3], expected, atol=1e-5)
    assert np.abs(after.pixels - before.pixels).max() > 1e-3


def test_cancel_writes_a_checkpoint_and_resume_continues_from_it(comp, tmp_path):
    job = ActionJob(comp, "LookTrain1", "train")

    def stop_after_seven_steps(event):
        if event.values.get("step") == 7:
            job.cancel()

    with pytest.raises(CancelledError, match="cancelled at step 7 of 15"):
        job.run(stop_after_seven_steps)
    assert load_model(tmp_path / "show.nclook").step == 7
    comp["LookTrain1"]["resume"] = True
    steps = []
    result = nc.run_action(comp, "LookTrain1", "train", on_progress=lambda e: steps.append(e.values.get("step")))
    assert result.message.startswith("resumed at step 7, trained to epoch 3 (15 steps)")
    assert [s for s in steps if s is not None and s > 0][0] == 8
    assert load_model(tmp_path / "show.nclook").step == 15
    assert "nothing to train" in nc.run_action(comp, "LookTrain1", "train").message
    comp["LookTrain1"]["epochs"] = 4
    assert "resumed at step 15, trained to epoch 4 (20 steps)" in nc.run_action(comp, "LookTrain1", "train").message


def test_training_errors_name_the_node_and_the_problem(comp, tmp_path):
    comp["LookTrain1"]["model"] = ""
    with pytest.raises(EvaluationError, match="node LookTrain1: no model file is set"):
        nc.run_action(comp, "LookTrain1", "train")
    comp["LookTrain1"]["model"] = str(tmp_path / "show.nclook")
    comp.add("Reformat", comp["Graded"], name="Small", format="custom", width=12, height=8)
    comp.connect("Small", "LookTrain1", input="graded")
    with pytest.raises(EvaluationError, match=r"at frame 1 graded is 12x8 but source is 24x16"):
        nc.run_action(comp, "LookTrain1", "train")
    comp.disconnect("LookTrain1", "graded")
    with pytest.raises(EvaluationError, match="input 'graded' is not connected"):
        nc.run_action(comp, "LookTrain1", "train")
