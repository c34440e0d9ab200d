import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.format import Format
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.draw.noise import catmull_rom_weights, lattice_values, noise_pixels, value_noise
from tests.nodes.image_asserts import make_document


def noise_doc(**params):
    doc = make_document()
    doc.format = Format(64, 40)
    return doc, doc.add("Noise", size=(16.0, 16.0), octaves=3, **params)


def test_same_seed_and_frame_give_identical_pixels():
    doc, node = noise_doc(seed=7, speed=0.3)
    first = Evaluator(doc).evaluate(node, 12)
    again = Evaluator(doc).evaluate(node, 12)
    np.testing.assert_array_equal(first.pixels, again.pixels)
    other = Evaluator(doc).evaluate(doc.add("Noise", size=(16.0, 16.0), octaves=3, seed=8, speed=0.3), 12)
    assert not np.array_equal(first.pixels, other.pixels)


def test_still_noise_has_one_key_for_every_frame_and_animated_noise_one_per_frame():
    doc, still = noise_doc()
    evaluator = Evaluator(doc)
    assert evaluator.hash(still, 1) == evaluator.hash(still, 50)
    evaluator.evaluate(still, 1)
    evaluator.evaluate(still, 2)
    assert evaluator.stats.computes["Noise1"] == 1
    moving = doc.add("Noise", size=(16.0, 16.0), octaves=3, speed=0.1)
    assert evaluator.hash(moving, 1) != evaluator.hash(moving, 2)
    a, b = evaluator.evaluate(moving, 1), evaluator.evaluate(moving, 2)
    assert 0 < np.abs(a.pixels - b.pixels).max() < 0.2  # it evolves, smoothly


def test_noise_depends_on_place_not_on_the_window():
    whole = noise_pixels(Box(0, 0, 64, 40), (16.0, 12.0), 4, 2.0, 0.5, "fbm", 3, 1.7)
    part = noise_pixels(Box(10, 5, 30, 25), (16.0, 12.0), 4, 2.0, 0.5, "fbm", 3, 1.7)
    np.testing.assert_array_equal(part, whole[5:25, 10:30])
    assert whole.min() >= 0 and whole.max() <= 1 and 0.3 < whole.mean() < 0.7
    turbulence = noise_pixels(Box(0, 0, 64, 40), (16.0, 12.0), 4, 2.0, 0.5, "turbulence", 3, 1.7)
    assert turbulence.min() >= 0 and turbulence.mean() < whole.mean()


def test_lattice_values_are_where_the_noise_passes():
    assert np.array_equal(lattice_values(np.arange(4), np.arange(3), 0, 1, 0),
                          lattice_values(np.arange(4), np.arange(3), 0, 1, 0))
    np.testing.assert_allclose(catmull_rom_weights(np.array([0.0]))[:, 0], [0, 1, 0, 0])
    np.testing.assert_allclose(catmull_rom_weights(np.array([0.3])).sum(axis=0), 1.0, rtol=1e-6)
    # with 2-pixel cells, pixel centre x + 0.5 sits on lattice point i when (x + 0.5) / 2 == i... never:
    # use 0.5-pixel cells, where centre x + 0.5 maps to u = 2x + 1, always a lattice point
    values = value_noise(Box(0, 0, 8, 8), (0.5, 0.5), 0.0, 5, 0)
    lattice = lattice_values(np.arange(1, 17, 2), np.arange(1, 17, 2), 0, 5, 0)
    np.testing.assert_allclose(values, lattice, atol=1e-6)


def test_golden_values_guard_against_accidental_changes():
    values = noise_pixels(Box(0, 0, 4, 1), (8.0, 8.0), 2, 2.0, 0.5, "fbm", 0, 0.0)[0]
    np.testing.assert_allclose(values, GOLDEN, atol=1e-6)


GOLDEN = np.array([0.7769781, 0.7398174, 0.6952399, 0.6495045], np.float32)  # recorded when written


@pytest.mark.parametrize("seed", [0, -3, 2**40])
def test_any_integer_seed_works(seed):
    assert noise_pixels(Box(0, 0, 4, 4), (2.0, 2.0), 1, 2.0, 0.5, "fbm", seed, 0.0).shape == (4, 4)
