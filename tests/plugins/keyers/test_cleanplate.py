import numpy as np
import pytest

from plugins.keyers.cleanplate import FillMethod, build, screen_mask
from plugins.keyers.difference import raw_matte
from plugins.keyers.synthetic import make_shot


def test_screen_mask_excludes_the_performer_and_a_margin():
    matte = np.zeros((30, 30), np.float32)
    matte[10:20, 10:20] = 1.0
    mask = screen_mask(matte, 0.5, 3)
    assert mask[15, 15] == 0 and mask[8, 15] == 0 and mask[2, 2] == 1


@pytest.mark.parametrize("method", list(FillMethod))
def test_clean_plate_of_an_unevenly_lit_shot_is_close_to_the_true_screen(method):
    shot = make_shot(320, 180, seed=4, uneven=True)
    raw = raw_matte(shot.plate, np.asarray(shot.screen_color, np.float32), balance=0.5, gain=1.0)
    plate = build(shot.plate, screen_mask(raw, 0.3, 8), method=method, scale=0.25, smoothness=8)
    error = np.abs(plate - shot.screen).mean(axis=-1)
    assert plate.shape == shot.plate.shape and plate.dtype == np.float32
    assert error.mean() < 0.01 and np.quantile(error, 0.99) < 0.05  # the screen spans 0.07..0.46


def test_full_resolution_and_no_smoothing_keep_known_pixels():
    rgb = np.random.default_rng(0).random((16, 16, 3), dtype=np.float32)
    known = np.ones((16, 16), np.float32)
    np.testing.assert_allclose(build(rgb, known, method="smooth", scale=1.0, smoothness=0.0), rgb)
