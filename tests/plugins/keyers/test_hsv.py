import colorsys

import numpy as np
import pytest

from plugins.keyers.hsv import chroma_matte, hue_distance, ramp_up, rgb_to_hsv


def test_rgb_to_hsv_matches_colorsys():
    rng = np.random.default_rng(1)
    colours = rng.random((200, 3), dtype=np.float32)
    hue, saturation, value = rgb_to_hsv(colours)
    for i, colour in enumerate(colours):
        h, s, v = colorsys.rgb_to_hsv(*map(float, colour))
        assert hue[i] == pytest.approx(h * 360.0, abs=1e-3) or abs(hue[i] - h * 360) == pytest.approx(360, abs=1e-3)
        assert saturation[i] == pytest.approx(s, abs=1e-5)
        assert value[i] == pytest.approx(v, abs=1e-6)


def test_greys_have_zero_saturation_and_hue():
    hue, saturation, _ = rgb_to_hsv(np.array([[0.0, 0.0, 0.0], [0.4, 0.4, 0.4]], np.float32))
    assert not hue.any() and not saturation.any()


def test_hue_distance_wraps_around():
    np.testing.assert_allclose(hue_distance(np.array([350.0, 10.0, 180.0]), 0.0), (10.0, 10.0, 180.0))


def test_ramp_up_soft_and_hard():
    x = np.array([0.0, 0.5, 1.0, 1.5])
    np.testing.assert_allclose(ramp_up(x, 0.5, 1.0), (0.0, 0.0, 0.5, 1.0))
    np.testing.assert_array_equal(ramp_up(x, 0.5, 0.0), (0, 1, 1, 1))


def test_chroma_matte_removes_the_key_colour_and_keeps_skin_and_grey():
    colours = np.array([[[0.07, 0.40, 0.10], [0.62, 0.42, 0.33], [0.5, 0.5, 0.5], [0.0, 0.0, 0.0]]], np.float32)
    matte = chroma_matte(colours, (0.07, 0.40, 0.10), hue_range=25, hue_softness=20, min_saturation=0.35,
                         saturation_softness=0.25, min_value=0.01, value_softness=0.02)
    np.testing.assert_allclose(matte[0], (0.0, 1.0, 1.0, 1.0), atol=1e-6)
