import json
import os

import pytest

from nodecomp.api import EvaluationError
from plugins.generators.model_folder import inspect_model


def _fake_model(root, *, weights=True):
    """A folder shaped like a saved Stable Diffusion model (contents are not loadable weights)."""
    (root / "model_index.json").write_text(json.dumps({
        "_class_name": "StableDiffusionPipeline",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"],
        "scheduler": ["diffusers", "DDIMScheduler"],
        "safety_checker": [None, None],
    }))
    for name, weight in (("unet", "diffusion_pytorch_model.safetensors"), ("text_encoder", "model.safetensors")):
        (root / name).mkdir()
        (root / name / "config.json").write_text("{}")
        if weights:
            (root / name / weight).write_bytes(b"\0" * 16)
    (root / "tokenizer").mkdir()
    (root / "tokenizer" / "tokenizer.json").write_text("{}")
    (root / "scheduler").mkdir()
    (root / "scheduler" / "scheduler_config.json").write_text("{}")
    return root


def test_a_complete_folder_lists_every_file(tmp_path):
    source = inspect_model(str(_fake_model(tmp_path)))
    assert source.kind == "diffusers"
    assert source.pipeline_class == "StableDiffusionPipeline"
    names = {os.path.relpath(f, tmp_path) for f in source.files}
    assert {"model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
            "text_encoder/model.safetensors", "tokenizer/tokenizer.json",
            "scheduler/scheduler_config.json"} <= names


def test_a_folder_that_is_not_a_model_is_named(tmp_path):
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(EvaluationError, match="is not a diffusers model folder") as caught:
        inspect_model(str(tmp_path))
    assert caught.value.path == str(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_a_missing_path_is_named(tmp_path):
    with pytest.raises(EvaluationError, match="model not found") as caught:
        inspect_model(str(tmp_path / "nowhere"))
    assert caught.value.path == str(tmp_path / "nowhere")


def test_missing_weights_name_the_file_expected(tmp_path):
    _fake_model(tmp_path, weights=False)
    with pytest.raises(EvaluationError, match="incomplete: text_encoder has no weights") as caught:
        inspect_model(str(tmp_path))
    assert caught.value.path == str(tmp_path / "text_encoder" / "model.safetensors")


def test_a_missing_component_folder_is_named(tmp_path):
    _fake_model(tmp_path)
    for path in sorted((tmp_path / "unet").iterdir()):
        path.unlink()
    (tmp_path / "unet").rmdir()
    with pytest.raises(EvaluationError, match="component 'unet'") as caught:
        inspect_model(str(tmp_path))
    assert caught.value.path == str(tmp_path / "unet")


def test_a_missing_scheduler_config_is_named(tmp_path):
    _fake_model(tmp_path)
    (tmp_path / "scheduler" / "scheduler_config.json").unlink()
    with pytest.raises(EvaluationError, match="scheduler has no scheduler_config.json"):
        inspect_model(str(tmp_path))


def test_a_missing_shard_is_named(tmp_path):
    _fake_model(tmp_path)
    (tmp_path / "unet" / "diffusion_pytorch_model.safetensors.index.json").write_text(
        json.dumps({"weight_map": {"a": "diffusion_pytorch_model-00002-of-00002.safetensors"}}))
    with pytest.raises(EvaluationError, match="shard") as caught:
        inspect_model(str(tmp_path))
    assert caught.value.path.endswith("diffusion_pytorch_model-00002-of-00002.safetensors")


def test_a_broken_index_is_named(tmp_path):
    (tmp_path / "model_index.json").write_text("{not json")
    with pytest.raises(EvaluationError, match="cannot read the model index") as caught:
        inspect_model(str(tmp_path))
    assert caught.value.path == str(tmp_path / "model_index.json")
    (tmp_path / "model_index.json").write_text(json.dumps({"unet": ["diffusers", "UNet2DConditionModel"]}))
    with pytest.raises(EvaluationError, match="names no pipeline class"):
        inspect_model(str(tmp_path))


def test_the_fingerprint_follows_weight_files(tmp_path):
    source = inspect_model(str(_fake_model(tmp_path)))
    before = source.fingerprint()
    assert before == inspect_model(str(tmp_path)).fingerprint()
    weights = tmp_path / "unet" / "diffusion_pytorch_model.safetensors"
    weights.write_bytes(b"\1" * 32)
    assert inspect_model(str(tmp_path)).fingerprint() != before


def test_other_files_are_not_models(tmp_path):
    other = tmp_path / "readme.md"
    other.write_text("hi")
    with pytest.raises(EvaluationError, match="is not a model") as caught:
        inspect_model(str(other))
    assert caught.value.path == str(other)
