import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import ParamError
from nodecomp.nodes.filter.defocus import Defocus, disc_reach
from nodecomp.nodes.filter.kernels import disc_kernel
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


def defocus(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("Defocus", source(doc, img), **params))[0]


def test_full_frame_equals_cv2_filter2d_with_the_disc(tmp_path):
    x = random_rgba(40, 60, seed=1)
    result = defocus(image(x), size=7.0)
    expected = cv2.filter2D(x, -1, disc_kernel(7.0), borderType=cv2.BORDER_CONSTANT)
    assert result.data_window == Box(0, 0, 60, 40)
    assert_images_close(result.pixels, expected, tmp_path, atol=2e-6, name="defocus_vs_cv2")


def test_matches_imagebufalgo_convolve_with_the_same_disc(tmp_path):
    x = random_rgba(20, 24, seed=2)
    kernel = disc_kernel(3.0)
    r = len(kernel) // 2
    window = Box(-r, -r, 24 + r, 20 + r)
    padded = np.pad(x, ((r, r), (r, r), (0, 0)))
    oiio_kernel = to_imagebuf(kernel, -r, -r)
    expected = np.concatenate([
        from_imagebuf(IBA.convolve(to_imagebuf(padded[..., c], -r, -r, full=window), oiio_kernel),
                      window)
        for c in range(4)
    ], -1)
    result = defocus(image(x, display_window=Box(-50, -50, 80, 80)), size=3.0)
    assert result.data_window == window
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-6, name="defocus_vs_oiio")


def test_a_highlight_becomes_a_flat_disc_and_energy_is_kept():
    x = np.zeros((41, 41, 4), np.float32)
    x[20, 20] = (50.0, 25.0, 10.0, 1.0)
    result = defocus(image(x, display_window=Box(-20, -20, 61, 61)), size=8.0, crop=False)
    reach = disc_reach(8.0)
    assert result.data_window == Box(-reach, -reach, 41 + reach, 41 + reach)
    np.testing.assert_allclose(result.pixels.sum(axis=(0, 1)), x.sum(axis=(0, 1)), rtol=1e-5)
    disc = result.pixels[..., 0]
    centre = disc[20 + reach, 20 + reach]
    assert (np.abs(disc[disc > centre * 0.999] - centre) < 1e-5).all()
    assert np.count_nonzero(disc > centre * 0.999) == pytest.approx(np.pi * 7.5 ** 2, rel=0.06)


def test_data_window_offset_and_crop():
    x = random_rgba(10, 10, seed=3)
    img = image(x, data_window=Box(5, 5, 15, 15), display_window=Box(0, 0, 18, 30))
    r = disc_reach(4.0)
    cropped = defocus(img, size=4.0)
    assert cropped.data_window == Box(5 - r, 5 - r, 18, 15 + r)
    grown = defocus(img, size=4.0, crop=False)
    assert grown.data_window == Box(5 - r, 5 - r, 15 + r, 15 + r)
    np.testing.assert_allclose(cropped.pixels, grown.pixels[:, :18 - (5 - r)], atol=1e-7)


def test_channels_choice_keeps_other_layers_and_one_channel_images():
    x = random_rgba(12, 12, seed=4, channels=6)
    img = image(x, ("R", "G", "B", "A", "depth.Z", "id.R"), display_window=Box(0, 0, 12, 12))
    rgb = defocus(img, size=2.0, channels="rgb")
    np.testing.assert_array_equal(rgb.pixels[..., 3:], x[..., 3:])
    np.testing.assert_allclose(rgb.pixels[..., :3],
                               cv2.filter2D(x[..., :3], -1, disc_kernel(2.0), borderType=cv2.BORDER_CONSTANT),
                               atol=1e-6)
    matte = defocus(image(x[..., :1], ("A",)), size=2.0)
    assert matte.pixels.shape == (12, 12, 1)


def test_nan_and_inf_stay_inside_their_disc():
    x = random_rgba(60, 60, seed=5)
    x[10, 10, 0] = np.nan
    x[45, 45, 1] = np.inf
    result = defocus(image(x), size=6.0).pixels
    assert np.isnan(result[10, 15, 0]) and np.isfinite(result[10, 17, 0])
    assert result[45, 40, 1] == np.inf and np.isfinite(result[45, 38, 1])
    assert np.isfinite(result[30, 30]).all()


def test_identity_size_passes_through_and_negative_size_is_refused():
    doc = make_document()
    src = source(doc, image(random_rgba(4, 4)))
    node = doc.add("Defocus", src, size=0.5)
    result, evaluator = evaluate(doc, node)
    assert result is evaluator.evaluate(src, 1) and "Defocus1" not in evaluator.stats.computes
    assert Defocus.pass_through({"size": 0.6}) is None
    with pytest.raises(ParamError, match="below the minimum"):
        doc.add("Defocus", src, size=-1.0)
