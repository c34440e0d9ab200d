import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, source


def _square_rgba(size=40, lo=10, hi=30, colour=(0.5, 0.25, 0.125)):
    pixels = np.zeros((size, size, 4), np.float32)
    pixels[lo:hi, lo:hi, :3] = colour
    pixels[lo:hi, lo:hi, 3] = 1.0
    return pixels


def test_choke_shrinks_alpha_and_takes_the_colour_with_it():
    doc = keyer_document()
    src = source(doc, image(_square_rgba()))
    result, _ = evaluate(doc, doc.add("ChokeGrow", src, size=-2.0))
    alpha = result.pixels[..., 3]
    assert alpha.sum() == 16 * 16
    assert not result.pixels[alpha == 0, :3].any()
    kept, _ = evaluate(doc, doc.add("ChokeGrow", src, size=-2.0, adjust_colour=False))
    assert kept.pixels[10, 10, 0] == 0.5 and kept.pixels[10, 10, 3] == 0.0


def test_grow_with_softness_and_pass_through():
    doc = keyer_document()
    src = source(doc, image(_square_rgba()))
    grown, _ = evaluate(doc, doc.add("ChokeGrow", src, size=2.0, softness=1.0))
    assert grown.pixels[..., 3].sum() > 400
    node = doc.add("ChokeGrow", src)
    _, evaluator = evaluate(doc, node)
    assert evaluator.hash(node, 1) == evaluator.hash(src, 1)


def test_choke_grow_on_another_channel_and_a_missing_channel():
    doc = keyer_document()
    pixels = np.concatenate([_square_rgba(), _square_rgba()[..., 3:]], axis=-1)
    src = source(doc, image(pixels, channels=("R", "G", "B", "A", "matte.core")))
    result, _ = evaluate(doc, doc.add("ChokeGrow", src, size=-2.0, channel="matte.core"))
    assert result.pixels[..., 4].sum() == 256
    np.testing.assert_array_equal(result.pixels[..., :4], pixels[..., :4])
    with pytest.raises(EvaluationError, match="ChokeGrow2.*no channel 'matte.edge'"):
        evaluate(doc, doc.add("ChokeGrow", src, size=1.0, channel="matte.edge"))


def test_matte_combine_subtracts_a_garbage_matte_and_rescales_colour():
    doc = keyer_document()
    b = source(doc, image(_square_rgba()))
    garbage = np.zeros((40, 40, 1), np.float32)
    garbage[:, :20] = 1.0
    a = source(doc, image(garbage, channels=("A",)))
    result, _ = evaluate(doc, doc.add("MatteCombine", a, b, operation="subtract"))
    assert not result.pixels[:, :20].any()
    np.testing.assert_array_equal(result.pixels[:, 20:], _square_rgba()[:, 20:])
    union, _ = evaluate(doc, doc.add("MatteCombine", a, b, operation="max"))
    assert union.pixels[0, 0, 3] == 1.0 and union.pixels[0, 0, 0] == 0.0


def test_matte_combine_of_one_channel_mattes_and_a_bad_input():
    doc = keyer_document()
    a = source(doc, image(np.full((4, 4, 1), 0.25, np.float32), channels=("mask",)))
    b = source(doc, image(np.full((4, 4, 1), 0.5, np.float32), channels=("mask",)))
    result, _ = evaluate(doc, doc.add("MatteCombine", a, b, operation="add"))
    assert result.channels == ("mask",)
    np.testing.assert_allclose(result.pixels, 0.75)
    bad = source(doc, image(np.zeros((4, 4, 3), np.float32), channels=("R", "G", "B")))
    with pytest.raises(EvaluationError, match="MatteCombine2.*no alpha channel"):
        evaluate(doc, doc.add("MatteCombine", bad, b))
