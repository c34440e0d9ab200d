"""Inpaint with a tiny random-weight model: the three outputs and the mask input."""

import numpy as np
import pytest

from nodecomp.api import EvaluationError
from nodecomp.testing import image, render_frame, source
from tests.plugins.generators.helpers import FAST, generator_document


@pytest.fixture
def plate_and_mask():
    rng = np.random.default_rng(5)
    plate = np.concatenate([rng.random((64, 64, 3), dtype=np.float32), np.ones((64, 64, 1), np.float32)], axis=-1)
    mask = np.zeros((64, 64, 1), np.float32)
    mask[16:48, 20:44] = 1.0
    return plate, mask


def _inpaint(doc, plate, mask, model, **params):
    plate_node = source(doc, image(plate))
    mask_node = source(doc, image(mask, channels=("A",)))
    return doc.add("generators.Inpaint", plate_node, mask_node, model=str(model), **{**FAST, **params})


def test_patch_output_is_premultiplied_by_the_mask(tiny_model, plate_and_mask):
    plate, mask = plate_and_mask
    doc = generator_document()
    result = render_frame(doc, _inpaint(doc, plate, mask, tiny_model, seed=4))
    np.testing.assert_array_equal(result.pixels[..., 3], mask[..., 0])
    assert np.all(result.pixels[mask[..., 0] == 0] == 0.0)
    assert np.abs(result.pixels[32, 32, :3]).sum() > 0
    again = render_frame(doc, _inpaint(doc, plate, mask, tiny_model, seed=4))
    np.testing.assert_array_equal(result.pixels, again.pixels)


def test_composite_output_keeps_unmasked_plate_pixels_exactly(tiny_model, plate_and_mask):
    plate, mask = plate_and_mask
    doc = generator_document()
    result = render_frame(doc, _inpaint(doc, plate, mask, tiny_model, seed=4, output="composite"))
    outside = mask[..., 0] == 0
    np.testing.assert_array_equal(result.pixels[outside], plate[outside])
    assert np.abs(result.pixels[32, 32, :3] - plate[32, 32, :3]).max() > 1e-3
    assert np.all(result.pixels[..., 3] == 1.0)


def test_full_output_is_the_whole_generated_frame(tiny_model, plate_and_mask):
    plate, mask = plate_and_mask
    doc = generator_document()
    full = render_frame(doc, _inpaint(doc, plate, mask, tiny_model, seed=4, output="full"))
    patch = render_frame(doc, _inpaint(doc, plate, mask, tiny_model, seed=4))
    assert np.all(full.pixels[..., 3] == 1.0)
    inside = mask[..., 0] == 1
    np.testing.assert_allclose(full.pixels[inside], patch.pixels[inside], atol=1e-6)


def test_the_mask_input_is_required(tiny_model, plate_and_mask):
    doc = generator_document()
    plate_node = source(doc, image(plate_and_mask[0]))
    node = doc.add("generators.Inpaint", plate_node, model=str(tiny_model), **FAST)
    with pytest.raises(EvaluationError, match="input 'mask' is not connected"):
        render_frame(doc, node)


def test_an_empty_mask_runs_no_model(tiny_model, plate_and_mask):
    from plugins.generators import runner

    plate, mask = plate_and_mask
    doc = generator_document()
    calls = runner.stats.calls
    patch = render_frame(doc, _inpaint(doc, plate, np.zeros_like(mask), tiny_model))
    composite = render_frame(doc, _inpaint(doc, plate, np.zeros_like(mask), tiny_model, output="composite"))
    assert runner.stats.calls == calls
    assert not patch.pixels.any()
    np.testing.assert_array_equal(composite.pixels, plate)
