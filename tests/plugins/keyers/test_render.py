"""The keyers from the command line: a saved comp with a DifferenceKeyer and an AIMatte renders with
`nodecomp render` (the bundled plugin loads through the normal plugin loader)."""

import OpenImageIO as oiio
import pytest

import nodecomp as nc
from plugins.keyers.synthetic import make_shot, matte_errors
from tests.cli.conftest import read_exr, run_cli


def _write_plate(path, rgb):
    spec = oiio.ImageSpec(rgb.shape[1], rgb.shape[0], 3, "float")
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec) and out.write_image(rgb) and out.close()


def test_render_a_keying_comp_from_the_command_line(tmp_path, tiny_model):
    pytest.importorskip("torch", reason="the AIMatte half of the comp needs torch")
    shot = make_shot(160, 90, seed=11)
    _write_plate(tmp_path / "plate.0001.exr", shot.plate)
    doc = nc.Document()
    doc.format = nc.core.format.Format(160, 90)
    doc.frame_range = (1, 1)
    read = doc.add("Read", file="plate.####.exr")
    clean = doc.add("CleanPlate", read)
    keyed = doc.add("DifferenceKeyer", read, clean)
    doc.add("Write", keyed, file="out/key.####.exr", datatype="float")
    ai = doc.add("AIMatte", read, model=tiny_model.path, output="matte")
    doc.add("Write", ai, file="out/ai.####.exr", datatype="float")
    doc.save(str(tmp_path / "key.ncomp"))
    result = run_cli("render", tmp_path / "key.ncomp", "--frames", "1", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    key = read_exr(tmp_path / "out" / "key.0001.exr")
    assert matte_errors(key[..., 3], shot.alpha)["mad"] < 0.02
    ai_alpha = read_exr(tmp_path / "out" / "ai.0001.exr")[..., 3]
    assert ai_alpha.shape == shot.alpha.shape and 0.0 <= ai_alpha.min() <= ai_alpha.max() <= 1.0
