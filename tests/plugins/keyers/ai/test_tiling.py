import numpy as np
import pytest

from plugins.keyers.ai.tiling import run_tiled, tile_starts


def test_tile_starts_cover_the_length_with_overlap():
    assert tile_starts(100, 128, 16) == [0]
    starts = tile_starts(1000, 256, 32)
    assert starts[0] == 0 and starts[-1] == 1000 - 256
    assert all(b - a <= 256 - 32 for a, b in zip(starts, starts[1:], strict=False))


def test_a_pointwise_model_gives_the_same_result_tiled_and_whole():
    planes = np.random.default_rng(0).random((300, 500, 3), dtype=np.float32)
    calls = []

    def predict(tile):
        assert tile.shape[0] % 8 == 0 and tile.shape[1] % 8 == 0
        calls.append(tile.shape)
        return tile.mean(axis=-1)

    out = run_tiled(predict, planes, tile=128, overlap=16, multiple=8)
    np.testing.assert_allclose(out, planes.mean(axis=-1), atol=1e-6)
    assert len(calls) == len(tile_starts(300, 128, 16)) * len(tile_starts(500, 128, 16))


def test_seams_of_a_spatial_model_are_blended():
    """A 9x9 box blur (receptive field 4) tiled with a 16-pixel overlap matches the whole-frame blur inside."""
    import cv2

    planes = np.random.default_rng(1).random((200, 260, 1), dtype=np.float32)

    def predict(tile):
        return cv2.blur(tile[..., 0], (9, 9), borderType=cv2.BORDER_REFLECT)

    whole = predict(planes)
    tiled = run_tiled(predict, planes, tile=64, overlap=16, multiple=1)
    assert np.abs(tiled - whole)[8:-8, 8:-8].max() < 1e-5


def test_after_tile_reports_progress_and_can_stop_between_tiles():
    seen = []

    class Stop(Exception):
        pass

    def after(done, total):
        seen.append((done, total))
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        run_tiled(lambda t: t[..., 0], np.zeros((256, 256, 1), np.float32), tile=64, overlap=0, after_tile=after)
    assert seen == [(1, 16), (2, 16)]


def test_tiny_images_are_padded_to_the_multiple():
    out = run_tiled(lambda t: t[..., 0] * 0 + t.shape[0], np.zeros((5, 3, 1), np.float32), tile=64, overlap=8,
                    multiple=8)
    assert out.shape == (5, 3) and np.all(out == 8)
