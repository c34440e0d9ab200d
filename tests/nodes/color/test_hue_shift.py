import math

import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.nodes.color.hue_shift import hue_shift_matrix
from tests.nodes.image_asserts import (
    assert_images_close,
    evaluate,
    from_imagebuf,
    image,
    make_document,
    random_rgba,
    source,
    to_imagebuf,
)


def test_120_degrees_turns_red_into_green_and_keeps_grey():
    m = hue_shift_matrix(120.0)
    np.testing.assert_allclose(m @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(m @ [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(m @ [0.3, 0.3, 0.3], [0.3, 0.3, 0.3], atol=1e-12)


def test_rotation_keeps_the_distance_from_grey_and_saturation_brightness_scale_it():
    colour = np.array([0.9, 0.2, 0.4])
    grey = colour.mean()
    for degrees in (17.0, -95.0, 250.0):
        rotated = hue_shift_matrix(degrees) @ colour
        assert rotated.mean() == pytest.approx(grey)
        assert np.linalg.norm(rotated - grey) == pytest.approx(np.linalg.norm(colour - grey))
    scaled = hue_shift_matrix(0.0, saturation=0.5, brightness=2.0) @ colour
    np.testing.assert_allclose(scaled, 2.0 * (grey + 0.5 * (colour - grey)))


def test_rodrigues_formula_written_out():
    theta = math.radians(33.0)
    c, s = math.cos(theta), math.sin(theta)
    k = 1 / 3
    expected = np.array([
        [c + (1 - c) * k, (1 - c) * k - s / math.sqrt(3), (1 - c) * k + s / math.sqrt(3)],
        [(1 - c) * k + s / math.sqrt(3), c + (1 - c) * k, (1 - c) * k - s / math.sqrt(3)],
        [(1 - c) * k - s / math.sqrt(3), (1 - c) * k + s / math.sqrt(3), c + (1 - c) * k],
    ])
    np.testing.assert_allclose(hue_shift_matrix(33.0), expected, atol=1e-12)


def test_node_matches_imagebufalgo_colormatrixtransform(tmp_path):
    x = random_rgba(8, 9, seed=4)
    m4 = np.eye(4)
    m4[:3, :3] = hue_shift_matrix(40.0, 1.3, 0.9)
    # OIIO multiplies row vectors (out = in @ M), so it gets the transpose; no unpremultiply (linear).
    oracle = IBA.colormatrixtransform(to_imagebuf(x), tuple(m4.T.flatten()), unpremult=False)
    expected = from_imagebuf(oracle, Box(0, 0, 9, 8))
    doc = make_document()
    node = doc.add("HueShift", source(doc, image(x)), hue_rotation=40.0, saturation=1.3, brightness=0.9)
    result, _ = evaluate(doc, node)
    assert_images_close(result.pixels, expected, tmp_path, atol=2e-6, name="hueshift_vs_oiio")


def test_pass_through_and_mix():
    doc = make_document()
    x = random_rgba(3, 3, seed=5)
    src = source(doc, image(x))
    node = doc.add("HueShift", src, hue_rotation=360.0)
    result, evaluator = evaluate(doc, node)
    assert result is evaluator.evaluate(src, 1)
    half, _ = evaluate(doc, doc.add("HueShift", src, hue_rotation=90.0, mix=0.5))
    full = x[..., :3] @ hue_shift_matrix(90.0).T
    np.testing.assert_allclose(half.pixels[..., :3], x[..., :3] + (full - x[..., :3]) * 0.5, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(half.pixels[..., 3], x[..., 3])


def test_one_channel_is_unchanged_and_many_channels_keep_extra_layers_and_nan():
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("HueShift", matte, hue_rotation=90.0))
    np.testing.assert_array_equal(result.pixels, 0.5)
    x = random_rgba(3, 3, seed=6, channels=8)
    x[0, 0, 7] = np.nan
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z", "n.X", "n.Y", "n.Z")))
    result, _ = evaluate(doc, doc.add("HueShift", src, hue_rotation=45.0))
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])
    np.testing.assert_allclose(result.pixels[..., :3], x[..., :3] @ hue_shift_matrix(45.0).T, rtol=1e-5, atol=1e-6)
