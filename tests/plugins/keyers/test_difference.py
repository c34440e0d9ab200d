import numpy as np
import pytest

from plugins.keyers.difference import KeySettings, clip, erode, key, raw_matte, screen_difference, unmix
from plugins.keyers.synthetic import SCREEN_GREEN, make_shot, matte_errors

SCREEN = np.asarray(SCREEN_GREEN, np.float32)


def _mix(alpha: float, fg) -> np.ndarray:
    return (alpha * np.asarray(fg, np.float32) + (1 - alpha) * SCREEN)[None, None, :]


def test_raw_matte_is_0_on_the_screen_and_follows_alpha_over_neutral_colours():
    for alpha in (0.0, 0.25, 0.5, 1.0):
        value = raw_matte(_mix(alpha, (0.5, 0.5, 0.5)), SCREEN, balance=0.5, gain=1.0)
        assert value[0, 0] == pytest.approx(alpha, abs=1e-5)


def test_gain_makes_more_transparent():
    mixed = _mix(0.5, (0.5, 0.5, 0.5))
    assert raw_matte(mixed, SCREEN, balance=0.5, gain=1.5)[0, 0] < 0.5


def test_a_colour_that_is_not_a_screen_is_refused():
    with pytest.raises(ValueError, match="not a screen colour"):
        raw_matte(np.zeros((2, 2, 3), np.float32), np.array([0.5, 0.5, 0.5], np.float32), balance=0.5, gain=1.0)


def test_clean_plate_pixels_that_are_not_screen_fall_back_to_the_nominal_colour():
    plate = np.broadcast_to(SCREEN, (2, 2, 3)).copy()
    plate[0, 0] = (0.5, 0.5, 0.5)  # a marker left in the clean plate
    d = screen_difference(plate, 1, 0.5, SCREEN)
    assert d[0, 0] == pytest.approx(d[1, 1])


def test_clip_maps_black_and_white_and_handles_a_step():
    matte = np.array([0.0, 0.1, 0.5, 0.9, 1.2], np.float32)
    np.testing.assert_allclose(clip(matte, 0.1, 0.9), (0.0, 0.0, 0.5, 1.0, 1.0), atol=1e-6)
    np.testing.assert_array_equal(clip(matte, 0.5, 0.5), (0, 0, 0, 1, 1))


def test_erode_shrinks_a_square_by_the_radius():
    matte = np.zeros((20, 20), np.float32)
    matte[5:15, 5:15] = 1.0
    assert erode(matte, 2).sum() == 36  # 6x6 left of 10x10
    assert erode(matte, 0) is matte


def test_core_fills_a_greenish_costume_that_the_edge_matte_leaves_transparent():
    plate = np.broadcast_to(SCREEN, (40, 40, 3)).copy()
    plate[10:30, 10:30] = (0.20, 0.25, 0.19)  # olive: its colour difference is positive
    without = key(plate, SCREEN, KeySettings(core=False))
    with_core = key(plate, SCREEN, KeySettings())
    assert without.alpha[20, 20] < 0.95
    assert with_core.alpha[20, 20] == 1.0
    assert with_core.alpha[0, 0] == 0.0


def test_unmix_recovers_the_premultiplied_foreground_of_a_mixed_pixel():
    fg = np.array([0.6, 0.3, 0.2], np.float32)
    for alpha in (0.2, 0.7):
        out = unmix(_mix(alpha, fg), np.full((1, 1), alpha, np.float32), SCREEN)
        np.testing.assert_allclose(out[0, 0], alpha * fg, atol=1e-6)
    assert not unmix(_mix(0.0, fg), np.zeros((1, 1), np.float32), SCREEN).any()


def test_key_of_a_synthetic_shot_is_close_to_the_truth():
    shot = make_shot(240, 135, seed=7)
    errors = matte_errors(key(shot.plate, SCREEN, KeySettings()).alpha, shot.alpha)
    assert errors["mad"] < 0.012 and errors["edge_mse"] < 0.005
