import numpy as np
import pytest

from nodecomp.api import CancelledError, EvaluationError
from plugins.show_look.look_model import LookConfig, load_model
from plugins.show_look.training import train_look

SMALL = {"batch_size": 256, "config": LookConfig(hidden=8, layers=2), "lr": 1e-2}


def test_progress_reports_every_step_and_the_loss_falls(tiny_pairs):
    seen = []
    model = train_look(tiny_pairs, steps=40, seed=0, progress=lambda s, t, loss: seen.append((s, t, loss)), **SMALL)
    assert [s for s, _, _ in seen] == list(range(1, 41)) and seen[0][1] == 40
    assert len(model.losses) == 40 and model.step == 40
    assert np.mean(model.losses[-5:]) < np.mean(model.losses[:5])
    assert model.metadata["training_frames"] == ["<array 0>", "<array 1>", "<array 2>"]


def test_checkpoints_are_written_every_n_steps_and_load(tiny_pairs, tmp_path):
    path = tmp_path / "look.nclook"
    steps_seen = []

    def progress(step, total, loss):
        if path.exists():
            steps_seen.append((step, load_model(path).step))

    train_look(tiny_pairs, steps=25, seed=0, checkpoint=path, checkpoint_every=10, progress=progress, **SMALL)
    assert (11, 10) in steps_seen and (21, 20) in steps_seen
    final = load_model(path)
    assert final.step == 25 and final.optimizer  # a checkpoint keeps the optimiser state


def test_cancel_writes_a_checkpoint_and_resume_reaches_the_same_weights(tiny_pairs, tmp_path):
    path = tmp_path / "look.nclook"
    whole = train_look(tiny_pairs, steps=30, seed=4, **SMALL)
    calls = iter(range(1000))
    with pytest.raises(CancelledError, match="step 12") as error:
        train_look(tiny_pairs, steps=30, seed=4, checkpoint=path, cancel=lambda: next(calls) >= 12, **SMALL)
    assert str(path) in str(error.value)
    assert load_model(path).step == 12
    resumed = train_look(tiny_pairs, steps=30, seed=4, resume=path, **SMALL)
    assert resumed.step == 30 and len(resumed.losses) == 30
    np.testing.assert_allclose(resumed.losses, whole.losses, rtol=1e-5)
    for name, weight in whole.weights.items():
        np.testing.assert_allclose(resumed.weights[name], weight, atol=1e-6)


def test_bad_pairs_name_the_problem(tmp_path):
    with pytest.raises(EvaluationError, match="no training pairs"):
        train_look([], steps=1)
    a, b = np.zeros((8, 8, 3), np.float32), np.zeros((8, 9, 3), np.float32)
    with pytest.raises(EvaluationError, match="9x8"):
        train_look([(a, b)], steps=1)
    with pytest.raises(EvaluationError) as error:
        train_look([(tmp_path / "missing.exr", a)], steps=1)
    assert "missing.exr" in str(error.value)
