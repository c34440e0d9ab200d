import numpy as np
import pytest

from nodecomp.nodes.draw.profiles import apply_falloff, edge_coverage, interval_coverage


def test_hard_edge_is_the_covered_area():
    inside = np.array([-2.0, -0.5, -0.25, 0.0, 0.3, 0.5, 3.0], np.float32)
    np.testing.assert_allclose(edge_coverage(inside), [0, 0, 0.25, 0.5, 0.8, 1, 1], atol=1e-6)


def test_soft_edge_is_the_box_filtered_ramp():
    width = 4.0
    inside = np.linspace(-3, 8, 45).astype(np.float32)
    samples = np.linspace(-0.5, 0.5, 2001)[None, :] + inside[:, None]
    expected = np.clip(samples / width, 0, 1).mean(axis=1)
    np.testing.assert_allclose(edge_coverage(inside, width), expected, atol=2e-4)


def test_falloff_shapes_keep_the_end_points():
    t = np.array([0.0, 0.25, 0.5, 1.0], np.float32)
    np.testing.assert_allclose(apply_falloff(t.copy(), "linear"), t)
    np.testing.assert_allclose(apply_falloff(t.copy(), "smooth"), [0, 0.15625, 0.5, 1], atol=1e-6)


@pytest.mark.parametrize("start, stop", [(2.2, 2.7), (1.0, 6.0), (0.4, 3.9)])
def test_interval_coverage_is_exact_for_hard_edges(start, stop):
    centres = np.arange(8, dtype=np.float32) + 0.5
    exact = np.clip(np.minimum(centres + 0.5, stop) - np.maximum(centres - 0.5, start), 0, None)
    np.testing.assert_allclose(interval_coverage(centres, start, stop, 0.0), exact, atol=1e-6)
    assert interval_coverage(centres, start, stop, 0.0).sum() == pytest.approx(stop - start, abs=1e-5)
