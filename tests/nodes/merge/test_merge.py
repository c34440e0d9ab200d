import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGB, RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.merge.merge import output_window
from nodecomp.nodes.merge.ops import OPERATIONS
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


def test_over_matches_imagebufalgo_over(tmp_path):
    A, B = random_rgba(32, 48, seed=3), random_rgba(32, 48, seed=4)
    expected = from_imagebuf(IBA.over(to_imagebuf(A), to_imagebuf(B)), Box(0, 0, 48, 32))
    doc = make_document()
    node = doc.add("Merge", source(doc, image(A)), source(doc, image(B)), operation="over")
    result, _ = evaluate(doc, node)
    assert result.channels == RGBA
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-6, name="over_vs_oiio")


def test_over_with_offset_windows_matches_imagebufalgo_over(tmp_path):
    A, B = random_rgba(10, 12, seed=5), random_rgba(20, 16, seed=6)
    a_box, b_box = Box(8, -3, 20, 7), Box(0, 0, 16, 20)
    window = a_box.union(b_box)
    expected = from_imagebuf(IBA.over(to_imagebuf(A, a_box.x0, a_box.y0), to_imagebuf(B)), window)
    doc = make_document()
    node = doc.add("Merge", source(doc, image(A, data_window=a_box)), source(doc, image(B, data_window=b_box)))
    result, _ = evaluate(doc, node)
    assert result.data_window == window
    assert_images_close(result.pixels, expected, tmp_path, atol=1e-6, name="over_offset_vs_oiio")


@pytest.mark.parametrize("mode, expected", [
    ("union", Box(0, 0, 20, 12)), ("intersection", Box(5, 2, 10, 10)), ("a", Box(5, 2, 20, 12)),
    ("b", Box(0, 0, 10, 10)),
], ids=["both", "overlap", "a_only", "b_only"])  # ids free of "io": the suite runs with -k "not io"
def test_bbox_modes(mode, expected):
    a_box, b_box = Box(5, 2, 20, 12), Box(0, 0, 10, 10)
    assert output_window(mode, a_box, b_box) == expected
    A, B = random_rgba(10, 15, seed=7), random_rgba(10, 10, seed=8)
    doc = make_document()
    b_image = image(B, data_window=b_box, display_window=Box(0, 0, 64, 32))
    node = doc.add("Merge", source(doc, image(A, data_window=a_box)), source(doc, b_image), bbox=mode)
    result, _ = evaluate(doc, node)
    assert result.data_window == expected
    assert result.display_window == Box(0, 0, 64, 32)
    # a pixel where both exist is A over B
    want = A[3, 2] + B[5, 7] * (1 - A[3, 2, 3])
    np.testing.assert_allclose(result.pixels[5 - expected.y0, 7 - expected.x0], want, rtol=1e-6)


def test_empty_overlap_gives_an_empty_image():
    doc = make_document()
    a = source(doc, image(random_rgba(2, 2), data_window=Box(50, 50, 52, 52)))
    b = source(doc, image(random_rgba(2, 2)))
    result, _ = evaluate(doc, doc.add("Merge", a, b, bbox="intersection"))
    assert result.data_window.is_empty and result.pixels.size == 0


def test_mix_blends_with_b():
    A, B = random_rgba(4, 4, seed=9), random_rgba(4, 4, seed=10)
    doc = make_document()
    node = doc.add("Merge", source(doc, image(A)), source(doc, image(B)), operation="plus", mix=0.3)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, B + (A + B - B) * 0.3, rtol=1e-6)


def test_mix_zero_passes_b_through():
    doc = make_document()
    b = source(doc, image(random_rgba(4, 4)))
    node = doc.add("Merge", source(doc, image(random_rgba(4, 4, seed=1))), b, mix=0.0)
    result, evaluator = evaluate(doc, node)
    assert result is evaluator.evaluate(b, 1)
    assert "Merge1" not in evaluator.stats.computes


def test_unconnected_a_returns_b():
    doc = make_document()
    b = source(doc, image(random_rgba(4, 4)))
    node = doc.add("Merge", None, b)
    result, evaluator = evaluate(doc, node)
    np.testing.assert_array_equal(result.pixels, evaluator.evaluate(b, 1).pixels)


def test_mask_alpha_scales_the_effect_and_is_zero_outside_its_window():
    A, B = random_rgba(4, 6, seed=11), random_rgba(4, 6, seed=12)
    matte = np.zeros((4, 3, 4), np.float32)
    matte[..., 3] = np.linspace(0, 1, 12).reshape(4, 3)
    doc = make_document()
    node = doc.add("Merge", source(doc, image(A)), source(doc, image(B)),
                   source(doc, image(matte, data_window=Box(3, 0, 6, 4))), mix=0.5)
    result, _ = evaluate(doc, node)
    amount = np.zeros((4, 6, 1), np.float32)
    amount[:, 3:, 0] = matte[..., 3] * 0.5
    merged = A + B * (1 - A[..., 3:4])
    np.testing.assert_allclose(result.pixels, B + (merged - B) * amount, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(result.pixels[:, :3], B[:, :3])


def test_one_channel_mask_is_read_from_its_only_channel():
    A, B = random_rgba(2, 2, seed=13), random_rgba(2, 2, seed=14)
    doc = make_document()
    mask = source(doc, image(np.full((2, 2, 1), 0.25), channels=("matte.Y",)))
    result, _ = evaluate(doc, doc.add("Merge", source(doc, image(A)), source(doc, image(B)), mask, operation="copy"))
    np.testing.assert_allclose(result.pixels, B + (A - B) * 0.25, rtol=1e-6)


def test_mask_without_alpha_is_a_clear_error():
    doc = make_document()
    rgb = source(doc, image(np.ones((2, 2, 3)), channels=RGB))
    node = doc.add("Merge", source(doc, image(random_rgba(2, 2))), source(doc, image(random_rgba(2, 2))), rgb)
    with pytest.raises(EvaluationError, match="mask input has no alpha"):
        evaluate(doc, node)


def test_missing_alpha_reads_as_zero_like_nuke():
    rgb_a = np.full((2, 2, 3), 0.5, np.float32)
    B = random_rgba(2, 2, seed=15)
    doc = make_document()
    node = doc.add("Merge", source(doc, image(rgb_a, channels=RGB)), source(doc, image(B)), operation="over")
    result, _ = evaluate(doc, node)
    # A's alpha is 0: over adds A's colour to B and keeps B's alpha
    np.testing.assert_allclose(result.pixels[..., :3], B[..., :3] + 0.5, rtol=1e-6)
    np.testing.assert_allclose(result.pixels[..., 3], B[..., 3])
    # an RGB-only B: alpha 0, so the output alpha is A's
    A = random_rgba(2, 2, seed=16)
    node = doc.add("Merge", source(doc, image(A)), source(doc, image(rgb_a, channels=RGB)))
    result, _ = evaluate(doc, node)
    assert result.channels == RGBA
    np.testing.assert_allclose(result.pixels[..., 3], A[..., 3])


def test_b_layers_pass_through_and_a_layers_are_ignored():
    A = random_rgba(3, 4, seed=17, channels=5)
    B = random_rgba(3, 4, seed=18, channels=6)
    doc = make_document()
    a = source(doc, image(A, channels=(*RGBA, "depth.Z"), data_window=Box(1, 0, 5, 3)))
    b = source(doc, image(B, channels=("depth.Z", *RGBA, "id.R")))
    result, _ = evaluate(doc, doc.add("Merge", a, b))
    assert result.channels == (*RGBA, "depth.Z", "id.R")
    assert result.data_window == Box(0, 0, 5, 3)
    np.testing.assert_array_equal(result.pixels[:, :4, 4], B[..., 0])  # B's depth, not A's
    np.testing.assert_array_equal(result.pixels[:, 4, 4:], 0)  # outside B's window: black
    np.testing.assert_allclose(result.pixels[:, 1:4, :4], A[:, :3, :4] + B[:, 1:4, 1:5] * (1 - A[:, :3, 3:4]),
                               rtol=1e-6)


def test_one_channel_alpha_images_merge_as_rgba():
    doc = make_document()
    a = source(doc, image(np.full((2, 2, 1), 0.5), channels=("A",)))
    b = source(doc, image(np.full((2, 2, 1), 0.5), channels=("A",)))
    result, _ = evaluate(doc, doc.add("Merge", a, b))
    assert result.channels == RGBA
    np.testing.assert_allclose(result.pixels[0, 0], [0, 0, 0, 0.75])


def test_read_only_results_untouched_inputs_and_nan():
    A = random_rgba(3, 3, seed=19)
    A[0, 0] = np.nan
    A[1, 1] = np.inf
    B = random_rgba(3, 3, seed=20)
    before = A.copy(), B.copy()
    doc = make_document()
    for operation in OPERATIONS:
        result, _ = evaluate(doc, doc.add("Merge", source(doc, image(A)), source(doc, image(B)), operation=operation))
        assert result.pixels.flags.writeable is False
        assert result.pixels.shape == (3, 3, 4)
    np.testing.assert_array_equal(A, before[0])
    np.testing.assert_array_equal(B, before[1])


def test_fast_path_shares_nothing_with_the_inputs():
    A, B = random_rgba(4, 4, seed=21), random_rgba(4, 4, seed=22)
    doc = make_document()
    a, b = source(doc, image(A)), source(doc, image(B))
    result, evaluator = evaluate(doc, doc.add("Merge", a, b))
    assert not np.shares_memory(result.pixels, evaluator.evaluate(b, 1).pixels)
    assert result.pixels.flags.c_contiguous
