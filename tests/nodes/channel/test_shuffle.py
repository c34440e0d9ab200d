import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from tests.nodes.image_asserts import evaluate, from_imagebuf, image, make_document, random_rgba, source, to_imagebuf


def test_swap_and_constants_match_imagebufalgo_channels():
    x = random_rgba(4, 5, seed=1)
    expected = from_imagebuf(IBA.channels(to_imagebuf(x), (2, 1, 0, 1.0)), Box(0, 0, 5, 4))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Shuffle", source(doc, image(x)), mapping="R=B, B=R, A=1"))
    assert result.channels == ("R", "G", "B", "A")
    np.testing.assert_array_equal(result.pixels, expected)


def test_layer_to_layer_and_new_channels():
    x = random_rgba(3, 3, seed=2, channels=7)
    channels = ("R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B")
    doc = make_document()
    src = source(doc, image(x, channels))
    result, _ = evaluate(doc, doc.add("Shuffle", src, mapping="rgba=diffuse depth.Z=A"))
    assert result.channels == (*channels, "depth.Z")
    np.testing.assert_array_equal(result.pixels[..., :3], x[..., 4:7])
    np.testing.assert_array_equal(result.pixels[..., 3:7], x[..., 3:7])
    np.testing.assert_array_equal(result.pixels[..., 7], x[..., 3])


def test_without_keep_others_only_mapped_channels_remain_in_order():
    x = random_rgba(2, 2, seed=3)
    doc = make_document()
    node = doc.add("Shuffle", source(doc, image(x)), mapping="A=A matte.R=R", keep_others=False)
    result, _ = evaluate(doc, node)
    assert result.channels == ("A", "matte.R")
    np.testing.assert_array_equal(result.pixels, x[..., [3, 0]])


def test_empty_mapping_passes_through_and_errors_are_clear():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("Shuffle", src))
    assert result is evaluator.evaluate(src, 1)
    with pytest.raises(EvaluationError, match=r"Shuffle\d+.*mapping: no channel or layer 'depth.Z'"):
        evaluate(doc, doc.add("Shuffle", src, mapping="A=depth.Z"))


def test_one_channel_to_rgba_and_windows_kept():
    matte = np.random.default_rng(4).random((3, 4, 1), dtype=np.float32)
    doc = make_document()
    src = source(doc, image(matte, ("A",), data_window=Box(5, 6, 9, 9), display_window=Box(0, 0, 20, 20)))
    result, _ = evaluate(doc, doc.add("Shuffle", src, mapping="R=A G=A B=A"))
    assert result.channels == ("A", "R", "G", "B")
    assert result.data_window == Box(5, 6, 9, 9) and result.display_window == Box(0, 0, 20, 20)
    np.testing.assert_array_equal(result.pixels, np.repeat(matte, 4, axis=2))


def test_nan_and_inf_are_moved_bit_for_bit():
    x = np.array([[[np.nan, np.inf, -np.inf, 0.5]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Shuffle", source(doc, image(x)), mapping="R=A A=R B=G G=B"))
    assert result.pixels[0, 0, 0] == 0.5 and np.isnan(result.pixels[0, 0, 3])
    assert result.pixels[0, 0, 2] == np.inf and result.pixels[0, 0, 1] == -np.inf
