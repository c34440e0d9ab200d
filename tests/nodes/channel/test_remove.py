import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source

CHANNELS = ("R", "G", "B", "A", "depth.Z", "motion.u", "motion.v")


def test_remove_and_keep_keep_the_order():
    x = random_rgba(2, 2, seed=1, channels=7)
    doc = make_document()
    src = source(doc, image(x, CHANNELS))
    result, _ = evaluate(doc, doc.add("Remove", src, channels="motion, A, normals"))
    assert result.channels == ("R", "G", "B", "depth.Z")
    np.testing.assert_array_equal(result.pixels, x[..., [0, 1, 2, 4]])
    result, _ = evaluate(doc, doc.add("Remove", src, operation="keep", channels="depth rgba"))
    assert result.channels == ("R", "G", "B", "A", "depth.Z")
    np.testing.assert_array_equal(result.pixels, x[..., :5])


def test_pass_through_cases_and_removing_everything_fails():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("Remove", src))
    assert result is evaluator.evaluate(src, 1)
    result, evaluator = evaluate(doc, doc.add("Remove", src, channels="depth"))
    assert result is evaluator.evaluate(src, 1)
    with pytest.raises(EvaluationError, match="leaves no channel"):
        evaluate(doc, doc.add("Remove", src, channels="all"))
    with pytest.raises(EvaluationError, match="leaves no channel"):
        evaluate(doc, doc.add("Remove", src, operation="keep"))
