import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box, Request, conform
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import reduce
from nodecomp.nodes.transform.transform import Transform, transform_matrix
from nodecomp.nodes.transform.warp import transformed_window, warp_pixels
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


def transform_node(doc, img, **params):
    return evaluate(doc, doc.add("Transform", source(doc, img), **params))


def smooth_rgba(height, width):
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack([np.sin(xx / 7.0) * 0.5 + 0.5, np.cos(yy / 5.0) * 0.5 + 0.5, (xx + yy) / (height + width),
                     np.ones_like(xx)], -1).astype(np.float32)


def oiio_warp(pixels, matrix, filtername, window):
    """ImageBufAlgo.warp takes the transposed (row-vector) matrix."""
    return from_imagebuf(IBA.warp(to_imagebuf(pixels), tuple(matrix.T.flatten()), filtername=filtername), window)


def test_matrix_order_and_inverse():
    m = transform_matrix((10, 5), 90, (2, 1), (0, 0))
    # scale first (x doubles), then a counter-clockwise quarter turn (y down: right -> up), then translate
    np.testing.assert_allclose(m @ [1, 0, 1], [10, 5 - 2, 1])
    for args in [((3, -2), 0, (1, 1), (7, 9)), ((1.5, 2), 33.0, (2, 0.5), (10, 20)), ((0, 0), 270, (1, 1), (4, 4))]:
        np.testing.assert_allclose(transform_matrix(*args, invert=True) @ transform_matrix(*args), np.eye(3),
                                   atol=1e-12)


def test_integer_translate_is_exact_and_shares_pixels():
    x = random_rgba(10, 12, seed=1)
    doc = make_document()
    src = source(doc, image(x, data_window=Box(5, 5, 17, 15), display_window=FORMAT))
    result, evaluator = evaluate(doc, doc.add("Transform", src, translate=(3.0, 4.0)))
    assert result.data_window == Box(8, 9, 20, 19)  # +y moves down
    np.testing.assert_array_equal(result.pixels, x)
    assert np.shares_memory(result.pixels, evaluator.evaluate(src, 1).pixels)  # moved, not copied


def test_integer_translate_clips_to_the_format():
    x = random_rgba(10, 12, seed=2)
    result, _ = transform_node(make_document(), image(x, display_window=FORMAT), translate=(-5.0, 35.0))
    assert result.data_window == Box(0, 35, 7, 40)
    np.testing.assert_array_equal(result.pixels, x[:5, 5:])


def test_subpixel_translate_matches_imagebufalgo_warp(tmp_path):
    x = random_rgba(40, 50, seed=3)
    result, _ = transform_node(make_document(), image(x), translate=(0.25, -0.5), filter="bilinear")
    assert result.data_window == FORMAT
    expected = oiio_warp(x, transform_matrix((0.25, -0.5), 0, (1, 1), (25, 20)), "triangle", FORMAT)
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-5, name="translate_vs_oiio")


@pytest.mark.parametrize("filter", ["nearest", "bilinear", "cubic", "lanczos"])
def test_rotate_90_about_the_centre_is_exact(filter):
    x = random_rgba(40, 40, seed=4)
    square = Box(0, 0, 40, 40)
    result, _ = transform_node(make_document(), image(x), rotate=90.0, filter=filter)
    assert result.data_window == square
    np.testing.assert_allclose(result.pixels, np.rot90(x, k=1), atol=1e-6)  # rot90 turns counter-clockwise


def test_rotate_matches_imagebufalgo_rotate(tmp_path):
    """OIIO's rotate angle is in radians and turns clockwise on screen: ours is the opposite sign.
    With the bilinear ("triangle") filter both agree to 1e-5 away from the edges."""
    x = smooth_rgba(40, 50)
    result, _ = transform_node(make_document(), image(x), rotate=30.0, filter="bilinear")
    expected = from_imagebuf(IBA.rotate(to_imagebuf(x), -np.radians(30.0), 25.0, 20.0, filtername="triangle"),
                             result.data_window)
    assert_images_close(result.pixels[6:-6, 6:-6], expected[6:-6, 6:-6], tmp_path, atol=1e-5, name="rotate")


def test_scale_2_against_imagebufalgo_warp(tmp_path):
    """Bilinear equals OIIO's triangle warp; OpenCV's cubic (a = -0.75) differs from OIIO's
    catmull-rom (a = -0.5) by up to 0.01 on this smooth image."""
    x = smooth_rgba(40, 50)
    matrix = transform_matrix((0, 0), 0, (2, 2), (25, 20))
    for filter, oiio_filter, atol in [("bilinear", "triangle", 1e-5), ("cubic", "catmull-rom", 0.01)]:
        result, _ = transform_node(make_document(), image(x), scale=(2.0, 2.0), filter=filter)
        assert result.data_window == FORMAT
        expected = oiio_warp(x, matrix, oiio_filter, FORMAT)
        assert_images_close(result.pixels[4:-4, 4:-4], expected[4:-4, 4:-4], tmp_path, atol=atol,
                            name=f"scale2_{filter}")


def test_scale_2_about_the_origin_matches_cv2_resize():
    import cv2

    x = random_rgba(8, 8, seed=5)
    result, _ = transform_node(make_document(), image(x, display_window=Box(0, 0, 16, 16)), scale=(2.0, 2.0),
                               center_on_format=False, center=(0.0, 0.0), filter="bilinear")
    assert result.data_window == Box(0, 0, 16, 16)
    resized = cv2.resize(x, (16, 16), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_allclose(result.pixels[1:-1, 1:-1], resized[1:-1, 1:-1], atol=1e-6)  # edges: black vs clamp


def test_invert_undoes_the_transform():
    x = random_rgba(20, 20, seed=6)
    doc = make_document()
    src = source(doc, image(x, data_window=Box(10, 10, 30, 30), display_window=Box(0, 0, 60, 60)))
    forward = doc.add("Transform", src, translate=(3.0, -2.0), rotate=90.0, filter="nearest")
    back = doc.add("Transform", forward, translate=(3.0, -2.0), rotate=90.0, filter="nearest", invert=True)
    result, _ = evaluate(doc, back)
    assert result.data_window == Box(10, 10, 30, 30)
    np.testing.assert_array_equal(result.pixels, x)


def test_data_window_is_the_moved_bounding_box_clipped_to_the_format():
    box = Box(10, 10, 20, 20)
    matrix = transform_matrix((0, 0), 45, (1, 1), (15, 15))
    half_diagonal = 5 * np.sqrt(2)
    assert transformed_window(box, matrix) == Box(int(np.floor(15 - half_diagonal)), int(np.floor(15 - half_diagonal)),
                                                  int(np.ceil(15 + half_diagonal)), int(np.ceil(15 + half_diagonal)))
    x = np.ones((10, 10, 4), np.float32)
    result, _ = transform_node(make_document(), image(x, data_window=box, display_window=Box(0, 0, 18, 40)),
                               rotate=45.0, center_on_format=False, center=(15.0, 15.0), filter="bilinear")
    grown = transformed_window(box, matrix, 0.5)
    assert result.data_window == Box(grown.x0, grown.y0, 18, grown.y1)
    # nothing non-zero was cut off inside the format: the border rows/columns of the window are black
    assert not result.pixels[0].any() and not result.pixels[:, 0].any() and not result.pixels[-1].any()


def test_center_param_is_used_when_center_on_format_is_off():
    impulse = np.zeros((9, 9, 1), np.float32)
    impulse[4, 6] = 1
    doc = make_document()
    img = image(impulse, channels=("A",))
    about_format, _ = transform_node(doc, img, rotate=180.0, filter="nearest")
    np.testing.assert_array_equal(np.argwhere(about_format.pixels[..., 0]), [[4, 2]])
    about_pixel, _ = transform_node(doc, img, rotate=180.0, filter="nearest", center_on_format=False, center=(6.5, 4.5))
    np.testing.assert_array_equal(np.argwhere(about_pixel.pixels[..., 0] > 0) + [about_pixel.data_window.y0,
                                                                               about_pixel.data_window.x0], [[4, 6]])


def test_identity_passes_through_and_zero_scale():
    doc = make_document()
    src = source(doc, image(random_rgba(4, 4)))
    result, evaluator = evaluate(doc, doc.add("Transform", src, rotate=360.0, center=(3.0, 1.0)))
    assert result is evaluator.evaluate(src, 1) and "Transform1" not in evaluator.stats.computes
    flat, _ = evaluate(doc, doc.add("Transform", src, scale=(0.0, 1.0)))
    assert flat.data_window.is_empty
    with pytest.raises(EvaluationError, match="cannot invert"):
        evaluate(doc, doc.add("Transform", src, scale=(0.0, 1.0), invert=True))


@pytest.mark.parametrize("nchannels, channels", [(1, ("A",)), (6, (*RGBA, "depth.Z", "id.R"))])
def test_one_and_six_channels_transform_every_channel(nchannels, channels):
    x = random_rgba(12, 12, seed=7, channels=nchannels)
    for filter in ("bilinear", "lanczos"):  # lanczos goes through OpenCV four channels at a time
        result, _ = transform_node(make_document(), image(x, channels), translate=(0.5, 0.0), filter=filter)
        assert result.channels == channels and result.pixels.shape[2] == nchannels
        per_channel = [warp_pixels(x[..., c:c + 1], Box(0, 0, 12, 12), transform_matrix((0.5, 0), 0, (1, 1), (6, 6)),
                                   result.data_window, filter) for c in range(nchannels)]
        np.testing.assert_allclose(result.pixels, np.concatenate(per_channel, -1), atol=1e-6)


def test_read_only_results_untouched_inputs_and_nan():
    x = random_rgba(10, 10, seed=8)
    x[3, 3] = np.nan
    x[5, 5] = np.inf
    before = x.copy()
    doc = make_document()
    for params in ({"rotate": 10.0}, {"translate": (2.0, 0.0)}, {"scale": (0.5, 3.0), "filter": "lanczos"}):
        result, _ = transform_node(doc, image(x), **params)
        assert result.pixels.flags.writeable is False
    np.testing.assert_array_equal(x, before)


def test_schema_is_documented():
    assert Transform.__doc__ and all(spec.doc for spec in Transform.params)


@pytest.mark.parametrize(("params", "atol"), [
    ({"translate": (7.0, -3.0)}, 0.0),  # whole pixels: moved, not resampled
    ({"translate": (2.5, 1.25), "filter": "lanczos"}, 1e-5),
    ({"rotate": 30.0, "scale": (1.3, 0.8), "center_on_format": False, "center": (20.0, 15.0)}, 1e-5),
    ({"rotate": 30.0, "center_on_format": True}, 1e-5),
])
def test_a_region_transform_equals_the_full_transform_on_the_region(params, atol):
    doc = make_document()
    node = doc.add("Transform", source(doc, image(smooth_rgba(40, 50), display_window=FORMAT)), **params)
    full = Evaluator(doc).evaluate(node, 1)
    region = Box(12, 9, 33, 27)
    evaluator = Evaluator(doc)
    roi = evaluator.evaluate(node, Request(1.0, region=region))
    np.testing.assert_allclose(conform(roi, region), conform(full, region), rtol=0, atol=atol)
    asked = evaluator.plan(node, Request(1.0, region=region)).inputs["source"].request.region
    if params.get("center_on_format", True) and "rotate" in params:
        assert asked is None  # the pivot is the input's format: everything is asked for
    else:
        assert asked is not None and asked.width * asked.height < 50 * 40


def test_a_proxy_transform_scales_translate_and_center():
    doc = make_document()
    node = doc.add("Transform", source(doc, image(smooth_rgba(40, 50), display_window=FORMAT)),
                   translate=(8.0, -4.0), rotate=10.0, center_on_format=False, center=(20.0, 12.0))
    params = Evaluator(doc).plan(node, Request(1.0, scale=0.5)).params
    assert params["translate"] == (4.0, -2.0) and params["center"] == (10.0, 6.0) and params["rotate"] == 10.0
    full = Evaluator(doc).evaluate(node, 1)
    half = Evaluator(doc).evaluate(node, Request(1.0, scale=0.5))
    expected = reduce(full, 2)
    assert half.display_window == Box(0, 0, 25, 20)
    difference = np.abs(conform(half, expected.data_window) - expected.pixels)
    assert difference.mean() < 0.01
