import numpy as np
import pytest

from nodecomp.api import RGBA, Box, EvaluationError, Image, Request
from nodecomp.engine.evaluator import Evaluator
from plugins.led_wall.canvas import canvas_rgb
from tests.plugins.led_wall.helpers import led_document


@pytest.fixture
def ctx():
    doc = led_document()
    node = doc.add("Constant")
    return Evaluator(doc).context(node, Request(1.0))


def test_a_matching_input_is_used_without_a_copy(ctx):
    pixels = np.random.default_rng(0).random((6, 8, 4), dtype=np.float32)
    image = Image(pixels, RGBA, Box(0, 0, 8, 6))
    out, rgb = canvas_rgb(ctx, image, 8, 6, "exact")
    assert out is pixels and rgb == [0, 1, 2]


def test_channels_are_found_by_name(ctx):
    pixels = np.random.default_rng(1).random((6, 8, 4), dtype=np.float32)
    image = Image(pixels, ("A", "B", "G", "R"), Box(0, 0, 8, 6))
    out, rgb = canvas_rgb(ctx, image, 8, 6, "exact")
    np.testing.assert_array_equal(out[..., rgb], pixels[..., [3, 2, 1]])


def test_stretch_resamples_the_format(ctx):
    image = Image(np.ones((12, 16, 4), np.float32), RGBA, Box(0, 0, 16, 12))
    out, rgb = canvas_rgb(ctx, image, 8, 6, "stretch")
    assert out.shape == (6, 8, 3) and rgb == [0, 1, 2]
    np.testing.assert_allclose(out, 1.0)


def test_exact_refuses_another_size(ctx):
    image = Image(np.ones((12, 16, 4), np.float32), RGBA, Box(0, 0, 16, 12))
    with pytest.raises(EvaluationError, match="the input is 16x12 but the wall canvas is 8x6"):
        canvas_rgb(ctx, image, 8, 6, "exact")
