import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.color.color_matrix import SingularMatrixError, colour_matrix
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

ROWS = ((0.6, 0.3, 0.1, 0.05), (0.2, 0.7, 0.1, 0.0), (0.0, 0.1, 0.9, 0.0), (0.1, 0.0, 0.0, 0.8))
PARAMS = dict(zip(("red_row", "green_row", "blue_row", "alpha_row"), ROWS, strict=True))


def _oiio(x, m4):
    # OIIO multiplies row vectors (in @ M), so a column-vector matrix goes in transposed.
    return from_imagebuf(IBA.colormatrixtransform(to_imagebuf(x), tuple(m4.T.flatten()), unpremult=False),
                         Box(0, 0, x.shape[1], x.shape[0]))


def test_4x4_matches_imagebufalgo_colormatrixtransform(tmp_path):
    x = random_rgba(6, 8, seed=1)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("ColorMatrix", source(doc, image(x)), matrix_size="4x4", **PARAMS))
    assert_images_close(result.pixels, _oiio(x, np.array(ROWS)), tmp_path, atol=2e-6, name="matrix4_vs_oiio")


def test_3x3_leaves_alpha_and_matches_the_product(tmp_path):
    x = random_rgba(6, 8, seed=2)
    m4 = np.eye(4)
    m4[:3, :3] = np.array(ROWS)[:3, :3]
    doc = make_document()
    result, _ = evaluate(doc, doc.add("ColorMatrix", source(doc, image(x)), **PARAMS))
    assert_images_close(result.pixels, _oiio(x, m4), tmp_path, atol=2e-6, name="matrix3_vs_oiio")
    np.testing.assert_array_equal(result.pixels[..., 3], x[..., 3])


@pytest.mark.parametrize("size", ["3x3", "4x4"])
def test_invert_undoes_the_matrix(size):
    x = random_rgba(5, 5, seed=3)
    doc = make_document()
    forward = doc.add("ColorMatrix", source(doc, image(x)), matrix_size=size, **PARAMS)
    back = doc.add("ColorMatrix", forward, matrix_size=size, invert=True, **PARAMS)
    result, _ = evaluate(doc, back)
    np.testing.assert_allclose(result.pixels, x, atol=1e-5)


def test_singular_matrix_inverse_is_a_clear_error():
    with pytest.raises(SingularMatrixError):
        colour_matrix(((1, 1, 0, 0), (1, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)), "3x3", True)
    doc = make_document()
    node = doc.add("ColorMatrix", source(doc, image(random_rgba(2, 2))), red_row=(1, 1, 0, 0),
                   green_row=(1, 1, 0, 0), invert=True)
    with pytest.raises(EvaluationError, match="ColorMatrix1.*has no inverse"):
        evaluate(doc, node)


def test_identity_passes_through_and_mix_blends():
    x = random_rgba(3, 3, seed=4)
    doc = make_document()
    src = source(doc, image(x))
    result, evaluator = evaluate(doc, doc.add("ColorMatrix", src, invert=True))
    assert result is evaluator.evaluate(src, 1)
    swap = dict(red_row=(0, 1, 0, 0), green_row=(1, 0, 0, 0))
    result, _ = evaluate(doc, doc.add("ColorMatrix", src, mix=0.25, **swap))
    expected = x.copy()
    expected[..., 0] = x[..., 0] + (x[..., 1] - x[..., 0]) * 0.25
    expected[..., 1] = x[..., 1] + (x[..., 0] - x[..., 1]) * 0.25
    np.testing.assert_allclose(result.pixels, expected, rtol=1e-6)


def test_swap_moves_nan_with_its_channel_and_extra_layers_are_kept():
    x = random_rgba(2, 2, seed=5, channels=5)
    x[0, 0, 0] = np.nan
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z")))
    result, _ = evaluate(doc, doc.add("ColorMatrix", src, red_row=(0, 1, 0, 0), green_row=(1, 0, 0, 0)))
    assert np.isnan(result.pixels[0, 0, 1]) and result.pixels[0, 0, 0] == x[0, 0, 1]
    np.testing.assert_array_equal(result.pixels[..., 2:], x[..., 2:])


def test_rgb_without_alpha_with_4x4_reads_alpha_as_zero():
    x = random_rgba(2, 2, seed=6)[..., :3]
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B")))
    result, _ = evaluate(doc, doc.add("ColorMatrix", src, matrix_size="4x4", **PARAMS))
    np.testing.assert_allclose(result.pixels, x @ np.array(ROWS)[:3, :3].T, rtol=1e-6)
