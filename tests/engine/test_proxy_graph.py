"""A comp of opted-in and other nodes rendered for a region of interest and at proxy scales.

Read, Grade, Blur, Transform, Merge and Constant honour regions and scales; a 3x3 median that
does not opt in (on the BG branch, named Median1) makes the evaluator compute it, and the Read
under it, whole and cut its result. Tolerances:
- a region render equals the full render on the region to 1e-5 (bit-exact up to the Transform;
  OpenCV's warp rounds source positions differently when the output window starts elsewhere);
- a proxy render approximates the n x n block mean of the full render: mean absolute difference
  below 0.002 and maximum below 0.05 (measured: 0.0002 / 0.008 at 1/2, 0.001 / 0.03 at 1/4),
  since grades, blurs, warps and merges do not commute exactly with averaging.
"""

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import Box, EvalContext, Format, Image, Input, NodeType
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import conform
from nodecomp.engine.proxy import reduce
from nodecomp.engine.request import Request
from nodecomp.nodes.filter.median import median_pixels
from nodecomp.testing import make_registry
from tests.nodes.io.files import write_file

W, H = 128, 96
REGION = Box(32, 24, 96, 72)  # a quarter of the frame's area


class WholeMedian(NodeType):
    """A 3x3 median that does not opt in to regions or proxy scales (the engine adapts it)."""

    type_id = "proxy_test.WholeMedian"
    category = "Filter"
    inputs = (Input("source", doc="The image to filter."),)

    @staticmethod
    def compute(ctx: EvalContext, source: Image) -> Image:
        return source.with_pixels(median_pixels(source.pixels, 1))


def _soft_disc(width, height, cx, cy, radius):
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) + 0.5
    distance = np.hypot(x - cx, y - cy)
    return np.clip((radius - distance) / 6.0, 0.0, 1.0)


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxy_media")
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    bg = np.stack([x / W, y / H, 0.5 + 0.3 * np.sin(x / 9.0) * np.cos(y / 7.0), np.ones_like(x)], axis=-1)
    write_file(folder / "bg.exr", bg)
    alpha = _soft_disc(100, 80, 45, 40, 30)  # the FG's data window is (5, 3)-(105, 83), not on the grid
    fg = np.stack([0.9 * alpha, 0.4 * alpha, 0.2 * alpha, alpha], axis=-1)
    write_file(folder / "fg.exr", fg, x=5, y=3, full=(0, 0, W, H))
    doc = nc.Document(make_registry(WholeMedian))
    doc.format = Format(W, H)
    bg_read = doc.add("Read", file=str(folder / "bg.exr"))
    fg_read = doc.add("Read", file=str(folder / "fg.exr"))
    graded = doc.add("Grade", fg_read, multiply=(1.2, 1.2, 1.2, 1.0), gamma=(1.1, 1.1, 1.1, 1.0))
    blurred = doc.add("Blur", graded, size=(3.0, 3.0))
    moved = doc.add("Transform", blurred, translate=(6.5, -3.0), rotate=5.0, center_on_format=False,
                    center=(60.0, 40.0), filter="bilinear")
    filtered = doc.add("WholeMedian", bg_read, name="Median1")
    merged = doc.add("Merge", moved, filtered, operation="over")
    tint = doc.add("Constant", color=(0.02, 0.0, 0.04, 0.0))
    doc.add("Merge", tint, merged, operation="plus", name="Look")
    return doc


def test_a_region_render_equals_the_full_render_on_the_region(comp):
    full = {name: Evaluator(comp).evaluate(name, 1) for name in ("Blur1", "Median1", "Look")}
    evaluator = Evaluator(comp)
    roi = evaluator.evaluate("Look", Request(1.0, region=REGION))
    assert roi.data_window == REGION
    np.testing.assert_allclose(conform(roi, REGION), conform(full["Look"], REGION), rtol=0, atol=1e-5)
    for name in ("Blur1", "Median1"):
        part = Evaluator(comp).evaluate(name, Request(1.0, region=REGION))
        np.testing.assert_array_equal(conform(part, REGION), conform(full[name], REGION))
    counts = evaluator.stats.pixels
    area = REGION.width * REGION.height
    assert counts["Merge1"] == counts["Look"] == counts["Constant1"] == area
    assert counts["Transform1"] == area
    assert area < counts["Read2"] == counts["Grade1"] < 100 * 80  # the region grown by the warp and blur
    assert counts["Median1"] == counts["Read1"] == W * H  # not opted in: computed whole, then cut


@pytest.mark.parametrize("step", [2, 4])
def test_a_proxy_render_approximates_the_reduced_full_render(comp, step):
    full = Evaluator(comp).evaluate("Look", 1)
    evaluator = Evaluator(comp)
    proxy = evaluator.evaluate("Look", Request(1.0, scale=1.0 / step))
    expected = reduce(full, step)
    assert proxy.display_window == Box(0, 0, W // step, H // step) == expected.display_window
    difference = np.abs(conform(proxy, expected.data_window, expected.channels) - expected.pixels)
    assert difference.mean() < 0.002 and difference.max() < 0.05
    counts = evaluator.stats.pixels
    for name in ("Read2", "Grade1", "Blur1", "Transform1", "Merge1", "Look"):
        assert counts[name] <= (W // step) * (H // step), name
    assert counts["Median1"] == counts["Read1"] == W * H


def test_region_and_scale_together(comp):
    full = Evaluator(comp).evaluate("Look", 1)
    request = Request(1.0, region=REGION, scale=0.5)
    result = Evaluator(comp).evaluate("Look", request)
    assert result.data_window == request.window == Box(16, 12, 48, 36)
    expected = conform(reduce(full, 2), request.window)
    assert np.abs(conform(result, request.window) - expected).mean() < 0.002


def test_every_node_has_its_own_key_per_region_and_scale(comp):
    evaluator = Evaluator(comp)
    requests = (Request(1.0), Request(1.0, scale=0.5), Request(1.0, scale=0.25), Request(1.0, region=REGION),
                Request(1.0, region=REGION, scale=0.5))
    for node in comp.nodes:
        keys = {evaluator.hash(node, request) for request in requests}
        assert len(keys) == len(requests), node.name
