"""Outpaint with a tiny random-weight model: canvas, exact source pixels, seams, pass-through."""

import numpy as np

from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import image, render_frame, source
from plugins.generators import runner
from plugins.generators.nodes.outpaint import seam_mask
from tests.plugins.generators.helpers import FAST, generator_document

PLATE = np.random.default_rng(4).random((32, 48, 3), dtype=np.float32)


def _outpaint(doc, model, plate=None, **params):
    plate_node = source(doc, plate if plate is not None else image(PLATE))
    node = doc.add("generators.Outpaint", plate_node, model=str(model),
                   **{**FAST, "tile_size": 48, "overlap": 16, **params})
    return plate_node, node


def test_extends_right_and_bottom_keeping_the_source_exactly(tiny_model):
    doc = generator_document()
    _plate, node = _outpaint(doc, tiny_model, right=16, bottom=16, blend=8, seed=2)
    calls = runner.stats.calls
    result = render_frame(doc, node)
    assert result.data_window.as_tuple() == (0, 0, 64, 48)
    assert result.display_window.as_tuple() == (0, 0, 64, 48)
    assert runner.stats.calls - calls == 2  # the two tiles touching new area; none is all source
    np.testing.assert_array_equal(result.pixels[:24, :40, :3], PLATE[:24, :40])  # beyond the seam ramp
    assert np.all(result.pixels[..., 3] == 1.0)
    assert np.abs(result.pixels[40:, 56:, :3]).max() > 0  # generated corner
    np.testing.assert_array_equal(render_frame(doc, node).pixels, result.pixels)


def test_extending_to_the_format_reaches_plate_resolution(tiny_model):
    doc = generator_document()
    small = image(PLATE[:24, :24], x=16, y=20)
    _plate, node = _outpaint(doc, tiny_model, plate=small, extend_to_format=True, blend=0)
    result = render_frame(doc, node)
    assert result.data_window.as_tuple() == result.display_window.as_tuple() == (0, 0, 64, 64)
    np.testing.assert_array_equal(result.pixels[20:44, 16:40, :3], PLATE[:24, :24])


def test_no_margin_passes_the_source_through(tiny_model):
    doc = generator_document()
    plate, node = _outpaint(doc, tiny_model)
    evaluator = Evaluator(doc)
    assert evaluator.hash(node, 1) == evaluator.hash(plate, 1)


def test_the_seam_mask_ramps_into_the_source_only_along_new_edges():
    from nodecomp.api import Box

    mask = seam_mask(12, 6, Box(0, 0, 8, 6), 3)
    assert np.all(mask[:, 8:] == 1.0) and np.all(mask[:, :5] == 0.0)
    assert 0.0 < mask[0, 6] < mask[0, 7] < 1.0
    assert np.array_equal(seam_mask(4, 4, Box(0, 0, 2, 4), 0)[:, 2:], np.ones((4, 2), np.float32))
