import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.color import ocio_display
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

DISPLAY = "sRGB - Display"


@pytest.mark.parametrize("view", ["Un-tone-mapped", "Video (colorimetric)", "ACES 2.0 - SDR 100 nits (Rec.709)"])
def test_matches_imagebufalgo_ociodisplay(tmp_path, view):
    x = random_rgba(6, 8, seed=1) * 2
    doc = make_document()
    config = Evaluator(doc).colour.source
    oracle = IBA.ociodisplay(to_imagebuf(x), DISPLAY, view, fromspace="ACEScg", colorconfig=config)
    expected = from_imagebuf(oracle, Box(0, 0, 8, 6))
    node = doc.add("OCIODisplay", source(doc, image(x)), display=DISPLAY, view=view)
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-4, name="display_vs_oiio")


def test_defaults_are_the_configs_and_match_the_explicit_names():
    x = random_rgba(3, 3, seed=2)
    doc = make_document()
    src = source(doc, image(x))
    default, _ = evaluate(doc, doc.add("OCIODisplay", src))
    explicit, _ = evaluate(doc, doc.add("OCIODisplay", src, display=DISPLAY,
                                        view="ACES 2.0 - SDR 100 nits (Rec.709)"))
    np.testing.assert_array_equal(default.pixels, explicit.pixels)
    assert default.colorspace


def test_looks_override_matches_imagebufalgo(tmp_path):
    x = random_rgba(5, 5, seed=3)
    look = "ACES 1.3 Reference Gamut Compression"
    doc = make_document()
    config = Evaluator(doc).colour.source
    oracle = IBA.ociodisplay(to_imagebuf(x), DISPLAY, "Un-tone-mapped", fromspace="ACEScg", looks=look,
                             colorconfig=config)
    node = doc.add("OCIODisplay", source(doc, image(x)), display=DISPLAY, view="Un-tone-mapped", looks=look)
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, from_imagebuf(oracle, Box(0, 0, 5, 5)), tmp_path, atol=1e-4,
                        name="display_looks_vs_oiio")


def test_inverse_round_trips():
    x = random_rgba(4, 4, seed=4) * 0.8
    doc = make_document()
    forward = doc.add("OCIODisplay", source(doc, image(x)), display=DISPLAY, view="Un-tone-mapped")
    back = doc.add("OCIODisplay", forward, display=DISPLAY, view="Un-tone-mapped", inverse=True)
    result, _ = evaluate(doc, back)
    np.testing.assert_allclose(result.pixels, x, atol=1e-4)
    assert result.colorspace == "ACEScg"


def test_processors_are_built_once():
    doc = make_document()
    node = doc.add("OCIODisplay", source(doc, image(random_rgba(2, 2))), display=DISPLAY, view="Raw")
    evaluate(doc, node)
    builds = ocio_display.PROCESSORS.builds
    evaluate(doc, node)
    assert ocio_display.PROCESSORS.builds == builds


def test_unknown_display_or_view_lists_the_valid_ones():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    with pytest.raises(EvaluationError, match=r"OCIODisplay\d+.*unknown display 'Cinema'.*sRGB - Display"):
        evaluate(doc, doc.add("OCIODisplay", src, display="Cinema"))
    with pytest.raises(EvaluationError, match="has no view 'Filmic'; it has: ACES 2.0"):
        evaluate(doc, doc.add("OCIODisplay", src, display=DISPLAY, view="Filmic"))


def test_one_channel_nan_and_many_channels():
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("OCIODisplay", matte, view="Raw"))
    np.testing.assert_array_equal(result.pixels, 0.5)
    x = random_rgba(3, 3, seed=5, channels=6)
    x[0, 0, 4] = np.nan
    x[1, 1, 0] = np.nan
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z", "id.R")))
    result, _ = evaluate(doc, doc.add("OCIODisplay", src, display=DISPLAY, view="Un-tone-mapped"))
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])
    assert np.isnan(result.pixels[1, 1, 0]) and np.isfinite(result.pixels[2, 2, :3]).all()
