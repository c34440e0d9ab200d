"""Loading models from local folders into the shared resource cache."""

import json
import shutil

import pytest

from nodecomp.api import EvaluationError, ResourceCache, cuda_available
from plugins.generators import loading
from plugins.generators.model_folder import inspect_model


def test_a_model_is_loaded_once_and_shared(tiny_model):
    cache = ResourceCache(budget_bytes=1 << 30)
    source = inspect_model(str(tiny_model))
    first = loading.cached(source, "cpu", cache=cache)
    second = loading.cached(inspect_model(str(tiny_model)), "cpu", cache=cache)
    assert first is second
    assert cache.stats().loads == 1 and cache.stats().hits == 1
    assert first.nbytes > 1_000_000 and first.device == "cpu" and not first.offloaded
    assert type(first.pipeline).__name__ == "StableDiffusionPipeline"


def test_fp16_is_ignored_on_the_cpu_so_it_does_not_split_the_cache(tiny_model):
    cache = ResourceCache(budget_bytes=1 << 30)
    source = inspect_model(str(tiny_model))
    assert loading.cached(source, "cpu", fp16=True, cache=cache) is loading.cached(source, "cpu", fp16=False,
                                                                                    cache=cache)
    assert str(loading.cached(source, "cpu", cache=cache).torch_dtype) == "torch.float32"


def test_models_beyond_the_budget_are_released_least_recently_used_first(tiny_model, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    cache = ResourceCache(budget_bytes=1 << 30, max_entries=1)
    first = loading.cached(inspect_model(str(tiny_model)), "cpu", cache=cache)
    loading.cached(inspect_model(str(copy)), "cpu", cache=cache)
    assert cache.stats().releases == 1
    assert first.pipeline is None  # released: its memory can go


def test_a_changed_model_is_loaded_again(tiny_model, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    cache = ResourceCache(budget_bytes=1 << 30)
    first = loading.cached(inspect_model(str(copy)), "cpu", cache=cache)
    config = copy / "scheduler" / "scheduler_config.json"
    config.write_text(config.read_text() + "\n")
    assert loading.cached(inspect_model(str(copy)), "cpu", cache=cache) is not first
    assert cache.stats().loads == 2


def test_a_folder_diffusers_cannot_load_is_named(tiny_model, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"this is not a safetensors file")
    with pytest.raises(EvaluationError, match="cannot load the model") as caught:
        loading.load(inspect_model(str(broken)), "cpu")
    assert caught.value.path == str(broken)


def test_a_pipeline_class_diffusers_does_not_know_is_named(tiny_model, tmp_path):
    odd = tmp_path / "odd"
    shutil.copytree(tiny_model, odd)
    index = json.loads((odd / "model_index.json").read_text())
    index["_class_name"] = "NoSuchPipeline"
    (odd / "model_index.json").write_text(json.dumps(index))
    with pytest.raises(EvaluationError, match="cannot load the model") as caught:
        loading.load(inspect_model(str(odd)), "cpu")
    assert str(odd) in str(caught.value)


def test_device_choices():
    assert loading.resolve_device("cpu") == "cpu"
    assert loading.resolve_device("auto") == ("cuda" if cuda_available() else "cpu")
    if not cuda_available():
        with pytest.raises(EvaluationError, match="no CUDA GPU"):
            loading.resolve_device("cuda")


def test_missing_ai_packages_are_reported(monkeypatch):
    monkeypatch.setattr(loading, "missing_modules", lambda names: ["diffusers"])
    with pytest.raises(EvaluationError, match="need diffusers") as caught:
        loading.import_diffusers()
    assert "nodecomp[ai]" in str(caught.value)


def test_cuda_placement_offloads_when_memory_is_short(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda: (2 * 1024**3, 24 * 1024**3))
    assert loading._cuda_is_short(1024**3)  # 1 GiB of weights + working memory > 2 GiB free
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda: (20 * 1024**3, 24 * 1024**3))
    assert not loading._cuda_is_short(2 * 1024**3)
