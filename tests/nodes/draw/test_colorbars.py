import numpy as np
import pytest

from nodecomp.nodes.draw.colorbars import BARS, CASTELLATIONS, MINUS_I, PLUGE, PLUS_Q, colorbars_pixels


def test_smpte_layout():
    pixels = colorbars_pixels(700, 120, "smpte", 0.75)
    assert (pixels[..., 3] == 1).all()
    for bar in range(7):
        np.testing.assert_allclose(pixels[10, bar * 100 + 50, :3], np.array(BARS[bar]) * 0.75)
        np.testing.assert_allclose(pixels[85, bar * 100 + 50, :3], np.array(CASTELLATIONS[bar]) * 0.75)
    bottom = pixels[110]
    np.testing.assert_allclose(bottom[60, :3], MINUS_I, atol=1e-6)  # first 5/4 of a bar
    np.testing.assert_allclose(bottom[180, :3], 1.0)
    np.testing.assert_allclose(bottom[310, :3], PLUS_Q, atol=1e-6)
    np.testing.assert_allclose(bottom[450, :3], 0.0)
    np.testing.assert_allclose([bottom[510, 0], bottom[550, 0], bottom[590, 0]], PLUGE, atol=1e-6)
    np.testing.assert_allclose(bottom[650, :3], 0.0)
    assert (pixels[:80, 0, :3] == 0.75).all() and pixels[80, 0, 2] == 0.75 and pixels[90, 0, 0] == 0.0


@pytest.mark.parametrize("width", [7, 13, 1920])
def test_full_height_bars_and_odd_sizes(width):
    pixels = colorbars_pixels(width, 9, "bars", 1.0)
    assert pixels.shape == (9, width, 4)
    np.testing.assert_array_equal(pixels[:, 0, :3], 1.0)
    if width >= 8:
        np.testing.assert_array_equal(pixels[:, -1, :3], 0.0)
    assert colorbars_pixels(width, 9, "smpte", 0.75).shape == (9, width, 4)
