import json

import numpy as np
import OpenImageIO as oiio

import nodecomp as nc
from nodecomp.core.format import Format
from tests.cli.conftest import run_cli, write_exr
from tests.plugins.led_wall.conftest import STAGE_12X6, tiny_dict, write_wall


def _read(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    try:
        return inp.read_image(0, 0, 0, inp.spec().nchannels, oiio.UINT16)
    finally:
        inp.close()


def test_plan_prints_the_wall_summary(tmp_path):
    result = run_cli("led", "plan", "--wall", STAGE_12X6, "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    assert "LED wall stage_12x6: canvas 4608 x 2304 px, 288 cabinets" in result.stdout
    assert "processors: 2 used, 2 needed at least" in result.stdout
    assert json.loads((tmp_path / "r.json").read_text())["canvas"] == {"width": 4608, "height": 2304}
    as_json = run_cli("led", "plan", "--wall", STAGE_12X6, "--json", "--bit-depth", "12", "--eotf", "gamma")
    report = json.loads(as_json.stdout)
    assert report["colour"]["bit_depth"] == 12 and report["colour"]["eotf"] == "gamma"
    assert report["processors"][0]["ports"]["needed"] == 24  # 11 cabinets per port at 12-bit: a column each


def test_plan_of_a_bad_wall_names_the_field(tmp_path):
    path = write_wall(tmp_path, tiny_dict(timing={"refresh_hz": "fast"}))
    result = run_cli("led", "plan", "--wall", path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"nodecomp: error: file {path}: timing.refresh_hz: must be a number, got 'fast'"


def test_export_an_image_sequence(tmp_path):
    wall = write_wall(tmp_path, tiny_dict())
    for frame in (1, 2):
        pixels = np.full((18, 32, 4), 1.0, np.float32)
        pixels[..., :3] *= frame  # 100 nits, then 200 nits
        write_exr(tmp_path / f"canvas.{frame:04d}.exr", pixels)
    out = tmp_path / "out"
    result = run_cli("led", "export", "--wall", wall, "--input", tmp_path / "canvas.####.exr", "--frames", "1-2",
                     "--out", out, "--tiles", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "exported 2 frames of the 32x18 canvas to 2 processor rasters" in result.stdout
    assert (_read(out / "rasters" / "P1" / "P1.000001.dpx")[:18, :16] >> 6 == 520).all()
    assert (_read(out / "rasters" / "P2" / "P2.000002.dpx")[1:17, 2:20] >> 6 == 592).all()  # 200 nits: 592.4
    assert (out / "tiles" / "w" / "w_C03_R02.000002.png").exists()
    report = json.loads((out / "report.json").read_text())
    assert sorted(report["frames"]) == ["1", "2"]


def test_export_a_script_through_its_write_node(tmp_path):
    doc = nc.Document()
    doc.format = Format(32, 18)
    constant = doc.add("Constant", color=(1.0, 1.0, 1.0, 1.0))
    doc.add("Write", constant, file=str(tmp_path / "never.####.exr"))
    script = tmp_path / "shot.ncomp"
    doc.save(str(script))
    wall = write_wall(tmp_path, tiny_dict())
    out = tmp_path / "out"
    result = run_cli("led", "export", "--wall", wall, "--input", script, "--frames", "3", "--out", out,
                     "--formats", "exr", "--no-patterns", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "rasters" / "P1" / "P1.000003.exr").exists()
    assert not (out / "patterns").exists() and not list(tmp_path.glob("never.*"))


def test_export_with_the_wrong_canvas_size_fails_naming_node_and_frame(tmp_path):
    wall = write_wall(tmp_path, tiny_dict())
    write_exr(tmp_path / "small.exr", np.ones((10, 10, 4), np.float32))
    result = run_cli("led", "export", "--wall", wall, "--input", tmp_path / "small.exr", "--out", tmp_path / "o",
                     "--quiet")
    assert result.returncode == 1
    assert "node LEDWallExport1, frame 1: the input is 10x10 but the wall canvas is 32x18" in result.stderr


def test_help_lists_led():
    assert "led" in run_cli("--help").stdout
