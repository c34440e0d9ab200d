import numpy as np
import pytest

from plugins.led_wall.rasters import assemble, canvas_to_raster, rotate_box, rotate_pixels, segment_canvas_box


@pytest.mark.parametrize("orientation", [0, 90, 180, 270])
def test_rotated_boxes_match_rotated_pixels(orientation):
    rng = np.random.default_rng(orientation)
    image = rng.integers(0, 1000, (5, 7, 1))
    box = (2, 1, 5, 4)  # x0, y0, x1, y1 inside the 7 x 5 image
    turned = rotate_pixels(image, orientation)
    x0, y0, x1, y1 = rotate_box(box, 7, 5, orientation)
    expected = rotate_pixels(image[box[1]:box[3], box[0]:box[2]], orientation)
    np.testing.assert_array_equal(turned[y0:y1, x0:x1], expected)


def test_ninety_degrees_is_clockwise():
    image = np.arange(6).reshape(2, 3, 1)  # [[0 1 2], [3 4 5]]
    # Clockwise: the left column (0 above 3) becomes the top row, read right to left: [3 0].
    np.testing.assert_array_equal(rotate_pixels(image, 90)[..., 0], [[3, 0], [4, 1], [5, 2]])


def test_tiny_rasters_hold_the_canvas_pixels(tiny_stage):
    canvas = np.arange(18 * 32 * 3, dtype=np.uint16).reshape(18, 32, 3)
    p1 = assemble(canvas, tiny_stage, "P1")
    assert p1.shape == (20, 40, 3) and p1.dtype == np.uint16
    np.testing.assert_array_equal(p1[:18, :16], canvas[:, :16])
    assert not p1[18:].any() and not p1[:, 16:].any()  # unused area is black
    p2 = assemble(canvas, tiny_stage, "P2")
    # Columns 16-31 turned 90 degrees land 18 wide and 16 tall at (2, 1).
    np.testing.assert_array_equal(p2[1:17, 2:20], np.rot90(canvas[:, 16:32], k=-1))
    # The canvas's top-left pixel of that segment (16, 0) is the raster's top-right of it.
    np.testing.assert_array_equal(p2[1, 19], canvas[0, 16])


def test_cabinet_positions_follow_the_rotation(tiny_stage):
    mapping = tiny_stage.raster_map("P2").mappings[0]
    assert segment_canvas_box(tiny_stage, mapping) == (16, 0, 32, 18)
    # Cabinet (2, 0) is canvas (16, 0)-(24, 6): after the turn it is 6 wide, 8 tall at the right edge.
    assert canvas_to_raster(tiny_stage, mapping, (16, 0, 24, 6)) == (2 + 12, 1, 2 + 18, 1 + 8)


def test_blackout_clears_and_buffers_are_reused(tiny_stage):
    canvas = np.full((18, 32, 3), 7, np.uint16)
    buffer = np.full((20, 40, 3), 99, np.uint16)
    out = assemble(canvas, tiny_stage, "P1", blackout=[(0, 0, 8, 6)], out=buffer)
    assert out is buffer
    assert not out[:6, :8].any() and (out[6:18, :16] == 7).all() and not out[18:].any()
