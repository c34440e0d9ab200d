import numpy as np
import OpenImageIO as oiio
import pytest

import nodecomp as nc
from nodecomp.api import EvaluationError
from nodecomp.core.format import Format
from nodecomp.engine.colour import colour_manager
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.farm import FarmJob
from plugins.delivery.presets import AP0_CHROMATICITIES

W, H = 40, 24


def plate_doc(tmp_path, *, fps=24.0, frames=(999, 1007), attrs=None):
    """A Read of an ACEScg plate whose frames carry R = frame / 2000 (and optional header attributes)."""
    folder = tmp_path / "plates"
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(3)
    for frame in range(frames[0], frames[1] + 1):
        pixels = rng.random((H, W, 4), dtype=np.float32) * 0.8
        pixels[..., 0] = frame / 2000.0
        pixels[..., 3] = 1.0
        path = folder / f"plate.{frame:04d}.exr"
        spec = oiio.ImageSpec(W, H, 4, "float")
        spec.channelnames = ("R", "G", "B", "A")
        for key, value in (attrs or {}).items():
            if isinstance(value, tuple):
                spec.attribute(key, *value)
            else:
                spec.attribute(key, value)
        out = oiio.ImageOutput.create(str(path))
        assert out.open(str(path), spec) and out.write_image(pixels) and out.close()
    doc = nc.Document(name="deliv")
    doc.format = Format(W, H)
    doc.fps = fps
    doc.frame_range = frames
    doc.path = str(tmp_path / "deliv.ncomp")
    return doc, doc.add("Read", file="plates/plate.####.exr")


def header(path):
    image = oiio.ImageInput.open(str(path))
    assert image is not None, oiio.geterror()
    spec = image.spec()
    pixels = image.read_image(0, 0, 0, spec.nchannels, "float")
    image.close()
    return spec, pixels


def expected(doc, read, frame, target, channels=3):
    pixels = np.array(Evaluator(doc).evaluate(read, frame).pixels[..., :channels])
    pixels[..., :3] = colour_manager().convert(np.ascontiguousarray(pixels[..., :3]), "ACEScg", target, [0, 1, 2])
    return pixels


def test_aces_exr_is_an_aces_container(tmp_path):
    doc, read = plate_doc(tmp_path)
    node = doc.add("DeliveryWrite", read, file="out/<shot>_<task>_v###.####.exr", shot="sh010", task="comp",
                   version=3, cut_in=1001, cut_out=1005, handles=2, alpha=True)
    nc.render(doc, node, frames="999-1007")
    spec, pixels = header(tmp_path / "out" / "sh010_comp_v003.1003.exr")
    assert spec.format == oiio.HALF and spec.channelnames == ("R", "G", "B", "A")
    assert spec.get_string_attribute("compression") == "none"
    assert spec.get_int_attribute("acesImageContainerFlag") == 1
    np.testing.assert_allclose(spec.getattribute("chromaticities"), AP0_CHROMATICITIES, atol=1e-6)
    np.testing.assert_allclose(spec.getattribute("adoptedNeutral"), (0.32168, 0.33767), atol=1e-6)
    assert spec.get_string_attribute("oiio:ColorSpace") == "lin_ap0_scene"  # the interop ID of ACES2065-1
    assert spec.get_string_attribute("nodecomp/colorspace") == "ACES2065-1"
    want = expected(doc, read, 1003, "ACES2065-1", channels=4)
    np.testing.assert_allclose(pixels, want.astype(np.float16).astype(np.float32), rtol=2e-3, atol=1e-4)


def test_piz_preset_compresses_and_drops_the_container_flag(tmp_path):
    doc, read = plate_doc(tmp_path, frames=(1001, 1001))
    node = doc.add("DeliveryWrite", read, file="out/<shot>.####.exr", shot="sh020", preset="aces_exr_piz",
                   cut_in=1001, cut_out=1001)
    nc.render(doc, node, frames="1001")
    spec, pixels = header(tmp_path / "out" / "sh020.1001.exr")
    assert spec.get_string_attribute("compression") == "piz" and spec.nchannels == 3
    assert "acesImageContainerFlag" not in [a.name for a in spec.extra_attribs]


@pytest.mark.parametrize(("preset", "space"), [("dpx_acescct", "ACEScct"), ("dpx_adx10", "ADX10")])
def test_dpx_presets_are_10_bit_log_rgb(tmp_path, preset, space):
    doc, read = plate_doc(tmp_path, frames=(1001, 1001))
    node = doc.add("DeliveryWrite", read, file="out/<shot>_v###.####.dpx", shot="sh030", version=12, preset=preset,
                   cut_in=1001, cut_out=1001, alpha=True)
    nc.render(doc, node, frames="1001")
    spec, pixels = header(tmp_path / "out" / "sh030_v012.1001.dpx")
    assert spec.format == oiio.UINT16 and spec.get_int_attribute("oiio:BitsPerSample") == 10
    assert spec.channelnames == ("R", "G", "B")  # no alpha in a DPX delivery
    want = np.clip(expected(doc, read, 1001, space), 0, 1)
    np.testing.assert_allclose(pixels, want, atol=1.0 / 1023 + 1e-6)
    assert spec.get_string_attribute("dpx:Transfer") in ("Logarithmic", "Printing density")


def test_only_the_cut_plus_handles_is_written_and_names_follow_the_template(tmp_path):
    doc, read = plate_doc(tmp_path, frames=(995, 1010))
    doc.add("DeliveryWrite", read, file="out/<sequence>/<shot>/<shot>_<task>_v##.####.exr", shot="sh010",
            sequence="sq01", task="roto", version=7, cut_in=1001, cut_out=1003, handles=2)
    nc.render(doc, "DeliveryWrite1", frames="995-1010")
    written = sorted(p.name for p in (tmp_path / "out" / "sq01" / "sh010").iterdir())
    assert written == [f"sh010_roto_v07.{f:04d}.exr" for f in range(999, 1006)]


def test_metadata_timecode_fps_shot_and_camera(tmp_path):
    doc, read = plate_doc(tmp_path, fps=23.976, frames=(999, 1002),
                          attrs={"smpte:TimeCode": (oiio.TypeTimeCode, (0x01000010, 0)),
                                 "Model": "ALEXA 35"})
    node = doc.add("DeliveryWrite", read, file="out/<shot>.####.exr", shot="sh010", sequence="sq01", task="comp",
                   version=2, cut_in=1000, cut_out=1001, handles=1, metadata="vendor=nodecomp\n# a comment")
    nc.render(doc, node, frames="999-1002")
    spec, _ = header(tmp_path / "out" / "sh010.1000.exr")
    plate_tc = header(tmp_path / "plates" / "plate.1000.exr")[0].getattribute("smpte:TimeCode")
    assert spec.getattribute("smpte:TimeCode") == plate_tc  # from the source plate
    assert tuple(spec.getattribute("framesPerSecond")) == (24000, 1001)
    assert spec.get_string_attribute("nodecomp/shot") == "sh010"
    assert spec.get_string_attribute("nodecomp/sequence") == "sq01"
    assert spec.get_string_attribute("nodecomp/task") == "comp"
    assert spec.get_int_attribute("nodecomp/version") == 2
    assert spec.get_string_attribute("nodecomp/camera") == "ALEXA 35"
    assert spec.get_string_attribute("cameraModel") == "ALEXA 35"
    assert spec.get_string_attribute("vendor") == "nodecomp"

    doc["DeliveryWrite1"]["start_timecode"] = "01:00:00:00"  # at the first delivered frame, 999
    doc["DeliveryWrite1"]["camera"] = "B-cam"
    nc.render(doc, node, frames="1001")
    spec, _ = header(tmp_path / "out" / "sh010.1001.exr")
    text = spec.metadata_val(next(a for a in spec.extra_attribs if a.name == "smpte:TimeCode"), True)
    assert text.strip('"') == "01:00:00:02" and spec.get_string_attribute("nodecomp/camera") == "B-cam"


def test_errors_name_node_frame_and_fix(tmp_path):
    doc, read = plate_doc(tmp_path, frames=(1001, 1001))
    node = doc.add("DeliveryWrite", read, file="out/<shot>.####.exr", cut_in=1001, cut_out=1001)
    with pytest.raises(EvaluationError, match="shot is not set") as info:
        Evaluator(doc).evaluate(node, 1001)
    assert info.value.node == "DeliveryWrite1" and info.value.frame == 1001
    doc["DeliveryWrite1"]["shot"] = "sh010"
    doc["DeliveryWrite1"]["preset"] = "dpx_acescct"
    with pytest.raises(EvaluationError, match=r"writes \.dpx files"):
        Evaluator(doc).evaluate(node, 1001)
    doc["DeliveryWrite1"]["file"] = "out/<shot>.####.dpx"
    doc["DeliveryWrite1"]["start_timecode"] = "25:00:00:00"
    with pytest.raises(EvaluationError, match="not a valid timecode"):
        Evaluator(doc).evaluate(node, 1001)


def test_farm_resume_sees_delivery_files(tmp_path):
    doc, read = plate_doc(tmp_path, frames=(1001, 1004))
    node = doc.add("DeliveryWrite", read, file="out/<shot>.####.exr", shot="sh010", cut_in=1001, cut_out=1003)
    nc.render(doc, node, frames="1001-1002")
    job = FarmJob(doc, [node.name], range(1001, 1005), resume=True)
    assert job.already_complete() == [1001, 1002]
    assert job.to_render() == [1003, 1004]
