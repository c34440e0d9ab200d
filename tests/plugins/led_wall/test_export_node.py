import json
import os

import numpy as np
import OpenImageIO as oiio
import pytest

import nodecomp as nc
from nodecomp.api import Box, Request
from nodecomp.engine.evaluator import Evaluator
from plugins.led_wall.export_node import LEDWallExport
from tests.nodes.image_asserts import image, source
from tests.plugins.led_wall.conftest import tiny_dict, write_wall
from tests.plugins.led_wall.helpers import canvas_node, evaluate, led_document


def _read(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    try:
        return inp.read_image(0, 0, 0, inp.spec().nchannels, oiio.UINT16)
    finally:
        inp.close()


@pytest.fixture
def wall_file(tmp_path):
    return write_wall(tmp_path, tiny_dict())


def test_export_writes_rasters_maps_and_report(tmp_path, wall_file):
    doc = led_document()
    out = tmp_path / "out"
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18), wall=str(wall_file), output_dir=str(out))
    result, _ = evaluate(doc, node, frame=12)
    assert result.width == 32  # the input passes through
    p1 = _read(out / "rasters" / "P1" / "P1.000012.dpx")
    # scene 1.0 = 100 nits -> PQ 10-bit full 520 inside the segment, black outside it.
    assert (p1[:18, :16] >> 6 == 520).all() and not p1[18:].any() and not p1[:, 16:].any()
    report = json.loads((out / "report.json").read_text())
    assert report["frames"]["12"]["clipped_pixels"] == 0 and report["canvas"] == {"width": 32, "height": 18}
    assert (out / "maps" / "cabinets.csv").exists() and (out / "maps" / "overlay.png").exists()
    assert (out / "patterns" / "checker" / "P2.dpx").exists()


def test_colour_overrides_and_legal_range(tmp_path, wall_file):
    doc = led_document()
    out = tmp_path / "out"
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18, value=(10.0, 10.0, 10.0)), wall=str(wall_file),
                   output_dir=str(out), signal_range="legal", bit_depth="12", patterns=False, formats="tiff")
    evaluate(doc, node)
    p1 = _read(out / "rasters" / "P1" / "P1.000001.tif")
    assert (p1[:18, :16] >> 4 == 2890).all()  # 1000 nits, 12-bit legal: 256 + 3504 * 0.7518271 = 2890.4
    assert (p1[18:] >> 4 == 256).all()  # unmapped raster area is legal black (16 << 4), not code 0


def test_clipping_is_warned_and_reported(tmp_path, wall_file):
    doc = led_document()
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18, value=(20.0, 20.0, 20.0)), wall=str(wall_file),
                   output_dir=str(tmp_path / "out"), patterns=False)
    _, evaluator = evaluate(doc, node)
    assert any("576 pixels (100%) were above the wall's peak of 1500 nits" in w for w in evaluator.warnings)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["frames"]["1"]["clipped_pixels"] == 576


def test_the_input_must_be_the_canvas_size_unless_stretched(tmp_path, wall_file):
    doc = led_document()
    node = doc.add("LEDWallExport", canvas_node(doc, 64, 36), wall=str(wall_file), output_dir=str(tmp_path / "o"),
                   patterns=False)
    with pytest.raises(nc.EvaluationError, match="the input is 64x36 but the wall canvas is 32x18") as info:
        evaluate(doc, node)
    assert "reformat the input to 32x18" in str(info.value)
    node["fit"] = "stretch"
    evaluate(doc, node)
    assert (_read(tmp_path / "o" / "rasters" / "P1" / "P1.000001.dpx")[:18, :16] >> 6 == 520).all()


def test_patterns_replace_the_input_without_reading_it(tmp_path, wall_file):
    doc = led_document()
    upstream = canvas_node(doc, 5, 5)  # the wrong size: it would fail if it were read
    node = doc.add("LEDWallExport", upstream, wall=str(wall_file), output_dir=str(tmp_path / "o"),
                   content="frame_counter", patterns=False, tiles=True)
    result, evaluator = evaluate(doc, node, frame=3)
    assert upstream.name not in evaluator.stats.computes
    assert (result.display_window.width, result.display_window.height) == (32, 18)
    tiles = sorted(os.listdir(tmp_path / "o" / "tiles" / "w"))
    assert len(tiles) == 12 and tiles[0] == "w_C00_R00.000003.png"


def test_a_bad_wall_file_names_the_node_the_file_and_the_field(tmp_path):
    path = write_wall(tmp_path, tiny_dict(colour={"bit_depth": 9}))
    doc = led_document()
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18), wall=str(path), output_dir=str(tmp_path / "o"))
    with pytest.raises(nc.EvaluationError) as info:
        evaluate(doc, node)
    message = str(info.value)
    assert "node LEDWallExport1" in message and str(path) in message
    assert "colour.bit_depth: must be 8, 10 or 12, got 9" in message
    node["wall"] = str(tmp_path / "missing.json")
    with pytest.raises(nc.EvaluationError, match="cannot read the wall file"):
        evaluate(doc, node)


def test_fingerprint_follows_the_wall_file(tmp_path, wall_file):
    doc = led_document()
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18), wall=str(wall_file), output_dir=str(tmp_path / "o"))
    first = Evaluator(doc).hash(node, 1)
    stat = os.stat(wall_file)
    os.utime(wall_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert Evaluator(doc).hash(node, 1) != first
    fingerprint = LEDWallExport.fingerprint(Evaluator(doc).context(node, Request(1.0)), {"wall": str(wall_file)})
    assert fingerprint[:2] == (str(wall_file), stat.st_size)


def test_output_files_list_what_a_frame_writes(tmp_path, wall_file):
    doc = led_document()
    node = doc.add("LEDWallExport", canvas_node(doc, 32, 18), wall=str(wall_file), output_dir=str(tmp_path / "o"),
                   formats="dpx,exr", tiles=True)
    ctx = Evaluator(doc).context(node, Request(5.0))
    files = LEDWallExport.output_files(ctx, doc.resolve_params(node, 5.0))
    assert len(files) == 4 + 12
    assert str(tmp_path / "o" / "rasters" / "P2" / "P2.000005.exr") in files


def test_an_off_origin_data_window_is_conformed(tmp_path, wall_file):
    doc = led_document()
    pixels = np.ones((10, 10, 4), np.float32)
    src = source(doc, image(pixels, data_window=Box(4, 2, 14, 12), display_window=Box(0, 0, 32, 18)))
    node = doc.add("LEDWallExport", src, wall=str(wall_file), output_dir=str(tmp_path / "o"), patterns=False)
    evaluate(doc, node)
    p1 = _read(tmp_path / "o" / "rasters" / "P1" / "P1.000001.dpx") >> 6
    assert p1[2, 4, 0] == 520 and p1[1, 4, 0] == 0 and p1[2, 3, 0] == 0
