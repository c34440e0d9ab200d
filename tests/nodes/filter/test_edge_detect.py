import cv2
import numpy as np
import pytest

from nodecomp.nodes.filter.edge_detect import edge_pixels
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def edges(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("EdgeDetect", source(doc, img), **params))[0]


def test_sobel_equals_opencv_magnitude():
    x = random_rgba(20, 24, seed=1)
    gx = cv2.Sobel(x, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE) / 8
    gy = cv2.Sobel(x, cv2.CV_32F, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE) / 8
    np.testing.assert_allclose(edges(image(x)).pixels, np.sqrt(gx ** 2 + gy ** 2), atol=1e-6)
    lap = np.abs(cv2.Laplacian(x, cv2.CV_32F, ksize=1, borderType=cv2.BORDER_REPLICATE))
    np.testing.assert_allclose(edges(image(x), method="laplacian").pixels, lap, atol=1e-6)


@pytest.mark.parametrize("method", ["sobel", "scharr"])
def test_gradients_read_in_value_per_pixel(method):
    ramp = np.tile((np.arange(16, dtype=np.float32) * 0.1)[None, :, None], (12, 1, 1))
    result = edge_pixels(ramp, method, 0.0)
    np.testing.assert_allclose(result[:, 1:-1], 0.1, rtol=1e-5)
    assert np.abs(edge_pixels(ramp, "laplacian", 0.0)[:, 1:-1]).max() < 1e-6


def test_flat_image_has_no_edges_even_at_the_frame():
    flat = np.full((10, 10, 4), 0.3, np.float32)
    for method in ("sobel", "scharr", "laplacian"):
        assert not edges(image(flat), method=method, size=1.0).pixels.any()


def test_alpha_outline_gain_and_channel_choice():
    x = np.zeros((20, 20, 4), np.float32)
    x[5:15, 5:15] = 1.0
    result = edges(image(x), channels="alpha", gain=2.0)
    np.testing.assert_array_equal(result.pixels[..., :3], x[..., :3])
    alpha = result.pixels[..., 3]
    assert alpha[10, 10] == 0 and alpha[10, 5] > 0 and alpha[10, 4] > 0 and alpha[0, 0] == 0
    np.testing.assert_allclose(alpha, 2 * edge_pixels(x[..., 3:], "sobel", 0.0)[..., 0], atol=1e-6)


def test_many_channels_and_nan():
    x = random_rgba(12, 12, seed=2, channels=7)
    x[6, 6, 5] = np.nan
    result = edges(image(x, ("R", "G", "B", "A", "a.x", "a.y", "a.z")), channels="all").pixels
    assert result.shape == (12, 12, 7)
    assert np.isnan(result[5:8, 5:8, 5]).all() and np.isfinite(np.delete(result, 5, axis=2)).all()
    assert np.isfinite(result[0, 0, 5])
