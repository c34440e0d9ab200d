"""Filters that honour regions and proxy scales: a region's pixels are the whole render's, a
proxy render is close to the whole render reduced."""

import numpy as np
import pytest

from nodecomp.api import Box, Request
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import crop, reduce
from nodecomp.testing import check_request_contract
from tests.nodes.image_asserts import image, make_document, random_rgba, source

# (type, params, largest difference between a region render and the whole render there).
# OpenCV's vectorised Gaussian rounds a pixel differently by where it falls in a row, so filters
# built on it differ by float32 rounding (1e-6 here); a Defocus disc of 11 taps or more goes
# through OpenCV's DFT, whose rounding follows the image size.
REGION_CASES = [
    ("Sharpen", {"size": 2.0, "amount": 1.5}, 1e-6),
    ("Sharpen", {"size": 1.5, "threshold": 0.05, "channels": "rgba"}, 1e-6),
    ("Defocus", {"size": 3.0}, 0.0),
    ("Defocus", {"size": 7.5, "crop": False, "channels": "rgb"}, 1e-5),
    ("EdgeDetect", {}, 1e-6),
    ("EdgeDetect", {"method": "laplacian", "size": 1.5}, 1e-6),
    ("EdgeDetect", {"method": "scharr", "size": 1.0, "channels": "alpha"}, 1e-6),
    ("Erode", {"size": (3.0, 2.0)}, 0.0),
    ("Erode", {"size": (2.5, 2.5), "mode": "filter", "softness": 0.5}, 0.0),
    ("Dilate", {"size": (2.0, 3.0), "shape": "disc"}, 0.0),
    ("Dilate", {"size": (3.0, 1.5), "mode": "filter", "crop": False}, 0.0),
    ("Median", {"size": 1}, 0.0),
    ("Median", {"size": 2, "channels": "rgb"}, 0.0),
    ("Median", {"size": 3}, 0.0),
    ("EdgeBlur", {"size": 2.0}, 1e-6),
    ("EdgeBlur", {"size": 3.0, "edge_mult": 2.0, "channels": "rgb", "crop": False}, 1e-6),
    ("Glow", {"size": (3.0, 2.0), "tolerance": 0.3}, 1e-6),
    ("Glow", {"size": (4.0, 4.0), "tolerance": 0.2, "effect_only": True, "crop": False}, 1e-6),
]
REGIONS = [Box(20, 10, 50, 30), Box(-10, -10, 12, 8), Box(60, 30, 120, 90)]


def _plate(doc, pixels):
    """`pixels` on a data window inset in an 80x48 format, so both edges are exercised."""
    return source(doc, image(pixels, data_window=Box(2, 1, 74, 41), display_window=Box(0, 0, 80, 48)))


def _smooth(height, width):
    """Smooth premultiplied RGBA with a soft-edged alpha: features several pixels wide."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    alpha = np.clip(1.2 - np.hypot(xx - width / 2, yy - height / 2) / (0.4 * min(height, width)), 0.0, 1.0)
    rgb = np.stack([np.sin(xx / 9.0) * 0.5 + 0.5, np.cos(yy / 7.0) * 0.5 + 0.5, (xx + yy) / (height + width)], -1)
    return np.concatenate([rgb * alpha[..., None] * 1.5, alpha[..., None]], -1).astype(np.float32)


@pytest.mark.parametrize(("type_name", "params", "atol"), REGION_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(REGION_CASES)])
def test_a_region_render_equals_the_whole_render_there(type_name, params, atol):
    doc = make_document()
    node = doc.add(type_name, _plate(doc, random_rgba(40, 72, seed=6) * 1.5), **params)
    full = Evaluator(doc).evaluate(node, 1)
    for region in REGIONS:
        evaluator = Evaluator(doc)
        roi = evaluator.evaluate(node, Request(1.0, region=region))
        assert roi.data_window == full.data_window.intersect(region)
        np.testing.assert_allclose(roi.pixels, crop(full, region).pixels, rtol=0, atol=atol)
        assert evaluator.stats.pixels[node.name] < full.width * full.height
        check_request_contract(doc, node, region, atol=max(atol, 1e-7))


# (type, params, the proxy param values at 1/2, largest difference from the whole render reduced).
PROXY_CASES = [
    ("Sharpen", {"size": 4.0, "amount": 1.0}, {"size": 2.0}, 0.04),
    ("Defocus", {"size": 6.0}, {"size": 3.0}, 0.02),
    ("EdgeDetect", {"size": 2.0}, {"size": 1.0}, 0.01),
    ("EdgeDetect", {"method": "laplacian", "size": 4.0}, {"size": 2.0}, 0.01),
    ("Erode", {"size": (4.0, 2.0)}, {"size": (2.0, 1.0)}, 0.06),
    # the soft edge's ramp is at least one pixel wide, so at 1/2 it is twice as wide
    ("Dilate", {"size": (4.0, 4.0), "mode": "filter", "channels": "alpha"}, {"size": (2.0, 2.0)}, 0.16),
    ("Median", {"size": 2}, {"size": 1}, 0.04),
    ("EdgeBlur", {"size": 4.0}, {"size": 2.0}, 0.02),
    ("Glow", {"size": (6.0, 4.0), "tolerance": 0.3}, {"size": (3.0, 2.0)}, 0.02),
]


@pytest.mark.parametrize(("type_name", "params", "scaled", "atol"), PROXY_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PROXY_CASES)])
def test_a_proxy_render_approximates_the_reduced_whole_render(type_name, params, scaled, atol):
    doc = make_document()
    node = doc.add(type_name, _plate(doc, _smooth(40, 72)), **params)
    full = Evaluator(doc).evaluate(node, 1)
    evaluator = Evaluator(doc)
    half = evaluator.evaluate(node, Request(1.0, scale=0.5))
    plan = evaluator.plan(node, Request(1.0, scale=0.5)).params
    assert {name: plan[name] for name in scaled} == scaled
    expected = reduce(full, 2)
    assert half.display_window == Box(0, 0, 40, 24)
    assert half.data_window == expected.data_window
    np.testing.assert_allclose(half.pixels, expected.pixels, rtol=0, atol=atol)
    assert np.abs(half.pixels - expected.pixels).mean() < 0.003  # the largest differences are at edges
    assert evaluator.stats.pixels[node.name] < full.width * full.height
