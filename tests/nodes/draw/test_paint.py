import numpy as np

from nodecomp.api import RGBA, Box, Request
from nodecomp.nodes.draw.paint import paint_image
from tests.nodes.image_asserts import image, random_rgba


class Ctx:
    """The little of EvalContext that paint_image reads."""

    def __init__(self, width=10, height=8):
        from nodecomp.core.format import Format

        self.format = Format(width, height)
        self.format_box = Box(0, 0, width, height)
        self.working_space = "ACEScg"
        self.request = Request(1.0)


def test_without_source_paint_lands_on_a_transparent_format():
    paint = np.full((2, 3, 4), 0.5, np.float32)
    result = paint_image(Ctx(), None, paint, Box(4, 2, 7, 4))
    assert result.data_window == result.display_window == Box(0, 0, 10, 8) and result.channels == RGBA
    assert result.colorspace == "ACEScg"
    np.testing.assert_array_equal(result.pixels[2:4, 4:7], paint)
    assert result.pixels.sum() == paint.sum()


def test_over_a_source_keeps_its_layers_and_grows_its_window():
    x = random_rgba(4, 4, seed=1, channels=5)
    src = image(x, (*RGBA, "depth.Z"), data_window=Box(0, 0, 4, 4), display_window=Box(0, 0, 10, 8))
    paint = np.zeros((2, 2, 4), np.float32)
    paint[..., 3] = 0.5
    paint[..., 0] = 0.25
    result = paint_image(Ctx(), src, paint, Box(3, 3, 5, 5))
    assert result.data_window == Box(0, 0, 5, 5) and result.channels == (*RGBA, "depth.Z")
    np.testing.assert_allclose(result.pixels[3, 3, :4], paint[0, 0] + x[3, 3, :4] * 0.5, rtol=1e-6)
    np.testing.assert_array_equal(result.pixels[:4, :4, 4], x[..., 4])
    np.testing.assert_array_equal(result.pixels[4, 4, :4], paint[1, 1])


def test_outside_colour_fills_the_rest_of_the_canvas():
    src = image(np.ones((8, 10, 4), np.float32) * 0.5)
    paint = np.zeros((1, 1, 4), np.float32)
    result = paint_image(Ctx(), src, paint, Box(5, 5, 6, 6), outside=(0.0, 0.0, 0.0, 1.0))
    np.testing.assert_array_equal(result.pixels[0, 0], [0, 0, 0, 1])
    np.testing.assert_array_equal(result.pixels[5, 5], [0.5, 0.5, 0.5, 0.5])


def test_a_region_limits_the_pixels_painted_but_not_the_format():
    ctx = Ctx()
    ctx.request = Request(1.0, region=Box(3, 1, 6, 5))
    result = paint_image(ctx, None, np.full((2, 2, 4), 0.5, np.float32), Box(4, 2, 6, 4), (0.0, 0.0, 0.0, 1.0))
    assert result.data_window == Box(3, 1, 6, 5) and result.display_window == Box(0, 0, 10, 8)
    assert result.pixels[0, 0, 3] == 1.0 and result.pixels[1, 1, 0] == 0.5
