import cv2
import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source

CHANNELS = ("R", "G", "B", "A", "depth.Z", "motion.u", "motion.v")


def _sheet(doc, x, **params):
    src = source(doc, image(x, CHANNELS, display_window=Box(0, 0, x.shape[1], x.shape[0])))
    return evaluate(doc, doc.add("LayerContactSheet", src, **params))[0]


def test_full_size_tiles_hold_each_layer_exactly():
    x = random_rgba(6, 8, seed=1, channels=7)
    doc = make_document()
    result = _sheet(doc, x, fit=False, labels=False, gap=2)
    # 4 tiles (rgba, alpha, depth, motion) in a 2x2 grid of 8x6 tiles with 2 px gaps
    assert result.channels == ("R", "G", "B", "A")
    assert result.data_window == result.display_window == Box(0, 0, 3 * 2 + 2 * 8, 3 * 2 + 2 * 6)
    p = result.pixels
    np.testing.assert_array_equal(p[2:8, 2:10, :3], x[..., :3])
    np.testing.assert_array_equal(p[2:8, 12:20, :3], np.repeat(x[..., 3:4], 3, axis=2))
    np.testing.assert_array_equal(p[10:16, 2:10, :3], np.repeat(x[..., 4:5], 3, axis=2))
    np.testing.assert_array_equal(p[10:16, 12:20, :2], x[..., 5:7])
    np.testing.assert_array_equal(p[10:16, 12:20, 2], 0.0)
    np.testing.assert_array_equal(p[..., 3], 1.0)
    np.testing.assert_array_equal(p[:2], np.broadcast_to([0, 0, 0, 1], (2, p.shape[1], 4)))


def test_fit_keeps_the_format_and_resizes_with_inter_area():
    x = random_rgba(40, 80, seed=2, channels=7)
    doc = make_document()
    result = _sheet(doc, x, labels=False, gap=0, show_alpha=False, columns=3)
    assert result.data_window == Box(0, 0, 80, 40)
    # 3 tiles in one row of 26x40 cells: each tile 26x13, centred vertically
    expected = cv2.resize(np.ascontiguousarray(x[..., :3]), (26, 13), interpolation=cv2.INTER_AREA)
    top = (40 - 13) // 2
    np.testing.assert_allclose(result.pixels[top:top + 13, 0:26, :3], expected, rtol=1e-6)


def test_labels_change_pixels_only_inside_tiles():
    x = np.zeros((30, 60, 7), np.float32)
    doc = make_document()
    plain = _sheet(doc, x, fit=False, labels=False)
    labelled = _sheet(doc, x, fit=False, labels=True, label_size=10)
    changed = np.argwhere(np.any(plain.pixels != labelled.pixels, axis=2))
    assert len(changed) > 50
    assert labelled.pixels[..., 0].max() > 0.9
    # 2x2 grid of 60x30 tiles with 4 px gaps: every changed pixel lies in a tile
    inside_x = np.isin(changed[:, 1] % 64, np.arange(4, 64))
    inside_y = np.isin(changed[:, 0] % 34, np.arange(4, 34))
    assert inside_x.all() and inside_y.all()


def test_single_channel_image_and_empty_format():
    doc = make_document()
    depth = source(doc, image(np.full((4, 4, 1), 0.25, np.float32), ("depth.Z",)))
    result, _ = evaluate(doc, doc.add("LayerContactSheet", depth, fit=False, labels=False, gap=0))
    np.testing.assert_array_equal(result.pixels[..., :3], 0.25)
    empty = source(doc, image(np.zeros((2, 2, 4), np.float32), display_window=Box(0, 0, 0, 0)))
    with pytest.raises(EvaluationError, match="format is empty"):
        evaluate(doc, doc.add("LayerContactSheet", empty))
