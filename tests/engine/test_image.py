import numpy as np
import pytest

from nodecomp.engine.image import Box, Image, conform, layer_of


def test_box_algebra():
    a, b = Box(0, 0, 10, 10), Box(5, 5, 20, 8)
    assert a.union(b) == Box(0, 0, 20, 10)
    assert a.intersect(b) == Box(5, 5, 10, 8)
    assert Box(0, 0, 2, 2).intersect(Box(5, 5, 6, 6)).is_empty
    assert a.padded(2) == Box(-2, -2, 12, 12)


def test_image_validates_shape_and_channels():
    with pytest.raises(ValueError):
        Image(np.zeros((2, 2, 3), np.float32), "RGBA", Box(0, 0, 2, 2))
    with pytest.raises(ValueError):
        Image(np.zeros((2, 3, 4), np.float32), "RGBA", Box(0, 0, 2, 2))
    with pytest.raises(ValueError):
        Image(np.zeros((2, 2, 2), np.float32), ("R", "R"), Box(0, 0, 2, 2))


def test_layers_and_indices():
    image = Image(np.zeros((1, 1, 6), np.float32), ("R", "G", "B", "A", "depth.Z", "diffuse.R"), Box(0, 0, 1, 1))
    assert image.layers() == {"rgba": ["R", "G", "B", "A"], "depth": ["depth.Z"], "diffuse": ["diffuse.R"]}
    assert image.color_indices() == [0, 1, 2]
    assert image.alpha_index() == 3
    assert layer_of("a.b.C") == "a.b"


def test_conform_pads_with_zero_and_opaque_alpha_for_rgb():
    pixels = np.ones((2, 2, 3), np.float32)
    image = Image(pixels, ("R", "G", "B"), Box(1, 1, 3, 3))
    out = conform(image, Box(0, 0, 4, 4), ("R", "A"))
    assert out.shape == (4, 4, 2)
    assert out[0, 0].tolist() == [0, 0]
    assert out[1, 1].tolist() == [1, 1]


def test_freeze_makes_pixels_read_only():
    image = Image.blank(Box(0, 0, 2, 2)).freeze()
    with pytest.raises(ValueError):
        image.pixels[0, 0, 0] = 1


def test_boxes_reduce_to_every_proxy_pixel_they_touch():
    box = Box(-3, 1, 6, 8)
    assert box.reduced(1) is box
    assert box.reduced(4) == Box(-1, 0, 2, 2)
    assert box.reduced(4).enlarged(4) == box.aligned(4) == Box(-4, 0, 8, 8)
