import numpy as np
import pytest

from nodecomp.nodes.color.correcting import Adjustment, Ranges, color_correct_pixels, range_weights, smoothstep
from nodecomp.nodes.color.luma import WEIGHTS
from tests.nodes.image_asserts import random_rgba

NEUTRAL = Adjustment()


def ref_adjust(rgb, adj, weights):
    """One range's controls on (..., 3) float64, written out as Nuke documents them."""
    rgb = rgb.copy()
    grey = (rgb * weights).sum(axis=-1, keepdims=True)
    rgb = grey + np.array(adj.saturation) * (rgb - grey)
    for c in range(3):
        v = rgb[..., c]
        pos = v > 0
        v = np.where(pos, np.power(np.where(pos, v / 0.18, 1.0), adj.contrast[c]) * 0.18, v)
        pos = v > 0
        v = np.where(pos, np.power(np.where(pos, v, 1.0), 1.0 / adj.gamma[c]), v)
        rgb[..., c] = v * adj.gain[c] + adj.offset[c]
    return rgb


def ref_smooth(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0, 1)
    return t * t * (3 - 2 * t)


def reference(x, master, shadows, midtones, highlights, ranges=None, weights=WEIGHTS["acescg"], mix=1.0):
    ranges = ranges or Ranges()
    x = x.astype(np.float64)
    rgb = x[..., :3]
    lum = (rgb * weights).sum(axis=-1, keepdims=True)
    ws = 1 - ref_smooth(0.0, ranges.shadows_end, lum)
    wh = ref_smooth(ranges.highlights_start, ranges.highlights_end, lum)
    wm = 1 - ws - wh
    blended = ws * ref_adjust(rgb, shadows, weights) + wm * ref_adjust(rgb, midtones, weights) \
        + wh * ref_adjust(rgb, highlights, weights)
    out = x.copy()
    out[..., :3] = rgb + (ref_adjust(blended, master, weights) - rgb) * mix
    return out


def test_weights_follow_nukes_default_curves_and_sum_to_one():
    lum = np.array([-1.0, 0.0, 0.045, 0.09, 0.3, 0.5, 0.75, 1.0, 4.0], np.float32)
    s, m, h = range_weights(lum, Ranges())
    np.testing.assert_allclose(s, [1, 1, 0.5, 0, 0, 0, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(h, [0, 0, 0, 0, 0, 0, 0.5, 1, 1], atol=1e-6)
    np.testing.assert_allclose(s + m + h, 1.0, atol=1e-6)
    np.testing.assert_array_equal(smoothstep(0.5, 0.5, np.array([0.4, 0.5, 0.6], np.float32)), [0, 1, 1])


def test_every_control_of_every_range_follows_the_formula():
    x = random_rgba(16, 16, seed=1) * 1.4 - 0.1
    master = Adjustment(saturation=(1.1, 1.2, 0.9), contrast=(1.2, 1.0, 0.8), gamma=(1.1, 0.9, 1.0),
                        gain=(1.05, 1.0, 0.95), offset=(0.01, 0.0, -0.01))
    shadows = Adjustment(offset=(0.02, 0.01, 0.0), gamma=(1.3, 1.3, 1.3))
    midtones = Adjustment(saturation=(0.5, 0.5, 0.5), contrast=(1.3, 1.3, 1.3))
    highlights = Adjustment(gain=(0.8, 0.9, 1.0), saturation=(1.5, 1.5, 1.5))
    out = color_correct_pixels(x, [0, 1, 2], master, (shadows, midtones, highlights), mix=0.7)
    expected = reference(x, master, shadows, midtones, highlights, mix=0.7)
    np.testing.assert_allclose(out, expected, rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("mode", ["rec709", "average", "maximum"])
def test_luminance_math_and_custom_ranges(mode):
    x = random_rgba(8, 8, seed=2)
    shadows = Adjustment(gain=(2.0, 2.0, 2.0))
    ranges = Ranges(0.2, 0.3, 0.6)
    out = color_correct_pixels(x, [0, 1, 2], NEUTRAL, (shadows, NEUTRAL, NEUTRAL), ranges=ranges, mode=mode)
    rgb = x[..., :3].astype(np.float64)
    lum = rgb.max(axis=-1, keepdims=True) if mode == "maximum" else (rgb * WEIGHTS[mode]).sum(-1, keepdims=True)
    ws = 1 - ref_smooth(0.0, 0.2, lum)
    np.testing.assert_allclose(out[..., :3], rgb + ws * rgb, rtol=1e-5, atol=1e-6)


def test_unpremultiply_corrects_colour_not_edges():
    x = random_rgba(6, 6, seed=3)
    x[0, 0] = (0.2, 0.1, 0.05, 0.0)  # alpha 0: not divided, still corrected as is
    master = Adjustment(gamma=(2.0, 2.0, 2.0))
    out = color_correct_pixels(x, [0, 1, 2], master, (NEUTRAL,) * 3, alpha=3)
    alpha = x[..., 3:4].astype(np.float64)
    straight = np.where(alpha != 0, x[..., :3] / np.where(alpha != 0, alpha, 1), x[..., :3])
    expected = np.where(alpha != 0, np.sqrt(straight) * alpha, np.sqrt(straight))
    np.testing.assert_allclose(out[..., :3], expected, rtol=2e-5, atol=1e-6)
    np.testing.assert_array_equal(out[..., 3], x[..., 3])


def test_nan_inf_and_negative_values():
    x = np.array([[[np.nan, 0.2, 0.3, 1.0], [np.inf, 0.5, 0.5, 1.0], [-0.5, 0.2, 0.1, 1.0]]], np.float32)
    out = color_correct_pixels(x, [0, 1, 2], Adjustment(gamma=(2.0, 2.0, 2.0), gain=(2.0, 2.0, 2.0)),
                               (NEUTRAL,) * 3)
    assert np.isnan(out[0, 0, 0]) and out[0, 1, 0] == np.inf
    np.testing.assert_allclose(out[0, 2, :3], [-1.0, 2 * np.sqrt(0.2), 2 * np.sqrt(0.1)], rtol=1e-5)


def test_many_rows_cross_strips_and_input_untouched():
    x = random_rgba(300, 500, seed=4)  # several strips
    before = x.copy()
    master = Adjustment(contrast=(1.3, 1.3, 1.3))
    out = color_correct_pixels(x, [0, 1, 2], master, (NEUTRAL, Adjustment(gain=(1.1,) * 3), NEUTRAL))
    expected = reference(x, master, NEUTRAL, Adjustment(gain=(1.1,) * 3), NEUTRAL)
    np.testing.assert_allclose(out, expected, rtol=2e-5, atol=2e-6)
    np.testing.assert_array_equal(x, before)
