import cv2
import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.cornerpin import CornerPin, pin_matrix
from nodecomp.nodes.transform.perspective import perspective_window
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

FORMAT = Box(0, 0, 50, 40)
CORNERS = ((0.0, 0.0), (50.0, 0.0), (50.0, 40.0), (0.0, 40.0))
TILTED = ((3.0, 2.0), (47.0, 5.0), (45.0, 38.0), (1.0, 36.0))


def smooth(x, y):
    """A smooth analytic picture, so a warp has an exact answer at any position."""
    return np.stack([np.sin(x / 7.0) * 0.5 + 0.5, np.cos(y / 5.0) * 0.5 + 0.5, (x + y) / 90.0,
                     np.ones_like(x)], -1).astype(np.float32)


def smooth_image():
    yy, xx = np.mgrid[0:40, 0:50] + 0.5
    return image(smooth(xx, yy), display_window=FORMAT)


def pin(doc, img, to=TILTED, **params):
    return doc.add("CornerPin", source(doc, img), **{f"to{i + 1}": p for i, p in enumerate(to)}, **params)


def test_pin_matrix_maps_the_points_and_matches_opencv():
    matrix = pin_matrix(CORNERS, TILTED)
    for (x, y), (u, v) in zip(CORNERS, TILTED, strict=True):
        mapped = matrix @ [x, y, 1.0]
        np.testing.assert_allclose(mapped[:2] / mapped[2], [u, v], atol=1e-9)
    opencv = cv2.getPerspectiveTransform(np.float32(CORNERS), np.float32(TILTED))
    np.testing.assert_allclose(matrix, opencv, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("filter, atol", [("bilinear", 4e-3), ("cubic", 6e-3), ("lanczos", 6e-3)])
def test_warp_matches_the_analytic_answer(tmp_path, filter, atol):
    """The warped smooth picture is compared with the exact one at every output pixel centre.

    Bilinear interpolation errs by at most h^2 / 8 |f''| per axis: 0.5 / 8 * (1/49 + 1/25) = 3.8e-3 here.
    OpenCV's cubic and Lanczos warps round source positions to 1/32 pixel (|f'| / 64 = 1.6e-3
    here) and its cubic's a = -0.75 is not the most accurate choice: 6e-3 for both.
    """
    doc = make_document()
    result, _ = evaluate(doc, pin(doc, smooth_image(), filter=filter))
    inverse = np.linalg.inv(pin_matrix(CORNERS, TILTED))
    window = result.data_window
    yy, xx = np.mgrid[window.y0:window.y1, window.x0:window.x1] + 0.5
    src = np.einsum("ij,jhw->ihw", inverse, np.stack([xx, yy, np.ones_like(xx)]))
    sx, sy = src[0] / src[2], src[1] / src[2]
    expected = smooth(sx, sy)
    inside = (sx > 4) & (sx < 46) & (sy > 4) & (sy < 36)  # beyond every filter's reach of the edges
    assert inside.sum() > 900
    assert_images_close(result.pixels[inside], expected[inside], tmp_path, atol=atol, name=f"cornerpin_{filter}")


def test_warp_agrees_with_imagebufalgo_warp(tmp_path):
    """OIIO's warp widens its filter with the local scale, so it differs slightly: 0.01 on this image."""
    doc = make_document()
    img = smooth_image()
    result, _ = evaluate(doc, pin(doc, img, filter="bilinear"))
    matrix = pin_matrix(CORNERS, TILTED)
    oracle = from_imagebuf(IBA.warp(to_imagebuf(img.pixels), tuple(matrix.T.flatten()), filtername="triangle"),
                           result.data_window)
    assert_images_close(result.pixels[6:-6, 6:-6], oracle[6:-6, 6:-6], tmp_path, atol=0.01, name="cornerpin_oiio")


def test_data_window_is_the_pinned_bounding_box_clipped_to_the_format():
    doc = make_document()
    x = np.ones((10, 10, 4), np.float32)
    img = image(x, data_window=Box(20, 10, 30, 20), display_window=FORMAT)
    result, _ = evaluate(doc, pin(doc, img, filter="bilinear"))
    expected = perspective_window(Box(20, 10, 30, 20), pin_matrix(CORNERS, TILTED), 0.5)
    assert result.data_window == expected
    wide = ((-30.0, 0.0), (80.0, 0.0), (80.0, 40.0), (-30.0, 40.0))
    clipped, _ = evaluate(doc, pin(doc, smooth_image(), to=wide, filter="bilinear"))
    assert clipped.data_window == FORMAT


def test_integer_shift_is_exact_and_shares_pixels():
    doc = make_document()
    x = random_rgba(40, 50, seed=2)
    moved = tuple((u + 3.0, v - 2.0) for u, v in CORNERS)
    node = pin(doc, image(x, display_window=FORMAT), to=moved)
    result, _ = evaluate(doc, node)
    assert result.data_window == Box(3, 0, 50, 38)
    np.testing.assert_array_equal(result.pixels, x[2:, :47])


def test_invert_undoes_the_pin():
    doc = make_document()
    first = pin(doc, smooth_image(), filter="cubic")
    back = doc.add("CornerPin", first, **{f"to{i + 1}": p for i, p in enumerate(TILTED)}, invert=True,
                   filter="cubic")
    result, _ = evaluate(doc, back)
    original = smooth_image().pixels
    np.testing.assert_allclose(result.pixels[8:-8, 8:-8], original[8:-8, 8:-8], atol=5e-3)


def test_from_points_and_pass_through():
    doc = make_document()
    src = source(doc, smooth_image())
    same = doc.add("CornerPin", src, from_format=False, **{f"from{i + 1}": p for i, p in enumerate(TILTED)},
                   **{f"to{i + 1}": p for i, p in enumerate(TILTED)})
    ev = Evaluator(doc)
    assert ev.hash(same, 1) == ev.hash(src, 1)
    default, _ = evaluate(doc, doc.add("CornerPin", src, **{f"to{i + 1}": p for i, p in enumerate(CORNERS)}))
    np.testing.assert_array_equal(default.pixels, smooth_image().pixels)  # from = format corners = to


def test_collinear_points_are_a_clear_error():
    doc = make_document()
    bad = ((0.0, 0.0), (10.0, 10.0), (20.0, 20.0), (0.0, 40.0))
    with pytest.raises(EvaluationError, match="CornerPin1.*three of the to points are on one line"):
        evaluate(doc, pin(doc, smooth_image(), to=bad))


def test_a_pin_beyond_the_horizon_stays_finite():
    doc = make_document()
    twisted = ((0.0, 0.0), (50.0, 0.0), (30.0, 10.0), (20.0, 10.0))  # a strong perspective
    result, _ = evaluate(doc, pin(doc, smooth_image(), to=twisted, filter="bilinear"))
    assert np.all(np.isfinite(result.pixels))
    assert result.data_window.intersect(FORMAT) == result.data_window


@pytest.mark.parametrize("channels", [("A",), (*RGBA, "depth.Z", "id.R")])
def test_one_and_six_channels(channels):
    x = random_rgba(40, 50, seed=3, channels=len(channels))
    doc = make_document()
    for filter in ("bilinear", "lanczos"):  # lanczos goes through OpenCV four channels at a time
        result, _ = evaluate(doc, pin(doc, image(x, channels, display_window=FORMAT), filter=filter))
        assert result.channels == channels and result.pixels.shape[2] == len(channels)
        per_channel = []
        for c in range(len(channels)):
            alone, _ = evaluate(doc, pin(doc, image(x[..., c:c + 1], ("A",), display_window=FORMAT), filter=filter))
            per_channel.append(alone.pixels)
        np.testing.assert_allclose(result.pixels, np.concatenate(per_channel, -1), atol=1e-6)


def test_nan_input_and_read_only_results():
    x = random_rgba(40, 50, seed=4)
    x[10, 10] = np.nan
    before = x.copy()
    doc = make_document()
    result, _ = evaluate(doc, pin(doc, image(x, display_window=FORMAT), filter="bilinear"))
    assert result.pixels.flags.writeable is False
    assert np.isnan(result.pixels).any() and np.isfinite(result.pixels[30:, 30:]).all()
    np.testing.assert_array_equal(x, before)


def test_schema_is_documented():
    assert CornerPin.__doc__ and all(spec.doc for spec in CornerPin.params)
