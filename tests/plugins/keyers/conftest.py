"""Synthetic shots shared by the keyer tests (generated once per session; 480x270 keeps them fast)."""

from __future__ import annotations

import pytest

from plugins.keyers.synthetic import make_shot

WIDTH, HEIGHT = 480, 270


@pytest.fixture(scope="session")
def even_shot():
    """Evenly lit green screen with hair, motion blur, defocus, a veil and spill."""
    return make_shot(WIDTH, HEIGHT, seed=1)


@pytest.fixture(scope="session")
def uneven_shot():
    """The same elements over an unevenly lit screen (about 0.72 to 1.15 of nominal)."""
    return make_shot(WIDTH, HEIGHT, seed=2, uneven=True)


@pytest.fixture(scope="session")
def blue_shot():
    """A blue-screen variant."""
    from plugins.keyers.synthetic import SCREEN_BLUE

    return make_shot(WIDTH, HEIGHT, seed=3, screen=SCREEN_BLUE)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A MatteUNet (base 4, depth 2) trained for a few steps on synthetic pairs, saved as safetensors."""
    from plugins.keyers.ai.architecture import UNetConfig
    from plugins.keyers.ai.training import synthetic_pairs, train_matte

    path = tmp_path_factory.mktemp("model") / "tiny.safetensors"
    result = train_matte(synthetic_pairs(2, 96, 64), path, steps=4, batch_size=2, crop=32,
                         config=UNetConfig(base_channels=4, depth=2), checkpoint_every=2)
    return result
