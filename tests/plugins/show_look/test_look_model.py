import json

import numpy as np
import pytest

from nodecomp.api import EvaluationError
from plugins.show_look import look_model
from plugins.show_look.features import neutral_features, pixel_features
from plugins.show_look.look_model import LookConfig, LookModel, initial_weights, load_model, save_model
from tests.plugins.show_look.conftest import random_rgb


def _model(seed=0):
    config = LookConfig(hidden=8, layers=2)
    weights = initial_weights(config, seed)
    rng = np.random.default_rng(seed)
    weights = {k: (v + rng.normal(0, 0.05, v.shape)).astype(np.float32) for k, v in weights.items()}
    return LookModel(config, weights, look_model.new_metadata(["a.exr", "b.exr"], "ACEScg"), [0.5, 0.25], 2)


def test_a_new_model_is_the_identity_look():
    config = LookConfig()
    model = LookModel(config, initial_weights(config, 3))
    features = pixel_features(random_rgb((6, 5)))
    np.testing.assert_array_equal(model.predict_cct(features), features.reshape(-1, 9)[:, :3])


def test_numpy_inference_matches_the_torch_network():
    import torch

    model = _model()
    network = look_model.build_network(model.config)
    network.load_state_dict({k: torch.from_numpy(v) for k, v in model.weights.items()})
    features = pixel_features(random_rgb((7, 9))).reshape(-1, 9)
    with torch.no_grad():
        expected = network(torch.from_numpy(features)).numpy()
    np.testing.assert_allclose(model.predict_cct(features, chunk=10), expected, atol=1e-5)


def test_save_and_load_keep_weights_and_metadata(tmp_path):
    model = _model()
    path = save_model(model, tmp_path / "show.nclook")
    loaded = load_model(path)
    assert loaded.config == model.config
    for name, weight in model.weights.items():
        np.testing.assert_array_equal(loaded.weights[name], weight)
    assert loaded.metadata["training_frames"] == ["a.exr", "b.exr"]
    assert loaded.metadata["colour_space"] == "ACEScg"
    assert loaded.metadata["encoding"] == "ACEScct"
    assert loaded.metadata["date"][:2] == "20"
    assert loaded.losses == [0.5, 0.25]
    header = look_model.read_header(path)
    assert json.loads(header["architecture"])["type"] == "mlp_residual_acescct"


def test_without_safetensors_weights_go_through_torch_with_a_json_sidecar(tmp_path, monkeypatch):
    monkeypatch.setattr(look_model, "safetensors_installed", lambda: False)
    model = _model(1)
    path = save_model(model, tmp_path / "show.nclook")
    sidecar = json.loads((tmp_path / "show.nclook.json").read_text())
    assert sidecar["format"] == "nodecomp.look" and json.loads(sidecar["training_frames"]) == ["a.exr", "b.exr"]
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.weights["layers.0.weight"], model.weights["layers.0.weight"])
    features = neutral_features(np.full((4, 3), 0.4))
    np.testing.assert_allclose(loaded.predict_cct(features), model.predict_cct(features))


def test_files_that_are_not_look_models_give_an_error_naming_the_file(tmp_path):
    text = tmp_path / "notes.nclook"
    text.write_text("hello, not a model")
    with pytest.raises(EvaluationError, match="is not a look model") as error:
        load_model(text)
    assert str(text) in str(error.value)

    from safetensors.numpy import save_file

    other = tmp_path / "matte.safetensors"
    save_file({"w": np.zeros(3, np.float32)}, str(other), metadata={"format": "something else"})
    with pytest.raises(EvaluationError, match="format = nodecomp.look") as error:
        load_model(other)
    assert str(other) in str(error.value)

    with pytest.raises(EvaluationError, match="not found"):
        load_model(tmp_path / "missing.nclook")


def test_weights_that_do_not_fit_the_architecture_are_refused(tmp_path):
    model = _model()
    model.weights["layers.0.weight"] = np.zeros((3, 3), np.float32)
    path = save_model(model, tmp_path / "bad.nclook")
    with pytest.raises(EvaluationError, match="do not fit"):
        load_model(path)
