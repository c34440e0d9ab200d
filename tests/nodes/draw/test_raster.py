import math

import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.nodes.draw.raster import feathered, polygon_coverage


def supersampled_disc(box, centre, radius, samples=32):
    offsets = (np.arange(samples) + 0.5) / samples
    xs = (np.arange(box.x0, box.x1)[:, None] + offsets[None, :]).ravel()
    ys = (np.arange(box.y0, box.y1)[:, None] + offsets[None, :]).ravel()
    inside = (xs[None, :] - centre[0]) ** 2 + (ys[:, None] - centre[1]) ** 2 <= radius ** 2
    return inside.reshape(box.height, samples, box.width, samples).mean(axis=(1, 3))


def test_axis_aligned_rectangle_is_exact():
    polygon = np.array([(10.25, 10.5), (30.7, 10.5), (30.7, 20.25), (10.25, 20.25)])
    coverage = polygon_coverage(polygon, Box(0, 0, 40, 30))
    xs = np.arange(40) + 0.5
    fx = np.clip(np.minimum(xs + 0.5, 30.7) - np.maximum(xs - 0.5, 10.25), 0, None)
    ys = np.arange(30) + 0.5
    fy = np.clip(np.minimum(ys + 0.5, 20.25) - np.maximum(ys - 0.5, 10.5), 0, None)
    np.testing.assert_allclose(coverage, np.outer(fy, fx), atol=1e-6)


def test_circle_area_is_unbiased_and_close_to_a_supersampled_reference():
    centre, radius = (50.3, 40.6), 30.0
    angles = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    polygon = np.stack([centre[0] + radius * np.cos(angles), centre[1] + radius * np.sin(angles)], -1)
    box = Box(0, 0, 100, 80)
    coverage = polygon_coverage(polygon, box)
    assert coverage.sum() == pytest.approx(math.pi * radius ** 2, rel=5e-4)
    reference = supersampled_disc(box, centre, radius)
    assert np.abs(coverage - reference).max() <= 1 / 8 + 0.02
    assert np.abs(coverage - reference).mean() < 2e-3


def test_winding_either_way_box_clipping_and_overlap():
    square = np.array([(2.0, 2.0), (6.0, 2.0), (6.0, 6.0), (2.0, 6.0)])
    a = polygon_coverage(square, Box(0, 0, 8, 8))
    np.testing.assert_array_equal(a, polygon_coverage(square[::-1], Box(0, 0, 8, 8)))  # either direction fills
    part = polygon_coverage(square, Box(4, 3, 12, 5))
    np.testing.assert_array_equal(part[:, :4], a[3:5, 4:8])
    assert not part[:, 4:].any()
    twice = np.concatenate([square, square])  # a loop drawn twice: winding 2 still covers once
    np.testing.assert_array_equal(polygon_coverage(twice, Box(0, 0, 8, 8)), a)


def test_feather_ramps_outward_by_distance():
    coverage = np.zeros((1, 40), np.float32)
    coverage[0, :10] = 1.0  # edge at x = 10
    soft = feathered(np.repeat(coverage, 5, axis=0), 8.0)[2]
    np.testing.assert_array_equal(soft[:10], 1.0)
    for x in (10, 13, 17):  # pixel centre at x + 0.5 lies x + 0.5 - 10 outside the edge
        assert soft[x] == pytest.approx(1 - (x + 0.5 - 10) / 8, abs=1e-3)
    assert not soft[19:].any()
    smooth = feathered(np.repeat(coverage, 5, axis=0), 8.0, "smooth")[2]
    t = 1 - 3.5 / 8
    assert smooth[13] == pytest.approx(3 * t * t - 2 * t ** 3, abs=1e-3)
