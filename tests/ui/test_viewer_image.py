import numpy as np
import pytest

from nodecomp.engine.colour import colour_manager
from nodecomp.engine.image import Box, Image
from nodecomp.ui.display import DisplayTransform, DisplayView
from nodecomp.ui.viewer_image import Channels, DisplaySettings, layer_channels, render_display


def image(channels=("R", "G", "B", "A"), width=8, height=4, values=(0.25, 0.5, 0.75, 0.5)):
    pixels = np.empty((height, width, len(channels)), np.float32)
    pixels[:] = np.asarray(values[: len(channels)], np.float32)
    return Image(pixels, channels, Box(2, 1, 2 + width, 1 + height), Box(0, 0, 16, 8))


def shown(img, **settings):
    return render_display(img, DisplaySettings(**settings), None)


def test_without_a_transform_values_map_to_8_bit(tmp_path):
    frame = shown(image())
    assert frame.rgba.shape == (4, 8, 4) and frame.rgba.dtype == np.uint8
    assert tuple(frame.rgba[0, 0]) == (64, 128, 191, 255)
    assert frame.data_window == Box(2, 1, 10, 5) and frame.display_window == Box(0, 0, 16, 8)


@pytest.mark.parametrize("mode, expected", [
    (Channels.RED, 64), (Channels.GREEN, 128), (Channels.BLUE, 191), (Channels.ALPHA, 128),
    (Channels.LUMA, round((0.2126 * 0.25 + 0.7152 * 0.5 + 0.0722 * 0.75) * 255)),
])
def test_one_channel_shows_as_grey(mode, expected):
    pixel = shown(image(), channels=mode).rgba[0, 0]
    assert abs(int(pixel[0]) - expected) <= 1 and pixel[0] == pixel[1] == pixel[2]


def test_exposure_before_and_gamma_after():
    assert shown(image(), exposure=1.0).rgba[0, 0, 0] == 128  # 0.25 * 2
    assert shown(image(), gamma=2.0).rgba[0, 0, 0] == 128  # 0.25 ** 0.5
    assert shown(image(), channels=Channels.ALPHA, exposure=3.0).rgba[0, 0, 0] == 128  # alpha untouched


def test_scale_reduces_before_the_transform():
    frame = shown(image(width=16, height=8), scale=0.5)
    assert frame.rgba.shape == (4, 8, 4) and frame.scale == 0.5


def test_layers_and_single_channel_layers():
    img = image(("R", "G", "B", "A", "depth.Z", "diffuse.R", "diffuse.G", "diffuse.B"),
                values=(0.1, 0.2, 0.3, 1.0, 0.5, 0.9, 0.8, 0.7))
    assert layer_channels(img, "diffuse") == ["diffuse.R", "diffuse.G", "diffuse.B"]
    assert tuple(shown(img, layer="depth").rgba[0, 0, :3]) == (128, 128, 128)
    np.testing.assert_allclose(shown(img, layer="diffuse").rgba[0, 0, :3], (230, 204, 178.5), atol=0.5)


def test_an_image_without_alpha_shows_opaque_white_alpha():
    assert shown(image(("R", "G", "B")), channels=Channels.ALPHA).rgba[0, 0, 0] == 255


def test_the_display_transform_is_applied():
    colour = colour_manager()
    raw = DisplayTransform(colour, DisplayView("sRGB - Display", "Raw"))
    aces = DisplayTransform(colour)
    img = image(values=(0.18, 0.18, 0.18, 1.0))
    assert render_display(img, DisplaySettings(), raw).rgba[0, 0, 0] == 46  # 0.18 untouched
    assert 80 < render_display(img, DisplaySettings(), aces).rgba[0, 0, 0] < 120  # tone mapped, encoded
