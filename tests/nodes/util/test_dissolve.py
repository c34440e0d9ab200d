import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import ParamError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.util.dissolve import Dissolve
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_mixes_by_the_formula():
    a, b = random_rgba(6, 7, seed=1), random_rgba(6, 7, seed=2)
    doc = make_document()
    node = doc.add("Dissolve", source(doc, image(a)), source(doc, image(b)), which=0.3)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, a * 0.7 + b * 0.3, rtol=1e-6, atol=1e-7)
    assert result.pixels.flags.writeable is False


@pytest.mark.parametrize("which, chosen", [(0.0, 0), (1.0, 1)])
def test_the_ends_pass_an_input_through(which, chosen):
    doc = make_document()
    sources = [source(doc, image(random_rgba(3, 3, seed=s))) for s in (1, 2)]
    node = doc.add("Dissolve", *sources, which=which)
    ev = Evaluator(doc)
    assert ev.evaluate(node, 1) is ev.evaluate(sources[chosen], 1)
    assert "Dissolve1" not in ev.stats.computes


def test_union_of_windows_and_channels():
    a = image(np.ones((2, 2, 4), np.float32), data_window=Box(0, 0, 2, 2), display_window=Box(0, 0, 10, 10))
    b = image(np.full((2, 3, 1), 2.0, np.float32), channels=("depth.Z",), data_window=Box(5, 5, 8, 7))
    doc = make_document()
    node = doc.add("Dissolve", source(doc, a), source(doc, b), which=0.5)
    result, _ = evaluate(doc, node)
    assert result.data_window == Box(0, 0, 8, 7) and result.channels == (*RGBA, "depth.Z")
    assert result.display_window == Box(0, 0, 10, 10)
    np.testing.assert_allclose(result.pixels[0, 0], [0.5, 0.5, 0.5, 0.5, 0.0])
    np.testing.assert_allclose(result.pixels[5, 5], [0.0, 0.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(result.pixels[3, 3], 0.0)


def test_one_input_fades_to_black_and_nan_propagates():
    x = random_rgba(3, 3, seed=4)
    x[1, 1, 0] = np.nan
    doc = make_document()
    node = doc.add("Dissolve", source(doc, image(x)), None, which=0.25)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, x * 0.75, rtol=1e-6)
    assert np.isnan(result.pixels[1, 1, 0])


def test_which_outside_zero_to_one_is_refused():
    doc = make_document()
    with pytest.raises(ParamError, match="above the maximum"):
        doc.add("Dissolve", which=1.5)


def test_schema_is_documented():
    assert Dissolve.__doc__ and all(spec.doc for spec in Dissolve.params)
