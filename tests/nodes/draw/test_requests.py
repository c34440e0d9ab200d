"""Generators that honour regions and proxy scales: a region's pixels are the whole render's, a
proxy render is close to the whole render reduced."""

import json

import numpy as np
import pytest

from nodecomp.api import Box, Request
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import crop, reduce
from nodecomp.testing import check_request_contract
from tests.nodes.image_asserts import image, make_document, random_rgba, source

SHAPES = json.dumps({"shapes": [
    {"keys": [{"frame": 1, "points": [[10, 8], {"xy": [60, 6], "in": [-8, 4], "out": [6, 8]}, [70, 40], [14, 44]]}]},
    {"feather": 2.0, "operation": "subtract", "keys": [{"frame": 1, "points": [[30, 20], [44, 20], [40, 30]]}]},
]})
HARD = json.dumps({"shapes": json.loads(SHAPES)["shapes"][:1]})
# (type, params, whether a plate is connected, largest difference between a region render and the whole one).
REGION_CASES = [
    ("CheckerBoard", {"size": 6, "offset": (3.0, 1.0)}, False, 0.0),
    ("ColorBars", {}, False, 0.0),
    ("ColorBars", {"layout": "bars"}, False, 0.0),
    ("Noise", {"size": (12.0, 9.0), "octaves": 3}, False, 0.0),
    ("Noise", {"size": (10.0, 10.0), "pattern": "turbulence", "opacity": 0.5}, True, 0.0),
    ("Roto", {"shapes": SHAPES, "feather": 3.0}, False, 1e-6),
    ("Roto", {"shapes": SHAPES, "invert": True, "opacity": 0.7}, True, 1e-6),
    ("Text", {"message": "Slate [frame]", "size": 20.0, "position": (6.0, 30.0)}, False, 0.0),
    ("Text", {"message": "burn-in", "size": 16.0, "position": (40.0, 20.0), "align": "center"}, True, 0.0),
]
REGIONS = [Box(20, 10, 50, 30), Box(-10, -10, 12, 8), Box(60, 30, 120, 90)]


def _document(type_name, params, with_plate):
    doc = make_document()
    doc.format = doc.format.__class__(80, 48)
    plate = source(doc, image(random_rgba(40, 72, seed=6), data_window=Box(2, 1, 74, 41),
                              display_window=Box(0, 0, 80, 48))) if with_plate else None
    return doc, doc.add(type_name, *([plate] if plate is not None else []), **params)


@pytest.mark.parametrize(("type_name", "params", "with_plate", "atol"), REGION_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(REGION_CASES)])
def test_a_region_render_equals_the_whole_render_there(type_name, params, with_plate, atol):
    doc, node = _document(type_name, params, with_plate)
    full = Evaluator(doc).evaluate(node, 1)
    for region in REGIONS:
        evaluator = Evaluator(doc)
        roi = evaluator.evaluate(node, Request(1.0, region=region))
        assert roi.data_window == full.data_window.intersect(region)
        np.testing.assert_allclose(roi.pixels, crop(full, region).pixels, rtol=0, atol=atol)
        assert evaluator.stats.pixels[node.name] < full.width * full.height
        check_request_contract(doc, node, region, atol=max(atol, 1e-7))


# (type, params, largest difference from the whole render reduced at 1/2, and on average);
# the amount of alpha drawn is the same to 2% in every case.
PROXY_CASES = [
    ("CheckerBoard", {"size": 8, "offset": (4.0, 2.0)}, 0.0, 0.0),  # squares on the proxy grid: exact
    ("CheckerBoard", {"size": 5, "offset": (1.0, 0.0)}, 0.21, 0.06),  # edges take one colour, not the mix
    ("ColorBars", {}, 0.38, 0.015),  # bar edges fall inside proxy pixels
    ("Noise", {"size": (24.0, 16.0), "octaves": 2}, 0.005, 0.001),
    ("Roto", {"shapes": HARD}, 0.07, 0.002),  # coverage is sampled on 8 lines per (proxy) row
    # the feather's distance to the edge is estimated to about half a pixel, a proxy pixel here
    ("Roto", {"shapes": SHAPES, "feather": 4.0}, 0.35, 0.025),
    # glyphs are rendered at 12 pixels: hinted and placed to a proxy pixel, so their edges differ
    ("Text", {"message": "Slate 1001", "size": 24.0, "position": (6.0, 30.0)}, 0.9, 0.05),
]


@pytest.mark.parametrize(("type_name", "params", "atol", "mean"), PROXY_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PROXY_CASES)])
def test_a_proxy_render_approximates_the_reduced_whole_render(type_name, params, atol, mean):
    doc, node = _document(type_name, params, False)
    full = Evaluator(doc).evaluate(node, 1)
    evaluator = Evaluator(doc)
    half = evaluator.evaluate(node, Request(1.0, scale=0.5))
    expected = reduce(full, 2)
    assert half.display_window == Box(0, 0, 40, 24)
    assert half.data_window == expected.data_window
    difference = np.abs(half.pixels - expected.pixels)
    assert difference.max() <= atol and difference.mean() <= mean, (difference.max(), difference.mean())
    drawn = float(expected.pixels[..., 3].sum())
    assert abs(float(half.pixels[..., 3].sum()) - drawn) <= 0.02 * drawn
    assert evaluator.stats.pixels[node.name] < full.width * full.height
