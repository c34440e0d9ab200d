import math

import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.core.format import Format
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.draw.roto import Roto
from nodecomp.nodes.draw.roto_shapes import circle_points, shapes_json
from tests.nodes.draw.test_raster import supersampled_disc
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source

FORMAT = Format(120, 90)


def roto_doc(shapes, **params):
    doc = make_document()
    doc.format = FORMAT
    return doc, doc.add("Roto", shapes=shapes, **params)


def test_a_bezier_circle_matches_a_rasterised_disc():
    centre, radius = (60.4, 44.7), 35.0
    doc, node = roto_doc(shapes_json({"points": circle_points(centre, radius)}))
    result = evaluate(doc, node)[0]
    assert result.channels == RGBA and result.data_window == Box(0, 0, 120, 90)
    alpha = result.pixels[..., 3]
    # the four-arc Bezier circle bulges by at most 0.027% of the radius: area within 0.06%
    assert alpha.sum() == pytest.approx(math.pi * radius ** 2, rel=6e-4)
    reference = supersampled_disc(Box(0, 0, 120, 90), centre, radius)
    assert np.abs(alpha - reference).max() < 0.15 and np.abs(alpha - reference).mean() < 2e-3
    np.testing.assert_array_equal(result.pixels[..., 0], alpha)


def test_animated_shapes_interpolate_between_keys():
    keyed = shapes_json({"keys": [{"frame": 1, "points": circle_points((30, 45), 10)},
                                  {"frame": 11, "points": circle_points((90, 45), 20)}]})
    doc, node = roto_doc(keyed)
    middle = evaluate(doc, node, 6)[0]
    still_doc, still = roto_doc(shapes_json({"points": circle_points((60, 45), 15)}))
    np.testing.assert_allclose(middle.pixels, evaluate(still_doc, still, 6)[0].pixels, atol=1e-6)
    evaluator = Evaluator(doc)
    assert evaluator.hash(node, 6) != evaluator.hash(node, 7)
    assert evaluator.hash(node, 11) == evaluator.hash(node, 30)  # held after the last key: one cache entry
    assert Evaluator(doc).evaluate(node, 30).pixels[..., 3].sum() == pytest.approx(math.pi * 400, rel=2e-3)
    still_evaluator = Evaluator(still_doc)
    assert still_evaluator.hash(still, 1) == still_evaluator.hash(still, 99)


def test_feather_opacity_invert_and_colour():
    circle = shapes_json({"points": circle_points((60, 45), 20)})
    doc, node = roto_doc(circle, feather=10.0, falloff="linear")
    alpha = evaluate(doc, node)[0].pixels[45, :, 3]
    assert alpha[60] == 1.0 and alpha[85] == pytest.approx(1 - 5.5 / 10, abs=0.08) and alpha[95] == 0.0
    doc, node = roto_doc(circle, opacity=0.5, invert=True, color=(1, 0, 0, 1))
    result = evaluate(doc, node)[0].pixels
    np.testing.assert_allclose(result[0, 0], [0.5, 0, 0, 0.5])
    np.testing.assert_allclose(result[45, 60], [0, 0, 0, 0])


def test_subtract_cuts_holes_and_shape_opacity():
    shapes = shapes_json({"points": circle_points((60, 45), 30)},
                         {"points": circle_points((60, 45), 10), "operation": "subtract"},
                         {"points": [[0, 0], [10, 0], [10, 10], [0, 10]], "opacity": 0.25})
    doc, node = roto_doc(shapes)
    alpha = evaluate(doc, node)[0].pixels[..., 3]
    assert alpha[45, 60] == 0.0 and alpha[45, 35] == 1.0 and alpha[5, 5] == 0.25
    assert alpha.sum() == pytest.approx(math.pi * (900 - 100) + 25, rel=2e-3)


def test_over_a_source_and_shapes_off_the_canvas():
    x = random_rgba(90, 120, seed=1, channels=5)
    doc = make_document()
    doc.format = FORMAT
    node = doc.add("Roto", source(doc, image(x, (*RGBA, "depth.Z"))),
                   shapes=shapes_json({"points": [[100, 70], [200, 70], [200, 200], [100, 200]]}), color=(0, 0, 0, 1))
    result = evaluate(doc, node)[0]
    assert result.channels == (*RGBA, "depth.Z")
    np.testing.assert_array_equal(result.pixels[80, 110, :4], [0, 0, 0, 1])
    np.testing.assert_array_equal(result.pixels[10, 10], x[10, 10])
    doc2, far = roto_doc(shapes_json({"points": circle_points((-500, -500), 20)}), feather=5.0)
    assert not evaluate(doc2, far)[0].pixels.any()


def test_bad_shapes_are_errors_naming_node_and_json_path():
    doc, node = roto_doc('{"shapes": [{"points": [[0, 0], [1]]}]}')
    with pytest.raises(EvaluationError, match=r"Roto1.*bad shapes: shapes\[0\].points\[1\]: expected \[x, y\]"):
        evaluate(doc, node)


def test_nothing_to_draw_passes_through():
    params = {"shapes": "", "invert": False, "opacity": 1.0, "color": (1, 1, 1, 1)}
    assert Roto.pass_through(params) == "source"
    assert Roto.pass_through({**params, "invert": True}) is None
    doc, node = roto_doc("", invert=True)
    assert (evaluate(doc, node)[0].pixels == 1).all()
