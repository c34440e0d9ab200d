import numpy as np
import pytest

from nodecomp.api import Box, Image
from plugins.keyers.images import assemble, matte_channel, matte_plane, rgb_planes

WINDOW = Box(0, 0, 4, 3)


def _image(channels, value=0.5, window=WINDOW):
    pixels = np.full((window.height, window.width, len(channels)), value, np.float32)
    return Image(pixels, channels, window, Box(0, 0, 10, 10), metadata={"k": 1}, colorspace="ACEScg")


def test_rgb_planes_fills_missing_channels_with_zero():
    rgb = rgb_planes(_image(("R", "G")))
    assert rgb.shape == (3, 4, 3) and not rgb[..., 2].any() and np.all(rgb[..., 0] == 0.5)


def test_matte_channel_and_plane():
    assert matte_channel(_image(("R", "G", "B", "A"))) == "A"
    assert matte_channel(_image(("mask",))) == "mask"
    assert matte_channel(_image(("x", "y"))) is None
    plane = matte_plane(_image(("A",), window=Box(1, 1, 3, 3)), Box(0, 0, 4, 3))
    assert plane.shape == (3, 4) and plane[0, 0] == 0 and plane[1, 1] == 0.5
    with pytest.raises(ValueError, match="no alpha channel"):
        matte_plane(_image(("x", "y")), Box(0, 0, 4, 3))
    with pytest.raises(ValueError, match="no channel 'z'"):
        matte_plane(_image(("A",)), Box(0, 0, 4, 3), "z")


def test_assemble_keeps_windows_metadata_and_other_layers():
    source = _image(("R", "G", "B", "A", "depth.Z"), value=2.0)
    out = assemble(source, np.zeros((3, 4, 3), np.float32), np.ones((3, 4), np.float32),
                   {"matte.core": np.full((3, 4), 0.25, np.float32)})
    assert out.channels == ("R", "G", "B", "A", "matte.core", "depth.Z")
    assert out.display_window == Box(0, 0, 10, 10) and out.metadata == {"k": 1} and out.colorspace == "ACEScg"
    np.testing.assert_array_equal(out.pixels[..., 5], 2.0)
    np.testing.assert_array_equal(out.pixels[..., 4], 0.25)
