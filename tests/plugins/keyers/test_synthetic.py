import numpy as np

from plugins.keyers.synthetic import SKIN_TONES, make_shot, matte_errors


def test_shot_is_deterministic_and_composited_as_documented():
    a, b = make_shot(160, 90, seed=3, grain=0.0), make_shot(160, 90, seed=3, grain=0.0)
    np.testing.assert_array_equal(a.plate, b.plate)
    expected = a.alpha[..., None] * a.spilled + (1 - a.alpha[..., None]) * a.screen
    np.testing.assert_allclose(a.plate, expected, atol=1e-5)
    assert a.plate.dtype == np.float32 and a.plate.shape == (90, 160, 3)


def test_shot_has_every_kind_of_edge():
    shot = make_shot(320, 180, seed=1)
    soft = (shot.alpha > 0.02) & (shot.alpha < 0.98)
    assert soft.mean() > 0.05  # hair, motion blur, defocus and the veil
    assert (shot.alpha == 0).mean() > 0.3 and (shot.alpha >= 1.0).mean() > 0.2
    for tone in SKIN_TONES:
        spilled, clean = shot.skin[tone]
        assert spilled.sum() > 100 and clean.sum() > 100
        np.testing.assert_allclose(shot.foreground[clean].mean(0), SKIN_TONES[tone], atol=1e-5)


def test_uneven_lighting_varies_the_screen():
    shot = make_shot(160, 90, uneven=True)
    green = shot.screen[..., 1]
    assert green.max() / green.min() > 1.4


def test_matte_errors():
    truth = np.array([[0.0, 0.5, 1.0]])
    assert matte_errors(truth, truth) == {"sad": 0.0, "mse": 0.0, "edge_mse": 0.0, "mad": 0.0}
    errors = matte_errors(np.array([[0.0, 1.0, 1.0]]), truth)
    assert errors["sad"] == 0.0005 and errors["mad"] == np.float64(0.5 / 3)
    assert errors["edge_mse"] > 0
