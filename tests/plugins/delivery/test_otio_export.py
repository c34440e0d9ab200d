import pytest

import nodecomp as nc
from plugins.delivery.otio_export import DeliveredShot, export_otio, shot_from_node

otio = pytest.importorskip("opentimelineio")


def test_one_clip_per_shot_with_its_cut_handles_and_media(tmp_path):
    shots = [
        DeliveredShot("sh010", str(tmp_path / "sh010" / "sh010_comp_v003.%04d.exr"), 1001, 1048, 8, 24.0,
                      sequence="sq01", task="comp", version=3, start_timecode="01:00:00:00", colorspace="ACES2065-1"),
        DeliveredShot("sh020", str(tmp_path / "sh020" / "sh020_comp_v001.%05d.dpx"), 1001, 1012, 0, 23.976),
    ]
    export_otio(shots, str(tmp_path / "deliveries.otio"))
    timeline = otio.adapters.read_from_file(str(tmp_path / "deliveries.otio"))
    clips = list(timeline.find_clips())
    assert [c.name for c in clips] == ["sh010", "sh020"]
    first = clips[0]
    assert first.source_range.start_time.to_frames() == 1001 and first.source_range.duration.to_frames() == 48
    ref = first.media_reference
    assert isinstance(ref, otio.schema.ImageSequenceReference)
    assert ref.available_range.start_time.to_frames() == 993 and ref.available_range.duration.to_frames() == 64
    assert ref.target_url_for_image_number(0) == (tmp_path / "sh010").as_uri() + "/sh010_comp_v003.0993.exr"
    assert ref.frame_for_time(first.source_range.start_time) == 1001
    assert first.metadata["nodecomp"]["cut_in_timecode"] == "01:00:00:08"
    assert first.metadata["nodecomp"]["version"] == 3
    second = clips[1].media_reference
    assert second.rate == pytest.approx(23.976) and second.frame_zero_padding == 5
    assert second.name_suffix == ".dpx" and second.name_prefix == "sh020_comp_v001."
    assert timeline.duration().to_frames() == 48 + 12


def test_shot_from_a_delivery_node(tmp_path):
    doc = nc.Document()
    node = doc.add("DeliveryWrite", doc.add("Constant"), file="out/<shot>_<task>_v###.####.exr", shot="sh040",
                   task="comp", version=9, cut_in=1001, cut_out=1010, handles=4, preset="dpx_adx10")
    shot = shot_from_node(node, fps=25.0, document_dir=str(tmp_path))
    assert shot.pattern == str(tmp_path / "out" / "sh040_comp_v009.%04d.exr")
    assert (shot.cut_in, shot.cut_out, shot.handles, shot.fps, shot.colorspace) == (1001, 1010, 4, 25.0, "ADX10")
