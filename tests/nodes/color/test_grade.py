import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError, ParamError
from nodecomp.nodes.color.grade import Grade, is_identity
from tests.nodes.image_asserts import (
    assert_images_close,
    evaluate,
    from_imagebuf,
    image,
    make_document,
    random_rgba,
    source,
    to_imagebuf,
)

DEFAULTS = {spec.name: spec.default for spec in Grade.params}


def test_matches_imagebufalgo_mad_and_pow(tmp_path):
    x = random_rgba(16, 24, seed=5) + 0.05  # positive, so OIIO's pow (C pow) is defined
    buf = to_imagebuf(x)
    oracle = IBA.pow(IBA.mad(buf, (1.2, 0.8, 1.5, 1.0), (0.01, 0.02, 0.0, 0.0)), (1 / 1.1, 1 / 0.8, 1.0, 1.0))
    expected = from_imagebuf(oracle, Box(0, 0, 24, 16))
    doc = make_document()
    node = doc.add("Grade", source(doc, image(x)), multiply=(1.2, 0.8, 1.5, 1.0), offset=(0.01, 0.02, 0, 0),
                   gamma=(1.1, 0.8, 1.0, 1.0))
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, expected, tmp_path, rtol=2e-6, atol=1e-7, name="grade_vs_oiio")


@pytest.mark.parametrize("channels, graded", [("rgb", [0, 1, 2]), ("rgba", [0, 1, 2, 3]), ("alpha", [3])])
def test_channels_choice(channels, graded):
    x = random_rgba(3, 4, seed=9)
    doc = make_document()
    node = doc.add("Grade", source(doc, image(x)), multiply=2.0, channels=channels)
    result, _ = evaluate(doc, node)
    for c in range(4):
        if c in graded:
            np.testing.assert_allclose(result.pixels[..., c], x[..., c] * 2, rtol=1e-6)
        else:
            np.testing.assert_array_equal(result.pixels[..., c], x[..., c])


def test_identity_passes_the_input_object_through():
    doc = make_document()
    src = source(doc, image(random_rgba(4, 4) - 0.5))  # negatives: clamp_black does not apply either
    node = doc.add("Grade", src, multiply=(1, 1, 1, 3.0))  # alpha component is not graded with "rgb"
    assert is_identity({**DEFAULTS, "multiply": (1, 1, 1, 3.0)})
    upstream, _ = evaluate(doc, src)
    result, evaluator = evaluate(doc, node)
    assert result is evaluator.evaluate(src, 1)
    np.testing.assert_array_equal(result.pixels, upstream.pixels)
    assert "Grade1" not in evaluator.stats.computes
    assert evaluator.hash(node, 1) == evaluator.hash(src, 1)


def test_mix_zero_passes_through_and_mix_blends():
    assert is_identity({**DEFAULTS, "gain": (3, 3, 3, 3), "mix": 0.0})
    x = random_rgba(3, 3, seed=4)
    doc = make_document()
    node = doc.add("Grade", source(doc, image(x)), gain=3.0, mix=0.25)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels[..., :3], x[..., :3] * (1 + 2 * 0.25), rtol=1e-6)


def test_whitepoint_equal_to_blackpoint_is_a_clear_error():
    doc = make_document()
    node = doc.add("Grade", source(doc, image(random_rgba(2, 2))), blackpoint=0.5, whitepoint=(0.5, 1, 1, 1))
    with pytest.raises(EvaluationError, match="whitepoint equals blackpoint.*channel R"):
        evaluate(doc, node)


def test_gamma_must_be_positive():
    doc = make_document()
    node = doc.add("Grade", source(doc, image(random_rgba(2, 2))))
    with pytest.raises(ParamError, match="below the minimum"):
        node["gamma"] = 0.0


def test_results_are_read_only_and_inputs_untouched():
    x = random_rgba(8, 8, seed=11)
    before = x.copy()
    doc = make_document()
    node = doc.add("Grade", source(doc, image(x)), gain=2.0, gamma=2.0)
    result, _ = evaluate(doc, node)
    assert result.pixels.flags.writeable is False
    np.testing.assert_array_equal(x, before)


def test_nan_and_inf_do_not_crash():
    x = np.array([[[np.nan, np.inf, -np.inf, 0.5]]], np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Grade", source(doc, image(x)), gain=2.0, gamma=2.0, clamp_black=False))
    assert np.isnan(result.pixels[0, 0, 0])
    assert result.pixels[0, 0, 1] == np.inf and result.pixels[0, 0, 2] == -np.inf
    assert result.pixels[0, 0, 3] == 0.5


def test_one_channel_image_without_rgb_is_returned_unchanged():
    doc = make_document()
    src = source(doc, image(np.full((2, 3, 1), 0.5), channels=("depth.Z",)))
    result, _ = evaluate(doc, doc.add("Grade", src, gain=2.0))
    np.testing.assert_array_equal(result.pixels, 0.5)
    alpha_only = source(doc, image(np.full((2, 3, 1), 0.5), channels=("A",)))
    result, _ = evaluate(doc, doc.add("Grade", alpha_only, gain=2.0, channels="rgba"))
    np.testing.assert_allclose(result.pixels, 1.0)


def test_six_channel_image_grades_rgb_and_copies_the_other_layers():
    x = random_rgba(4, 5, seed=12, channels=6)
    channels = (*RGBA, "depth.Z", "id.R")
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Grade", source(doc, image(x, channels)), multiply=0.5))
    assert result.channels == channels
    np.testing.assert_allclose(result.pixels[..., :3], x[..., :3] * 0.5, rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])


def test_offset_windows_and_metadata_are_kept():
    x = random_rgba(4, 5)
    src_image = image(x, data_window=Box(10, 20, 15, 24), display_window=Box(0, 0, 100, 100))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Grade", source(doc, src_image), gain=2.0))
    assert result.data_window == Box(10, 20, 15, 24) and result.display_window == Box(0, 0, 100, 100)
