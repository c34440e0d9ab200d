import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.channel.channel_merge import OPERATIONS, merge_channel
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source

FORMULAS = {
    "union": lambda a, b: a + b - a * b, "plus": lambda a, b: a + b, "minus": lambda a, b: a - b,
    "from": lambda a, b: b - a, "multiply": lambda a, b: a * b, "in": lambda a, b: a * b,
    "out": lambda a, b: a * (1 - b), "stencil": lambda a, b: b * (1 - a), "min": np.minimum, "max": np.maximum,
    "absminus": lambda a, b: np.abs(a - b), "xor": lambda a, b: a + b - 2 * a * b,
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_each_operation_follows_its_formula(operation):
    rng = np.random.default_rng(1)
    a, b = rng.random((4, 4), dtype=np.float32) * 2 - 0.5, rng.random((4, 4), dtype=np.float32)
    np.testing.assert_allclose(merge_channel(operation, a, b), FORMULAS[operation](a, b), rtol=1e-6, atol=1e-7)
    clamped = merge_channel(operation, a, b, clamp=True)
    assert clamped.min() >= 0 and clamped.max() <= 1


def test_node_writes_into_b_and_reads_a_over_bs_window():
    a, b = random_rgba(2, 2, seed=2), random_rgba(3, 3, seed=3)
    doc = make_document()
    node = doc.add("ChannelMerge", source(doc, image(a, data_window=Box(1, 1, 3, 3))), source(doc, image(b)))
    result, _ = evaluate(doc, node)
    a_on_b = np.zeros((3, 3), np.float32)
    a_on_b[1:, 1:] = a[..., 3]
    np.testing.assert_allclose(result.pixels[..., 3], a_on_b + b[..., 3] - a_on_b * b[..., 3], rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., :3], b[..., :3])


def test_new_output_channel_is_appended():
    a = random_rgba(2, 2, seed=4, channels=5)
    b = random_rgba(2, 2, seed=5)
    doc = make_document()
    node = doc.add("ChannelMerge", source(doc, image(a, ("R", "G", "B", "A", "depth.Z"))), source(doc, image(b)),
                   a_channel="depth.Z", b_channel="R", operation="max", output="combined.A")
    result, _ = evaluate(doc, node)
    assert result.channels == ("R", "G", "B", "A", "combined.A")
    np.testing.assert_array_equal(result.pixels[..., 4], np.maximum(a[..., 4], b[..., 0]))


def test_missing_channels_are_clear_errors():
    doc = make_document()
    a, b = source(doc, image(random_rgba(2, 2))), source(doc, image(random_rgba(2, 2)))
    with pytest.raises(EvaluationError, match="a_channel: input a has no channel 'matte.A'"):
        evaluate(doc, doc.add("ChannelMerge", a, b, a_channel="matte.A"))
    with pytest.raises(EvaluationError, match="output: 'x y' is not a valid channel name"):
        evaluate(doc, doc.add("ChannelMerge", a, b, output="x y"))


def test_one_channel_mattes_and_nan_follow_the_formula():
    a = np.array([[[np.nan], [0.5]]], np.float32)
    b = np.array([[[0.25], [0.5]]], np.float32)
    doc = make_document()
    node = doc.add("ChannelMerge", source(doc, image(a, ("A",))), source(doc, image(b, ("A",))), operation="max")
    result, _ = evaluate(doc, node)
    assert result.channels == ("A",)
    assert np.isnan(result.pixels[0, 0, 0]) and result.pixels[0, 1, 0] == 0.5
