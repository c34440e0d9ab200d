"""A comp with groups renders from the CLI exactly as the same comp without them."""

import numpy as np

import nodecomp as nc
from nodecomp.cli.main import main
from nodecomp.core.format import Format
from tests.cli.conftest import read_exr


def _comp(tmp_path, grouped: bool, name: str):
    doc = nc.Document()
    doc.format = Format(32, 24)
    doc.frame_range = (1, 2)
    plate = doc.add("Constant", color=(0.2, 0.3, 0.4, 1.0))
    grade = doc.add("Grade", plate, multiply=(2.0, 1.5, 1.0, 1.0))
    blur = doc.add("Blur", grade, size=(3.0, 3.0))
    doc.add("Write", blur, file=str(tmp_path / name / "out.####.exr"))
    if grouped:
        group = doc.group([grade, blur], name="Look")
        doc.publish(group, grade, "multiply", "gain")
    path = tmp_path / f"{name}.ncomp"
    doc.save(str(path))
    return path


def test_grouped_comp_renders_like_the_flat_one(tmp_path, capsys):
    flat = _comp(tmp_path, False, "flat")
    grouped = _comp(tmp_path, True, "grouped")
    assert main(["render", str(flat)]) == 0
    assert main(["render", str(grouped)]) == 0
    for frame in (1, 2):
        a = read_exr(tmp_path / "flat" / f"out.{frame:04d}.exr")
        b = read_exr(tmp_path / "grouped" / f"out.{frame:04d}.exr")
        np.testing.assert_array_equal(a, b)
    capsys.readouterr()
    assert main(["info", str(grouped)]) == 0
    assert "[in Look]" in capsys.readouterr().out
