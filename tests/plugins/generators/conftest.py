"""A tiny random-weight diffusion model and two LoRAs for it, built once per test session."""

from __future__ import annotations

import importlib.util

import pytest


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """One intra-op thread while these tests run: on a shared 2-core machine torch's spinning
    threads cost more than they give (a 2-step 64x64 image took 2.6 s with two, 0.3 s with one)."""
    if importlib.util.find_spec("torch") is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A diffusers model folder saved by save_pretrained (random weights, 64x64 in 2 steps)."""
    pytest.importorskip("diffusers")
    pytest.importorskip("transformers")
    from plugins.generators.tiny_models import build_tiny_pipeline

    return build_tiny_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture(scope="session")
def tiny_loras(tiny_model, tmp_path_factory):
    """Two different LoRA files for the tiny model."""
    pytest.importorskip("peft")
    from plugins.generators.tiny_models import build_tiny_lora

    root = tmp_path_factory.mktemp("loras")
    return (build_tiny_lora(tiny_model, root / "one", seed=1), build_tiny_lora(tiny_model, root / "two", seed=2))
