"""The evaluator's side of the request contract: regions of interest and proxy scales.

Node types that opt in get the request; the others are computed whole at full resolution and
their result is cropped and reduced, so every answer is right and only opted-in nodes save work.
"""

import numpy as np
import pytest

from nodecomp.api import RGBA, Float, Image, Input, NodeType, Region
from nodecomp.core.document import Document
from nodecomp.core.format import Format
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import Box, conform
from nodecomp.engine.proxy import fit_image
from nodecomp.engine.request import Request
from tests.engine.conftest import Gain

SEEN: dict[str, list] = {}


def _see(ctx, **what) -> None:
    SEEN.setdefault(ctx.node, []).append({"request": ctx.request, **what})


class Gradient(NodeType):
    """Not opted in: x + 100 y over the format, at full resolution."""

    type_id = "test.Gradient"

    @classmethod
    def region_of_definition(cls, ctx, params, inputs):
        return Region(ctx.format_box, ctx.format_box)

    @staticmethod
    def compute(ctx):
        _see(ctx)
        box = ctx.format_box
        y, x = np.mgrid[box.y0:box.y1, box.x0:box.x1].astype(np.float32)
        pixels = np.stack([x, 100 * y, x + y, np.ones_like(x)], axis=-1)
        return Image(pixels, RGBA, box, box)


class Local(NodeType):
    """Not opted in: a spatial filter (mean of each pixel and its right neighbour)."""

    type_id = "test.Local"
    inputs = (Input("source"),)

    @staticmethod
    def compute(ctx, source):
        _see(ctx, shape=source.pixels.shape)
        right = np.concatenate([source.pixels[:, 1:], np.zeros_like(source.pixels[:, :1])], axis=1)
        return source.with_pixels((source.pixels + right) / 2)


class Double(NodeType):
    """Opted in: pointwise."""

    type_id = "test.Double"
    inputs = (Input("source"),)
    supports_region = True
    supports_scale = True

    @staticmethod
    def compute(ctx, source):
        _see(ctx, shape=source.pixels.shape, window=source.data_window)
        return source.with_pixels(source.pixels * 2)


class Reach(NodeType):
    """Opted in: a spatial node with a radius in pixels that grows the region it asks for."""

    type_id = "test.Reach"
    inputs = (Input("source"),)
    params = (Float("radius", default=4.0, pixels=True, doc="reach in pixels"),)
    supports_region = True
    supports_scale = True

    @classmethod
    def input_requests(cls, request, params):
        return {"source": request.grown(int(params["radius"]))}

    @staticmethod
    def compute(ctx, source, radius):
        _see(ctx, radius=radius, window=source.data_window)
        return source


@pytest.fixture
def doc():
    SEEN.clear()
    document = Document(NodeRegistry([Gradient, Local, Double, Reach, Gain]))
    document.format = Format(64, 32)
    return document


def test_a_node_that_does_not_opt_in_is_computed_whole_and_its_result_cut(doc):
    local = doc.add("Local", doc.add("Gradient"))
    full = Evaluator(doc).evaluate(local, 1)
    request = Request(1.0, region=Box(10, 4, 30, 20), scale=0.5)
    result = Evaluator(doc).evaluate(local, request)
    assert all(seen["request"].is_full for seen in SEEN["Local1"])
    assert SEEN["Local1"][-1]["shape"] == (32, 64, 4)
    assert result.data_window == Box(5, 2, 15, 10) and result.display_window == Box(0, 0, 32, 16)
    np.testing.assert_array_equal(result.pixels, fit_image(full, request).pixels)


def test_an_opted_in_node_gets_the_region_and_scale(doc):
    double = doc.add("Double", doc.add("Gradient"))
    evaluator = Evaluator(doc)
    request = Request(1.0, region=Box(8, 8, 24, 16), scale=0.5)
    result = evaluator.evaluate(double, request)
    seen = SEEN["Double1"][-1]
    assert seen["request"] == request and seen["window"] == Box(4, 4, 12, 8) and seen["shape"] == (4, 8, 4)
    assert evaluator.stats.pixels == {"Gradient1": 64 * 32, "Double1": 8 * 4}
    full = Evaluator(doc).evaluate(double, 1)
    np.testing.assert_allclose(result.pixels, fit_image(full, request).pixels, rtol=0, atol=1e-4)


def test_a_spatial_node_grows_the_region_and_gets_its_pixel_params_scaled(doc):
    reach = doc.add("Reach", doc.add("Double", doc.add("Gradient")), radius=8.0)
    evaluator = Evaluator(doc)
    result = evaluator.evaluate(reach, Request(1.0, region=Box(16, 8, 32, 16), scale=0.25))
    seen = SEEN["Reach1"][-1]
    assert seen["radius"] == 2.0  # 8 pixels at full resolution are 2 at a quarter
    assert seen["window"] == Box(2, 0, 10, 6)  # the region (4..8, 2..4) grown by 2, within the format
    assert result.data_window == Box(4, 2, 8, 4)  # the engine crops the result to the region
    assert SEEN["Double1"][-1]["request"].region == Box(8, 0, 40, 24)


def test_keys_differ_between_regions_and_scales_and_the_full_key_is_unchanged(doc):
    local = doc.add("Local", doc.add("Double", doc.add("Gradient")))
    evaluator = Evaluator(doc)
    requests = [Request(1.0), Request(1.0, scale=0.5), Request(1.0, scale=0.25),
                Request(1.0, region=Box(0, 0, 8, 8)), Request(1.0, region=Box(0, 0, 8, 16)),
                Request(1.0, region=Box(0, 0, 8, 8), scale=0.5)]
    for name in ("Gradient1", "Double1", "Local1"):
        keys = [evaluator.hash(name, request) for request in requests]
        assert None not in keys and len(set(keys)) == len(keys), name
    assert evaluator.hash(local, 1) == evaluator.hash(local, Request(1.0, region=None, scale=1.0))


def test_a_full_resolution_result_never_answers_a_proxy_request(doc):
    local = doc.add("Local", doc.add("Gradient"))
    evaluator = Evaluator(doc)
    full = evaluator.evaluate(local, 1)
    proxy = evaluator.evaluate(local, Request(1.0, scale=0.5))
    roi = evaluator.evaluate(local, Request(1.0, region=Box(0, 0, 8, 8)))
    assert full.pixels.shape == (32, 64, 4) and proxy.pixels.shape == (16, 32, 4) and roi.pixels.shape == (8, 8, 4)
    assert evaluator.stats.computes == {"Gradient1": 1, "Local1": 1}  # the cut reuses the full result


def test_pass_throughs_and_disabled_nodes_forward_the_request(doc):
    gradient = doc.add("Gradient")
    gain = doc.add("Gain", gradient, gain=1.0)
    request = Request(1.0, region=Box(0, 0, 16, 16), scale=0.5)
    evaluator = Evaluator(doc)
    assert evaluator.hash(gain, request) == evaluator.hash(gradient, request)
    gain.disabled = True
    gain["gain"] = 3.0
    assert evaluator.hash(gain, request) == evaluator.hash(gradient, request)
    lonely = doc.add("Gain", gain=3.0)
    lonely.disabled = True
    blank = evaluator.evaluate(lonely, request)
    assert blank.data_window == Box(0, 0, 8, 8) and blank.display_window == Box(0, 0, 32, 16)
    assert evaluator.hash(lonely, request) != evaluator.hash(lonely, 1)


def test_regions_of_definition_follow_the_request(doc):
    reach = doc.add("Reach", doc.add("Local", doc.add("Double", doc.add("Gradient"))))
    for request in (Request(1.0, scale=0.25), Request(1.0, region=Box(5, 5, 70, 20), scale=0.5),
                    Request(1.0, region=Box(60, 30, 90, 40))):
        evaluator = Evaluator(doc)
        region = evaluator.region_of_definition(reach, request)
        image = evaluator.evaluate(reach, request)
        assert (region.data_window, region.display_window) == (image.data_window, image.display_window)


def test_roi_pixels_equal_the_full_render_on_the_region(doc):
    reach = doc.add("Reach", doc.add("Local", doc.add("Double", doc.add("Gradient"))))
    full = Evaluator(doc).evaluate(reach, 1)
    region = Box(7, 3, 41, 29)
    roi = Evaluator(doc).evaluate(reach, Request(1.0, region=region))
    np.testing.assert_array_equal(conform(roi, region), conform(full, region))
