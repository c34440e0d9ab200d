import numpy as np
import pytest

from plugins.generators.tiling import Blender, Tile, progress_spans, tile_weights, tiles


def test_tiles_cover_the_image_with_full_size_tiles_flush_with_the_edges():
    pieces = tiles(100, 40, 48, 16)
    assert [(p.x0, p.x1) for p in pieces] == [(0, 48), (32, 80), (52, 100)]
    assert all(p.height == 40 for p in pieces)
    covered = np.zeros((40, 100), bool)
    for piece in tiles(100, 70, 32, 8):
        covered[piece.slices] = True
        assert piece.width == 32 and piece.height == 32
    assert covered.all()


def test_a_small_image_is_one_tile_and_a_bad_overlap_is_refused():
    assert tiles(20, 10, 64, 16) == [Tile(0, 0, 20, 10)]
    with pytest.raises(ValueError):
        tiles(100, 100, 16, 16)


def test_weights_ramp_only_towards_neighbours():
    weights = tile_weights(Tile(0, 0, 8, 4), 12, 4, 4)
    assert np.all(weights[:, 0] == 1.0)  # the image border: no ramp
    assert weights[0, -1] < weights[0, -2] < weights[0, -3] < weights[0, -4] < weights[0, -5] == 1.0


def test_blending_identical_tiles_reproduces_the_image():
    image = np.random.default_rng(1).random((40, 100, 3), dtype=np.float32)
    blender = Blender(100, 40, 3, 16)
    for piece in tiles(100, 40, 48, 16):
        blender.add(piece, image[piece.slices])
    assert blender.covered().all()
    np.testing.assert_allclose(blender.result(), image, atol=1e-6)


def test_uncovered_pixels_come_from_the_fill():
    blender = Blender(4, 2, 1, 0)
    blender.add(Tile(0, 0, 2, 2), np.ones((2, 2, 1), np.float32))
    out = blender.result(fill=np.full((2, 4, 1), 5.0, np.float32))
    assert out[0, 0, 0] == 1.0 and out[0, 3, 0] == 5.0


def test_progress_spans_split_the_job():
    assert list(progress_spans(4)) == [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0)]
