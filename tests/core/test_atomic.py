"""Atomic outputs: the final name holds the old file or the whole new one, never a part."""

import os

import pytest

from nodecomp.core.atomic import atomic_path, temp_path


def test_the_file_appears_only_when_the_block_ends(tmp_path):
    target = tmp_path / "plate.0001.exr"
    target.write_text("old")
    with atomic_path(target) as temp:
        assert os.path.dirname(temp) == str(tmp_path) and temp.endswith(".exr")
        assert os.path.basename(temp).startswith(".plate.0001.exr.")
        with open(temp, "w") as handle:
            handle.write("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["plate.0001.exr"]


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "lut.cube"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        with open(temp, "w") as handle:
            handle.write("half")
        raise RuntimeError("cancelled")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["lut.cube"]


def test_temporary_names_are_unique(tmp_path):
    assert temp_path(tmp_path / "a.exr") != temp_path(tmp_path / "a.exr")
