import numpy as np
import pytest

from nodecomp.nodes.color import luma


@pytest.mark.parametrize("mode", list(luma.WEIGHTS))
def test_weights_sum_to_one_and_keep_grey(mode):
    assert sum(luma.WEIGHTS[mode]) == pytest.approx(1.0, abs=1e-4)
    grey = np.full((1, 1, 3), 0.3, np.float32)
    np.testing.assert_allclose(luma.luminance(grey, mode), 0.3, rtol=1e-4)


def test_maximum_and_saturation_matrix():
    rgb = np.array([[[0.2, 0.7, 0.1]]], np.float32)
    assert luma.luminance(rgb, "maximum")[0, 0] == pytest.approx(0.7)
    m = luma.saturation_matrix(0.0, "rec709")
    np.testing.assert_allclose(m @ [0.2, 0.7, 0.1], [0.2126 * 0.2 + 0.7152 * 0.7 + 0.0722 * 0.1] * 3)
    np.testing.assert_allclose(luma.saturation_matrix(1.0, "acescg"), np.eye(3))
