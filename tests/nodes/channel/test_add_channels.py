import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_adds_only_missing_channels_filled_with_value():
    x = random_rgba(2, 3, seed=1)
    doc = make_document()
    node = doc.add("AddChannels", source(doc, image(x)), channels="rgba depth.Z mask.rgb")
    result, _ = evaluate(doc, node)
    assert result.channels == ("R", "G", "B", "A", "depth.Z", "mask.R", "mask.G", "mask.B")
    np.testing.assert_array_equal(result.pixels[..., :4], x)
    np.testing.assert_array_equal(result.pixels[..., 4:], 0.0)
    result, _ = evaluate(doc, doc.add("AddChannels", source(doc, image(x[..., 3:], ("A",))), channels="rgb",
                                      value=0.5))
    assert result.channels == ("A", "R", "G", "B")
    np.testing.assert_array_equal(result.pixels[..., 1:], 0.5)


def test_nothing_new_or_empty_passes_and_bad_names_fail():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("AddChannels", src))
    assert result is evaluator.evaluate(src, 1)
    result, evaluator = evaluate(doc, doc.add("AddChannels", src, channels="rgb"))
    assert result is evaluator.evaluate(src, 1)
    with pytest.raises(EvaluationError, match=r"AddChannels\d+.*channels: 'all' cannot be created"):
        evaluate(doc, doc.add("AddChannels", src, channels="all"))
