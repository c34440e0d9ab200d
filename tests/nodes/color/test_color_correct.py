import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError, ParamError
from nodecomp.nodes.color.correcting import Adjustment
from tests.nodes.color.test_correcting import reference
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_node_params_reach_the_maths():
    x = random_rgba(10, 12, seed=1)
    doc = make_document()
    node = doc.add("ColorCorrect", source(doc, image(x)), master_gain=(1.2, 1.1, 1.0), master_saturation=0.8,
                   shadows_offset=0.02, midtones_contrast=1.2, highlights_gamma=(0.9, 1.0, 1.1), mix=0.9)
    result, _ = evaluate(doc, node)
    expected = reference(
        x, Adjustment(gain=(1.2, 1.1, 1.0), saturation=(0.8,) * 3), Adjustment(offset=(0.02,) * 3),
        Adjustment(contrast=(1.2,) * 3), Adjustment(gamma=(0.9, 1.0, 1.1)), mix=0.9,
    )
    np.testing.assert_allclose(result.pixels, expected, rtol=2e-5, atol=2e-6)


def test_defaults_pass_through_and_other_layers_are_copied():
    x = random_rgba(3, 4, seed=2, channels=5)
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z")))
    result, evaluator = evaluate(doc, doc.add("ColorCorrect", src))
    assert result is evaluator.evaluate(src, 1)
    result, _ = evaluate(doc, doc.add("ColorCorrect", src, master_gain=2.0))
    np.testing.assert_allclose(result.pixels[..., :3], x[..., :3] * 2, rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])


def test_bad_params_are_clear_errors():
    doc = make_document()
    node = doc.add("ColorCorrect", source(doc, image(random_rgba(2, 2))), master_gain=2.0, highlights_start=0.8,
                   highlights_end=0.4)
    with pytest.raises(EvaluationError, match="highlights_end 0.4 is below highlights_start 0.8"):
        evaluate(doc, node)
    with pytest.raises(ParamError, match="below the minimum"):
        node["master_gamma"] = 0.0


def test_image_without_rgb_is_unchanged():
    doc = make_document()
    src = source(doc, image(np.full((2, 2, 1), 0.5), ("depth.Z",)))
    result, _ = evaluate(doc, doc.add("ColorCorrect", src, master_gain=3.0))
    np.testing.assert_array_equal(result.pixels, 0.5)
