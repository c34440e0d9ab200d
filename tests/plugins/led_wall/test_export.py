import json
import os

import numpy as np
import OpenImageIO as oiio
import pytest

from plugins.led_wall.colour import FrameStats
from plugins.led_wall.encoding import container16, encoder_for
from plugins.led_wall.export import ExportOptions, WallExport
from plugins.led_wall.image_io import OutputFormat
from plugins.led_wall.model import Eotf, SignalRange
from plugins.led_wall.plan import build_plan
from plugins.led_wall.rasters import assemble
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def _read(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    try:
        return inp.read_image(0, 0, 0, inp.spec().nchannels, oiio.UINT16)
    finally:
        inp.close()


def _canvas(height=18, width=32, seed=0):
    rng = np.random.default_rng(seed)
    return container16(rng.integers(0, 1024, (height, width, 3)).astype(np.uint16), 10)


def _exporter(tmp_path, plan, **options):
    return WallExport(plan, ExportOptions(out_dir=str(tmp_path / "out"), workers=2, **options), key="k1")


def test_rasters_are_written_at_the_processor_size_with_frame_numbers(tmp_path, tiny_plan, tiny_stage):
    exporter = _exporter(tmp_path, tiny_plan, formats=(OutputFormat.DPX, OutputFormat.TIFF))
    canvas = _canvas()
    written = exporter.export_frame(canvas, 101)
    out = tmp_path / "out"
    assert sorted(os.path.relpath(p, out) for p in written) == [
        "rasters/P1/P1.000101.dpx", "rasters/P1/P1.000101.tif", "rasters/P2/P2.000101.dpx", "rasters/P2/P2.000101.tif"]
    for processor in ("P1", "P2"):
        expected = assemble(canvas, tiny_stage, processor)
        np.testing.assert_array_equal(_read(out / "rasters" / processor / f"{processor}.000101.tif"), expected)
        dpx = _read(out / "rasters" / processor / f"{processor}.000101.dpx")
        assert dpx.shape == (20, 40, 3)
        np.testing.assert_array_equal(dpx >> 6, expected >> 6)  # the 10-bit codes
    described = "nodecomp LED wall tiny, processor P2, frame 101: pq rec2020 10-bit full range, peak 1500 nits"
    header = oiio.ImageInput.open(str(out / "rasters" / "P2" / "P2.000101.tif"))
    assert header.spec().get_string_attribute("ImageDescription") == described
    header.close()
    header = oiio.ImageInput.open(str(out / "rasters" / "P2" / "P2.000101.dpx"))  # DPX: 31 characters
    assert header.spec().get_string_attribute("ImageDescription") == "pq rec2020 10b full 1500nit"
    assert header.spec().get_string_attribute("DocumentName") == described
    header.close()


def test_tiles_reassemble_the_canvas_bit_exactly(tmp_path, tiny_plan):
    data = tiny_dict()
    data["walls"][0]["missing"] = [[2, 1]]
    plan = build_plan(stage_from_dict(data))
    exporter = _exporter(tmp_path, plan, tiles=True)
    canvas = _canvas(seed=4)
    exporter.export_frame(canvas, 7)
    folder = tmp_path / "out" / "tiles" / "w"
    names = sorted(os.listdir(folder))
    assert len(names) == 11 and names[0] == "w_C00_R00.000007.png" and "w_C02_R01.000007.png" not in names
    rebuilt = np.zeros_like(canvas)
    for placement in plan.placements:
        c = placement.cabinet
        rebuilt[c.y:c.y + c.h, c.x:c.x + c.w] = _read(folder / f"{c.id}.000007.png")
    missing = np.zeros(canvas.shape[:2], bool)
    missing[6:12, 16:24] = True
    np.testing.assert_array_equal(rebuilt[~missing], canvas[~missing])
    assert exporter.frame_files(7) == sorted(exporter.frame_files(7), key=exporter.frame_files(7).index)


def test_the_12x6_frame_with_288_tiles(tmp_path, plan_12x6):
    exporter = _exporter(tmp_path, plan_12x6, tiles=True)
    x, y = np.arange(4608), np.arange(2304)[:, None]
    codes = np.empty((2304, 4608, 3), np.uint16)  # ramps over every code, smooth like a picture
    codes[..., 0], codes[..., 1], codes[..., 2] = x * 1023 // 4607, y * 1023 // 2303, (x // 3 + y // 2) % 1024
    canvas = container16(codes, 10)
    written = exporter.export_frame(canvas, 1)
    assert len(written) == 2 + 288
    tiles = tmp_path / "out" / "tiles" / "main"
    rebuilt = np.zeros_like(canvas)
    for placement in plan_12x6.placements:
        c = placement.cabinet
        rebuilt[c.y:c.y + c.h, c.x:c.x + c.w] = _read(tiles / f"{c.id}.000001.png")
    np.testing.assert_array_equal(rebuilt, canvas)
    raster = _read(tmp_path / "out" / "rasters" / "PROC_B" / "PROC_B.000001.dpx")
    assert raster.shape == (2160, 4096, 3)
    # PROC_B's block: canvas rows 1152-2303, columns 0-4031 at raster (0, 0).
    np.testing.assert_array_equal(raster[:1152, :4032] >> 6, canvas[1152:, :4032] >> 6)


def test_static_files_are_written_once_per_plan(tmp_path, tiny_plan):
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    exporter = _exporter(tmp_path, tiny_plan)
    assert exporter.ensure_static(encoder, 0.01, "wall.json") is True
    out = tmp_path / "out"
    expected = {"maps/cabinets.csv", "maps/ndisplay.json", "maps/slices.xml", "maps/tiny.obj", "maps/overlay.png",
                "patterns/checker/P1.dpx", "patterns/checker/P2.dpx", "patterns/outline/P1.dpx",
                "patterns/outline/P2.dpx", "report.json", "report.txt"}
    found = {os.path.relpath(os.path.join(root, f), out) for root, _, files in os.walk(out) for f in files}
    assert found == expected
    assert exporter.ensure_static(encoder, 0.01, "wall.json") is False
    changed = WallExport(tiny_plan, exporter.options, key="k2")
    assert changed.ensure_static(encoder, 0.01, "wall.json") is True


def test_frames_add_their_clipping_to_the_report(tmp_path, tiny_plan):
    exporter = _exporter(tmp_path, tiny_plan, patterns=False)
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    exporter.ensure_static(encoder, 0.01, "wall.json")
    exporter.record_frame(1, FrameStats(pixels=576, clipped=3, max_nits=2000.0), "wall.json")
    exporter.record_frame(2, FrameStats(pixels=576), "wall.json")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["frames"]["1"]["clipped_pixels"] == 3 and report["frames"]["2"]["clipped_pixels"] == 0
    assert report["export_key"] == "k1" and report["outputs"]["patterns"] is False
    assert "frames: 2 exported, 3 pixels clipped" in (tmp_path / "out" / "report.txt").read_text()


def test_a_cancel_stops_the_writes(tmp_path, tiny_plan):
    class Cancelled(Exception):
        pass

    def cancel():
        raise Cancelled

    with pytest.raises(Cancelled):
        _exporter(tmp_path, tiny_plan, tiles=True).export_frame(_canvas(), 1, check=cancel)
    assert not any(files for _, _, files in os.walk(tmp_path / "out"))
