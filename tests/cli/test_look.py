from pathlib import Path

import pytest

from nodecomp.cli import look
from nodecomp.cli.main import main
from nodecomp.core.errors import EvaluationError


def _write_pairs(folder: Path, names=("a", "b", "c"), layout="folders"):
    from plugins.show_look.images import write_rgb
    from plugins.show_look.synthetic import synthetic_pairs

    for name, (before, after) in zip(names, synthetic_pairs(len(names), size=(24, 16), seed=3), strict=True):
        if layout == "folders":
            (folder / "before").mkdir(parents=True, exist_ok=True)
            (folder / "after").mkdir(parents=True, exist_ok=True)
            write_rgb(folder / "before" / f"{name}.exr", before)
            write_rgb(folder / "after" / f"{name}.exr", after)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            write_rgb(folder / f"{name}_before.exr", before)
            write_rgb(folder / f"{name}_after.exr", after)


def test_pairs_are_found_in_before_after_folders_by_suffix_and_by_glob(tmp_path):
    _write_pairs(tmp_path / "one")
    _write_pairs(tmp_path / "two", layout="suffix")
    assert [(b.name, a.parent.name) for b, a in look.find_pairs(str(tmp_path / "one"))] == [
        ("a.exr", "after"), ("b.exr", "after"), ("c.exr", "after")]
    assert [a.name for _, a in look.find_pairs(str(tmp_path / "two"))] == ["a_after.exr", "b_after.exr", "c_after.exr"]
    assert len(look.find_pairs(str(tmp_path / "two" / "*_before.exr"))) == 3
    (tmp_path / "two" / "c_after.exr").unlink()
    with pytest.raises(EvaluationError, match="no after frame") as error:
        look.find_pairs(str(tmp_path / "two"))
    assert "c_before.exr" in str(error.value)
    with pytest.raises(EvaluationError, match="no before frames"):
        look.find_pairs(str(tmp_path / "nothing" / "*.exr"))


def test_train_look_then_look_to_lut_from_the_command_line(tmp_path, capsys):
    _write_pairs(tmp_path / "pairs")
    model = tmp_path / "show.nclook"
    code = main(["train-look", "--pairs", str(tmp_path / "pairs"), "--out", str(model), "--steps", "30",
                 "--batch-size", "256", "--checkpoint-every", "10", "--device", "cpu"])
    assert code == 0 and model.is_file()
    assert capsys.readouterr().out.strip() == str(model)
    from plugins.show_look.look_model import load_model

    loaded = load_model(model)
    assert loaded.step == 30 and loaded.metadata["training_frames"][0].endswith("a.exr")

    cube, clf = tmp_path / "show.cube", tmp_path / "show.clf"
    code = main(["look-to-lut", str(model), "--out", str(cube), "--size", "17", "--clf", str(clf),
                 "--check", str(tmp_path / "pairs" / "before" / "*.exr")])
    captured = capsys.readouterr()
    assert code == 0 and cube.is_file() and clf.is_file()
    assert "LUT_3D_SIZE 17" in cube.read_text()
    assert "LUT vs network on 3 frames" in captured.err


def test_a_file_that_is_not_a_look_fails_with_one_line_naming_it(tmp_path, capsys):
    bogus = tmp_path / "bogus.nclook"
    bogus.write_text("nope")
    assert main(["look-to-lut", str(bogus), "--out", str(tmp_path / "x.cube")]) == 1
    err = capsys.readouterr().err
    assert "is not a look model" in err and str(bogus) in err and len(err.strip().splitlines()) == 1
