import numpy as np
import pytest

from plugins.keyers.spill import AP1_LUMA, SpillMethod, despill, spill_limit


def test_limits_of_each_method_for_a_green_screen():
    rgb = np.array([[0.6, 0.9, 0.3]], np.float32)
    assert spill_limit(rgb, 1, SpillMethod.AVERAGE)[0] == pytest.approx(0.45)
    assert spill_limit(rgb, 1, SpillMethod.DOUBLE)[0] == pytest.approx(0.5)
    assert spill_limit(rgb, 1, SpillMethod.LIMIT)[0] == pytest.approx(0.6)
    assert spill_limit(rgb, 1, SpillMethod.MINIMUM)[0] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="unknown despill method"):
        spill_limit(rgb, 1, "magic")


def test_despill_only_lowers_the_screen_channel_and_reports_the_spill():
    rgb = np.array([[0.2, 0.8, 0.4], [0.5, 0.3, 0.2]], np.float32)
    before = rgb.copy()
    out, spill = despill(rgb, 1, SpillMethod.AVERAGE)
    np.testing.assert_allclose(out[0], (0.2, 0.3, 0.4), atol=1e-6)
    np.testing.assert_allclose(out[1], rgb[1])  # G below the limit: untouched
    np.testing.assert_allclose(spill, (0.5, 0.0), atol=1e-6)
    np.testing.assert_array_equal(rgb, before)  # input not modified


def test_blue_screen_uses_red_and_green_as_the_limit():
    out, _ = despill(np.array([[0.2, 0.4, 0.9]], np.float32), 2, SpillMethod.AVERAGE)
    np.testing.assert_allclose(out[0], (0.2, 0.4, 0.3), atol=1e-6)


def test_amount_and_luma_restore():
    rgb = np.array([[0.2, 0.8, 0.4]], np.float32)
    half, _ = despill(rgb, 1, SpillMethod.AVERAGE, amount=0.5)
    np.testing.assert_allclose(half[0], (0.2, 0.55, 0.4), atol=1e-6)
    restored, spill = despill(rgb, 1, SpillMethod.AVERAGE, luma_restore=1.0)
    luma = np.asarray(AP1_LUMA, np.float32)
    assert float(restored[0] @ luma) == pytest.approx(float(rgb[0] @ luma), abs=1e-6)


def test_despill_of_premultiplied_colour_equals_unpremultiply_despill_premultiply():
    rng = np.random.default_rng(3)
    colour = rng.random((50, 3), dtype=np.float32)
    alpha = rng.random((50, 1), dtype=np.float32) + 0.05
    for method in SpillMethod:
        direct, _ = despill(colour * alpha, 1, method, luma_restore=0.5)
        via, _ = despill(colour, 1, method, luma_restore=0.5)
        np.testing.assert_allclose(direct, via * alpha, rtol=1e-5, atol=1e-7)
