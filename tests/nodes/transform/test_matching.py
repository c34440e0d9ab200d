import numpy as np
import pytest

from nodecomp.api import RGBA, Box
from nodecomp.nodes.transform.matching import (
    Refiner,
    correlation,
    crop,
    luminance,
    match_template,
    optical_flow,
    parabola_offset,
    patch,
    to_uint8,
)
from tests.nodes.image_asserts import image
from tests.nodes.transform.moving import render


def test_parabola_offset_finds_the_vertex():
    for vertex in (-0.4, 0.0, 0.23):
        samples = [-(x - vertex) ** 2 for x in (-1.0, 0.0, 1.0)]
        assert parabola_offset(*samples) == pytest.approx(vertex)
    assert parabola_offset(1.0, 0.0, 1.0) == 0.0  # a minimum is not a peak


def test_crop_pads_with_zero_and_patch_samples_at_continuous_positions():
    gray = np.arange(20, dtype=np.float32).reshape(4, 5)
    block = crop(gray, -1, 2, 3, 3)
    np.testing.assert_array_equal(block, [[0, 10, 11], [0, 15, 16], [0, 0, 0]])
    np.testing.assert_array_equal(patch(gray, (2.5, 1.5), 3), gray[0:3, 1:4])  # centred on pixel (2, 1)
    np.testing.assert_allclose(patch(gray, (3.0, 1.5), 1), [[7.5]])  # halfway between pixels 2 and 3


def test_luminance_weights_and_non_finite_values():
    x = np.zeros((2, 2, 4), np.float32)
    x[0, 0, :3] = (1.0, 0.0, 0.0)
    x[1, 1, 1] = np.nan
    gray = luminance(image(x), Box(0, 0, 3, 2))
    assert gray.shape == (2, 3) and gray[0, 0] == pytest.approx(0.2126) and gray[1, 1] == 0.0
    single = luminance(image(np.full((2, 2, 1), 0.5, np.float32), ("depth.Z",)), Box(0, 0, 2, 2))
    np.testing.assert_allclose(single, 0.5)
    assert RGBA[0] == "R"


def test_match_template_and_refiner_recover_a_sub_pixel_shift():
    start = (100.0, 80.0)
    template = patch(render((0.0, 0.0)), start, 21)
    moved = render((3.3, -1.7))
    match = match_template(moved, template, start, 41)
    assert np.hypot(match.position[0] - 103.3, match.position[1] - 78.3) < 0.2 and match.score > 0.95
    refined = Refiner(template).refine(moved, match.position)
    assert np.hypot(refined[0] - 103.3, refined[1] - 78.3) < 0.02
    assert correlation(moved, template, refined) > 0.99


def test_refiner_leaves_flat_patterns_alone():
    flat = np.ones((11, 11), np.float32)
    refiner = Refiner(flat)
    assert not refiner.usable and refiner.refine(np.ones((50, 50), np.float32), (20.0, 20.0)) == (20.0, 20.0)
    assert correlation(np.ones((50, 50), np.float32), flat, (20.0, 20.0)) == -1.0


def test_optical_flow_on_eight_bit_frames():
    a, b = render((0.0, 0.0)), render((2.25, 1.5))
    low, high = float(a.min()), float(a.max())
    moved, found = optical_flow(to_uint8(a, low, high), to_uint8(b, low, high), np.array([[100.0, 80.0]]), 21)
    assert found[0] and np.hypot(*(moved[0] - (102.25, 81.5))) < 0.1
