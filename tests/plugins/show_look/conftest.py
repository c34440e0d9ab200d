"""Shared fixtures: one small trained look for the tests that need a trained model."""

import numpy as np
import pytest

from plugins.show_look.synthetic import synthetic_pairs


@pytest.fixture(scope="session")
def trained_look():
    """A look trained on 20 synthetic 64x64 pairs (about 15 s on a busy 2-core machine), and 10 unseen pairs."""
    from plugins.show_look.training import train_look

    train = synthetic_pairs(20, seed=1)
    held_out = synthetic_pairs(10, seed=2)
    model = train_look(train, steps=1200, batch_size=4096, seed=0)
    return model, held_out


@pytest.fixture
def tiny_pairs():
    return synthetic_pairs(3, size=(24, 16), seed=5)


def random_rgb(shape, seed=0):
    return (2.0 ** np.random.default_rng(seed).uniform(-6, 1, size=(*shape, 3))).astype(np.float32)
