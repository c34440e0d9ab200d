import numpy as np
import pytest

from plugins.delivery.review import ReviewError, ReviewSettings, write_review
from tests.engine.farm.comps import write_plate

av = pytest.importorskip("av")
W, H = 160, 90


def frames_on_disk(folder, frames):
    folder.mkdir(parents=True, exist_ok=True)
    for frame in frames:
        pixels = np.zeros((H, W, 4), np.float32)
        pixels[..., :3] = 0.18  # mid grey in ACES2065-1
        pixels[:, : (frame - 1000) * 10, 0] = 0.9  # a red bar that grows with the frame
        pixels[..., 3] = 1
        write_plate(folder / f"sh010_comp_v003.{frame:04d}.exr", pixels)
    return str(folder / "sh010_comp_v003.####.exr")


def decode(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        pictures = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
        return stream, dict(container.metadata), dict(stream.metadata), pictures


@pytest.mark.parametrize(("codec", "name", "suffix"), [("h264", "h264", "mp4"), ("prores", "prores", "mov")])
def test_proxy_has_a_slate_burn_ins_timecode_and_the_frames(tmp_path, codec, name, suffix):
    pattern = frames_on_disk(tmp_path / "sh010", range(1001, 1005))
    settings = ReviewSettings(shot="sh010", sequence="sq01", task="comp", version=3, fps=24.0,
                              start_timecode="01:00:00:00", colorspace="ACES2065-1", width=W, codec=codec,
                              notes=["for review"])
    output = tmp_path / f"sh010_comp_v003.{suffix}"
    assert write_review(pattern, range(1001, 1005), str(output), settings) == 5
    stream, container_meta, stream_meta, pictures = decode(output)
    assert stream.codec_context.name == name and (stream.width, stream.height) == (W, H)
    assert len(pictures) == 5 and float(stream.average_rate) == pytest.approx(24.0)
    assert "00:59:59:23" in (container_meta.get("timecode"), stream_meta.get("timecode"))  # slate one frame early
    slate, first, last = pictures[0], pictures[1], pictures[4]
    assert slate[:, : W // 2].mean() < 60  # a dark card with text
    assert (slate > 200).any()
    assert last[H // 2, 35, 0] > first[H // 2, 35, 0] + 50  # the red bar grew across the frames
    assert (first[:12, :] > 200).all(axis=2).any()  # white burn-in text on the top line
    assert settings.view  # the display's default view was used


def test_bad_settings_are_refused(tmp_path):
    pattern = frames_on_disk(tmp_path / "sh010", [1001])
    with pytest.raises(ReviewError, match="unknown codec"):
        write_review(pattern, [1001], str(tmp_path / "x.mov"), ReviewSettings(codec="gif"))
    with pytest.raises(ReviewError, match="not in the OCIO config"):
        write_review(pattern, [1001], str(tmp_path / "x.mp4"), ReviewSettings(colorspace="Nope"))
    with pytest.raises(ReviewError, match="cannot read"):
        write_review(pattern, [1002], str(tmp_path / "x.mp4"), ReviewSettings(colorspace="ACES2065-1"))
