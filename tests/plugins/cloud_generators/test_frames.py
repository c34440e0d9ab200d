"""Videos become frame sequences (decoded once), conformed by nearest frame; results fit the format."""

from __future__ import annotations

import numpy as np
import pytest

from nodecomp.api import Box
from plugins.cloud_generators.frames import Clip, Fit, _place, decoded_clip, source_index


def clip(count=12, fps=24.0):
    return Clip(folder=None, times=tuple(i / fps for i in range(count)), fps=fps, width=4, height=4)


@pytest.mark.parametrize(("frame", "fps", "expected"), [
    (1, 24, 0), (12, 24, 11), (2, 12, 2), (3, 48, 1), (13, 25, 11), (7, 25, 6), (0, 24, 0), (99, 24, 11),
])
def test_document_frames_map_to_the_nearest_source_frame(frame, fps, expected):
    assert source_index(clip(), frame, 1, fps, "hold") == expected


def test_black_outside_the_clip():
    assert source_index(clip(), 0, 1, 24, "black") is None
    assert source_index(clip(), 13, 1, 24, "black") is None
    assert source_index(clip(), 12, 1, 24, "black") == 11


def test_a_video_is_decoded_once(tmp_path, video_bytes):
    video = tmp_path / "v.mp4"
    video.write_bytes(video_bytes)
    first = decoded_clip(video)
    assert first.count == 12 and first.fps == 24.0 and (first.width, first.height) == (64, 36)
    stamp = first.frame_path(0).stat().st_mtime_ns
    again = decoded_clip(video)
    assert again == first and again.frame_path(0).stat().st_mtime_ns == stamp


def test_a_damaged_video_is_a_clear_error(tmp_path):
    from plugins.cloud_generators.errors import CloudError

    video = tmp_path / "bad.mp4"
    video.write_bytes(b"not a video at all")
    with pytest.raises(CloudError, match="cannot be decoded"):
        decoded_clip(video)


@pytest.mark.parametrize(("fit", "window"), [
    ("fit", Box(0, 6, 64, 42)),        # 32x18 -> 64x36 inside 64x48
    ("fill", Box(-11, 0, 74, 48)),     # 85x48 covers 64x48, beyond it at the sides
    ("stretch", Box(0, 0, 64, 48)),
    ("none", Box(16, 15, 48, 33)),     # native size, centred
])
def test_results_of_another_size_are_placed_in_the_format(fit, window):
    pixels = np.ones((18, 32, 4), np.float32)
    placed, box = _place(pixels, Box(0, 0, 64, 48), Fit(fit))
    assert box == window and placed.shape == (window.height, window.width, 4)


def test_the_8bit_table_matches_ocio_exactly_enough(shot):
    from nodecomp.engine.evaluator import Evaluator
    from nodecomp.engine.request import Request
    from plugins.cloud_generators.frames import separable_table

    ctx = Evaluator(shot).context(shot["Plate"], Request(1.0))
    source = ctx.colour.canonical("sRGB Encoded Rec.709 (sRGB)")
    table = separable_table(ctx, source)
    assert table is not None and separable_table(ctx, ctx.working_space) is None
    rgb = np.random.default_rng(5).integers(0, 256, size=(20, 30, 3), dtype=np.uint8)
    exact = ctx.colour.convert(rgb.astype(np.float32) / 255, source, ctx.working_space, [0, 1, 2])
    np.testing.assert_allclose(table.apply(rgb), exact, rtol=1e-4, atol=1e-5)
