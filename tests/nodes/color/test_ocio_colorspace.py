import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
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

SRGB = "sRGB Encoded Rec.709 (sRGB)"


@pytest.mark.parametrize("target, unpremultiply", [(SRGB, True), (SRGB, False), ("ACEScct", True),
                                                   ("ACES2065-1", False)])
def test_matches_imagebufalgo_colorconvert(tmp_path, target, unpremultiply):
    x = random_rgba(9, 11, seed=1) * 1.5
    doc = make_document()
    config = Evaluator(doc).colour.source
    oracle = IBA.colorconvert(to_imagebuf(x), "ACEScg", target, unpremult=unpremultiply, colorconfig=config)
    expected = from_imagebuf(oracle, Box(0, 0, 11, 9))
    node = doc.add("OCIOColorSpace", source(doc, image(x)), in_colorspace="scene_linear", out_colorspace=target,
                   unpremultiply=unpremultiply)
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, expected, tmp_path, atol=2e-5, rtol=2e-5, name="colorspace_vs_oiio")
    assert result.colorspace == target


def test_round_trip_and_channel_layouts():
    x = random_rgba(4, 6, seed=2, channels=6)
    channels = ("B", "G", "R", "A", "depth.Z", "id.R")  # R, G, B not in the packed order
    doc = make_document()
    src = source(doc, image(x, channels))
    there = doc.add("OCIOColorSpace", src, out_colorspace="ACEScct")
    back = doc.add("OCIOColorSpace", there, in_colorspace="ACEScct", out_colorspace="scene_linear")
    result, _ = evaluate(doc, back)
    np.testing.assert_allclose(result.pixels, x, rtol=1e-4, atol=1e-5)
    moved, _ = evaluate(doc, there)
    np.testing.assert_array_equal(moved.pixels[..., 3:], x[..., 3:])
    assert not np.allclose(moved.pixels[..., :3], x[..., :3])


def test_same_names_pass_through_aliases_convert_nothing_and_unknown_names_fail():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("OCIOColorSpace", src, in_colorspace="ACEScg", out_colorspace="ACEScg"))
    assert result is evaluator.evaluate(src, 1)
    result, evaluator = evaluate(doc, doc.add("OCIOColorSpace", src, in_colorspace="ACEScg"))  # role -> same space
    np.testing.assert_array_equal(result.pixels, evaluator.evaluate(src, 1).pixels)
    node = doc.add("OCIOColorSpace", src, out_colorspace="No Such Space")
    with pytest.raises(EvaluationError, match=r"node OCIOColorSpace\d+, frame 1.*unknown colour space 'No Such Space'"):
        evaluate(doc, node)


def test_the_config_is_part_of_the_cache_key():
    doc = make_document()
    node = doc.add("OCIOColorSpace", source(doc, image(random_rgba(2, 2))), out_colorspace=SRGB)
    first = Evaluator(doc).hash(node, 1)
    doc.settings["ocio_config"] = "ocio://cg-config-latest"
    assert Evaluator(doc).hash(node, 1) != first


def test_nan_and_one_channel():
    x = random_rgba(2, 2, seed=3)
    x[0, 0, 0] = np.nan
    doc = make_document()
    result, _ = evaluate(doc, doc.add("OCIOColorSpace", source(doc, image(x)), out_colorspace=SRGB))
    assert np.isnan(result.pixels[0, 0, 0]) and np.isfinite(result.pixels[1, 1]).all()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("OCIOColorSpace", matte, out_colorspace=SRGB))
    np.testing.assert_array_equal(result.pixels, 0.5)
