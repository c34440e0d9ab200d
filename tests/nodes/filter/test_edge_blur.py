import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.filter.blur import blur_pixels, gaussian_radius
from nodecomp.nodes.filter.edge_blur import EdgeBlur, edge_band
from tests.nodes.image_asserts import evaluate, image, make_document, source


def edge_blur(img, **params):
    doc = make_document()
    return evaluate(doc, doc.add("EdgeBlur", source(doc, img), **params))[0]


def square_element(size=48, lo=16, hi=32):
    x = np.zeros((size, size, 4), np.float32)
    x[lo:hi, lo:hi] = (0.8, 0.4, 0.2, 1.0)
    return x


def test_edge_band_formula():
    alpha = np.zeros((9, 9), np.float32)
    alpha[:, 4:] = 1.0
    smooth = np.clip(blur_pixels(alpha[..., None], (1.0, 1.0), "gaussian")[..., 0], 0, 1)
    np.testing.assert_allclose(edge_band(alpha, 1.0, 1.0), np.clip(4 * smooth * (1 - smooth), 0, 1), atol=1e-6)
    assert edge_band(alpha, 1.0, 3.0).max() == pytest.approx(1.0)


def test_only_the_edge_is_blurred():
    x = square_element()
    result = edge_blur(image(x), size=1.5).pixels
    blurred = blur_pixels(x, (1.5, 1.5), "gaussian")
    np.testing.assert_array_equal(result[22:26, 22:26], x[22:26, 22:26])  # deep inside: untouched
    assert not result[:6].any()  # far outside: still black
    band = edge_band(x[..., 3], 1.5, 1.0)[..., None]
    np.testing.assert_allclose(result, x + band * (blurred - x), atol=1e-6)
    assert 0 < result[16, 24, 3] < 1 and result[16, 24, 3] != x[16, 24, 3]


def test_rgb_only_keeps_alpha_and_window_grows():
    x = square_element()
    img = image(x, data_window=Box(0, 0, 48, 48), display_window=Box(-20, -20, 70, 70))
    result = edge_blur(img, size=2.0, channels="rgb")
    r = gaussian_radius(2.0)
    assert result.data_window == Box(-r, -r, 48 + r, 48 + r)
    np.testing.assert_array_equal(result.pixels[r:-r, r:-r, 3], x[..., 3])


def test_an_image_without_alpha_is_an_error():
    with pytest.raises(EvaluationError, match="needs an alpha channel.*channels: R, G, B"):
        edge_blur(image(np.zeros((4, 4, 3), np.float32), ("R", "G", "B")), size=2.0)


def test_identity_settings_pass_through():
    assert EdgeBlur.pass_through({"size": 0.0, "edge_mult": 1.0}) == "source"
    assert EdgeBlur.pass_through({"size": 2.0, "edge_mult": 0.0}) == "source"
    assert EdgeBlur.pass_through({"size": 2.0, "edge_mult": 1.0}) is None
