import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.mirror import Mirror, mirrored_window
from tests.nodes.image_asserts import evaluate, from_imagebuf, image, make_document, random_rgba, source, to_imagebuf


@pytest.mark.parametrize("horizontal, vertical, oracle", [
    (True, False, IBA.flop), (False, True, IBA.flip), (True, True, IBA.rotate180),
])
def test_matches_imagebufalgo(horizontal, vertical, oracle):
    x = random_rgba(12, 17, seed=1)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Mirror", source(doc, image(x)), horizontal=horizontal, vertical=vertical))
    assert result.data_window == Box(0, 0, 17, 12)
    np.testing.assert_array_equal(result.pixels, from_imagebuf(oracle(to_imagebuf(x)), result.data_window))


def test_data_window_is_mirrored_about_the_format_centre():
    assert mirrored_window(Box(2, 1, 5, 3), Box(0, 0, 10, 8), True, False) == Box(5, 1, 8, 3)
    assert mirrored_window(Box(2, 1, 5, 3), Box(0, 0, 10, 8), False, True) == Box(2, 5, 5, 7)
    assert mirrored_window(Box(-4, 0, 2, 3), Box(0, 0, 10, 8), True, False) == Box(8, 0, 14, 3)  # stays outside
    x = random_rgba(3, 4, seed=2)
    doc = make_document()
    img = image(x, data_window=Box(2, 1, 6, 4), display_window=Box(0, 0, 10, 8))
    result, _ = evaluate(doc, doc.add("Mirror", source(doc, img)))
    assert result.data_window == Box(4, 1, 8, 4)
    np.testing.assert_array_equal(result.pixels, x[:, ::-1])


def test_twice_is_the_original_and_neither_passes_through():
    x = random_rgba(5, 6, seed=3, channels=6)
    channels = (*RGBA, "depth.Z", "id.R")
    doc = make_document()
    src = source(doc, image(x, channels))
    twice = doc.add("Mirror", doc.add("Mirror", src, vertical=True), vertical=True)
    result, _ = evaluate(doc, twice)
    np.testing.assert_array_equal(result.pixels, x)
    assert result.pixels.flags.writeable is False and result.pixels.flags.c_contiguous
    off = doc.add("Mirror", src, horizontal=False)
    ev = Evaluator(doc)
    assert ev.hash(off, 1) == ev.hash(src, 1)


def test_nan_moves_with_its_pixel():
    x = np.zeros((2, 3, 1), np.float32)
    x[0, 0] = np.nan
    doc = make_document()
    result, _ = evaluate(doc, doc.add("Mirror", source(doc, image(x, ("A",)))))
    assert np.isnan(result.pixels[0, 2, 0]) and np.isfinite(result.pixels[0, 0, 0])


def test_schema_is_documented():
    assert Mirror.__doc__ and all(spec.doc for spec in Mirror.params)
