import numpy as np
import pytest

from plugins.show_look.colour_error import acescg_to_lab, delta_e_2000, image_delta_e

# Sharma, Wu and Dalal (2005), Table 1: (L1, a1, b1), (L2, a2, b2), Delta E 2000.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_matches_the_sharma_reference_pairs(lab1, lab2, expected):
    assert delta_e_2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(np.array(lab2), np.array(lab1)) == pytest.approx(expected, abs=1e-4)


def test_white_is_l100_neutral_and_identical_images_differ_by_zero():
    np.testing.assert_allclose(acescg_to_lab(np.ones(3)), [100.0, 0.0, 0.0], atol=1e-6)
    rgb = np.random.default_rng(0).random((4, 5, 3)).astype(np.float32)
    assert image_delta_e(rgb, rgb).max() == 0.0
