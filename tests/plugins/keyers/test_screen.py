import numpy as np
import pytest

from plugins.keyers.screen import auto_screen_colour, difference, other_channels, primary_channel
from plugins.keyers.synthetic import SCREEN_BLUE, SCREEN_GREEN, make_shot


def test_primary_and_other_channels():
    assert primary_channel(SCREEN_GREEN) == 1
    assert primary_channel(SCREEN_BLUE) == 2
    assert other_channels(1) == (0, 2)
    assert other_channels(2) == (0, 1)


def test_difference_of_one_colour_and_of_an_image_agree():
    colour = np.array([0.1, 0.6, 0.2], np.float32)
    assert difference(colour, 1, 0.5) == pytest.approx(0.6 - 0.15)
    assert difference(colour, 1, 1.0) == pytest.approx(0.5)
    image = np.broadcast_to(colour, (2, 3, 3))
    np.testing.assert_allclose(difference(image, 1, 0.25), 0.6 - (0.25 * 0.1 + 0.75 * 0.2), rtol=1e-6)


def test_neutral_and_skin_colours_have_no_positive_difference():
    for colour in ((0.5, 0.5, 0.5), (0.62, 0.42, 0.33), (0.15, 0.08, 0.05)):
        assert difference(np.array(colour, np.float32), 1, 0.5) <= 1e-6


@pytest.mark.parametrize("screen", [SCREEN_GREEN, SCREEN_BLUE])
def test_auto_screen_colour_finds_the_screen_despite_the_performer(screen):
    shot = make_shot(240, 135, seed=5, screen=screen)
    found = auto_screen_colour(shot.plate)
    np.testing.assert_allclose(found, screen, atol=0.01)


def test_auto_screen_colour_reads_only_the_region():
    plate = np.zeros((100, 100, 3), np.float32)
    plate[:, :50] = SCREEN_GREEN
    plate[:, 50:] = SCREEN_BLUE
    np.testing.assert_allclose(auto_screen_colour(plate, (0.6, 0.0, 1.0, 1.0)), SCREEN_BLUE, atol=1e-6)
    np.testing.assert_allclose(auto_screen_colour(plate, (0.0, 0.0, 0.4, 1.0)), SCREEN_GREEN, atol=1e-6)


def test_auto_screen_colour_survives_nan_and_empty_regions():
    plate = np.full((10, 10, 3), SCREEN_GREEN, np.float32)
    plate[0, 0] = np.nan
    np.testing.assert_allclose(auto_screen_colour(plate), SCREEN_GREEN, atol=1e-6)
    assert auto_screen_colour(np.full((4, 4, 3), np.nan, np.float32)) == (0.0, 0.0, 0.0)
