"""Transforms that honour regions and proxy scales: a region's pixels are the whole render's, a
proxy render is close to the whole render reduced."""

import numpy as np
import pytest

from nodecomp.api import Box, Request, conform
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import reduce
from nodecomp.testing import check_request_contract
from tests.nodes.image_asserts import image, make_document, random_rgba, source

PIN = {"from_format": False, "from1": (4.0, 2.0), "from2": (70.0, 6.0), "from3": (66.0, 40.0), "from4": (8.0, 36.0),
       "to1": (10.0, 4.0), "to2": (60.0, 10.0), "to3": (72.0, 44.0), "to4": (2.0, 30.0)}
FORMAT_PIN = {"to1": (6.0, 3.0), "to2": (70.0, 1.0), "to3": (76.0, 45.0), "to4": (1.0, 40.0)}
# (type, params, largest difference between a region render and the whole render there);
# OpenCV's perspective warp rounds its sample positions differently by where the output window
# starts (up to about 1.4e-5 over a sweep of regions).
REGION_CASES = [
    ("Position", {"translate": (7.4, -3.6)}, 0.0),
    ("Position", {"translate": (-30.0, 20.0)}, 0.0),
    ("Mirror", {}, 0.0),
    ("Mirror", {"horizontal": False, "vertical": True}, 0.0),
    ("Mirror", {"vertical": True}, 0.0),
    ("CornerPin", PIN, 2e-5),
    ("CornerPin", {**PIN, "invert": True, "filter": "bilinear"}, 2e-5),
    ("CornerPin", FORMAT_PIN, 2e-5),
    ("Reformat", {"format": "custom", "width": 40, "height": 24}, 0.0),  # halved: cv2.resize
    ("Reformat", {"format": "custom", "width": 120, "height": 72, "filter": "lanczos"}, 1e-5),  # warped
    ("Reformat", {"format": "custom", "width": 100, "height": 100, "resize": "fit"}, 1e-5),
    ("Reformat", {"format": "custom", "width": 90, "height": 60, "resize": "none"}, 0.0),  # moved
]
REGIONS = [Box(20, 10, 50, 30), Box(-10, -10, 12, 8), Box(60, 30, 120, 90)]


def _document(type_name, params, pixels):
    doc = make_document()
    plate = source(doc, image(pixels, data_window=Box(2, 1, 74, 41), display_window=Box(0, 0, 80, 48)))
    return doc, doc.add(type_name, plate, **params)


@pytest.mark.parametrize(("type_name", "params", "atol"), REGION_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(REGION_CASES)])
def test_a_region_render_equals_the_whole_render_there(type_name, params, atol):
    doc, node = _document(type_name, params, random_rgba(40, 72, seed=6))
    full = Evaluator(doc).evaluate(node, 1)
    for region in REGIONS:
        roi = Evaluator(doc).evaluate(node, Request(1.0, region=region))
        # a pin's window is the bounding box of what it moves, which may be tighter for a region
        assert roi.data_window.intersect(full.data_window) == roi.data_window
        np.testing.assert_allclose(conform(roi, region), conform(full, region), rtol=0, atol=atol)
        check_request_contract(doc, node, region, atol=max(atol, 1e-7))


@pytest.mark.parametrize(("type_name", "params", "expected"), [
    ("Position", {"translate": (7.0, -3.0)}, Box(13, 13, 43, 33)),
    ("CornerPin", PIN, None),
    ("CornerPin", FORMAT_PIN, "everything"),  # the from points are the input's format corners
    ("Mirror", {}, "everything"),
    ("Reformat", {"format": "custom", "width": 40, "height": 24}, "everything"),
])
def test_what_a_region_asks_of_the_input(type_name, params, expected):
    doc, node = _document(type_name, params, random_rgba(40, 72, seed=6))
    asked = Evaluator(doc).plan(node, Request(1.0, region=Box(20, 10, 50, 30))).inputs["source"].request.region
    if expected == "everything":
        assert asked is None
    elif expected is None:  # the region mapped back through the pin: smaller than the plate
        assert asked is not None and asked.width * asked.height < 72 * 40
    else:
        assert asked == expected


def _smooth(height, width):
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    return np.stack([np.sin(xx / 7.0) * 0.5 + 0.5, np.cos(yy / 5.0) * 0.5 + 0.5, (xx + yy) / (height + width),
                     np.ones_like(xx)], -1).astype(np.float32)


# (type, params, largest difference from the whole render reduced at 1/2 where both are opaque,
# mean difference over both data windows). Edges of the moved picture (a hard alpha step) moved
# by a fraction of a proxy pixel differ by up to 0.5, hence the opaque-only maximum.
PROXY_CASES = [
    ("Position", {"translate": (8.0, -4.0)}, 0.0, 0.0),  # whole proxy pixels: exact
    ("Position", {"translate": (7.0, -3.0)}, 0.1, 0.08),  # 3.5 and 1.5 proxy pixels, rounded
    ("Mirror", {"vertical": True}, 0.0, 0.0),  # the format is a multiple of 2: exact
    ("CornerPin", PIN, 0.12, 0.025),
    ("CornerPin", FORMAT_PIN, 0.12, 0.025),
    # Reformat's cubic and lanczos filters ring at the plate's hard edges (alpha overshoots 1 by
    # about 0.05), differently at each resolution
    ("Reformat", {"format": "custom", "width": 40, "height": 24}, 0.06, 0.06),
    ("Reformat", {"format": "custom", "width": 120, "height": 72}, 0.06, 0.05),
    ("Reformat", {"format": "custom", "width": 100, "height": 100, "resize": "fit"}, 0.06, 0.05),
    ("Reformat", {"format": "custom", "width": 92, "height": 60, "resize": "none"}, 0.0, 0.0),  # moved 3 proxy px
    ("Reformat", {"format": "custom", "width": 90, "height": 60, "resize": "none"}, 0.075, 0.04),  # 2.5, floored
]


@pytest.mark.parametrize(("type_name", "params", "atol", "mean"), PROXY_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PROXY_CASES)])
def test_a_proxy_render_approximates_the_reduced_whole_render(type_name, params, atol, mean):
    doc, node = _document(type_name, params, _smooth(40, 72))
    full = Evaluator(doc).evaluate(node, 1)
    evaluator = Evaluator(doc)
    half = evaluator.evaluate(node, Request(1.0, scale=0.5))
    expected = reduce(full, 2)
    assert half.display_window == full.display_window.reduced(2)
    window = half.data_window.union(expected.data_window)
    ours, theirs = conform(half, window), conform(expected, window)
    difference = np.abs(ours - theirs)
    opaque = (ours[..., 3] > 0.999) & (theirs[..., 3] > 0.999)
    assert opaque.sum() > 0.5 * window.width * window.height
    assert difference[opaque].max() <= atol and difference.mean() <= mean, (difference[opaque].max(), difference.mean())
    assert evaluator.stats.pixels[node.name] < full.width * full.height
