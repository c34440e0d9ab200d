import os

import numpy as np

import nodecomp as nc
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.farm.outputs import (
    file_is_complete,
    frame_is_complete,
    output_files,
    remove_temp_files,
    temp_owner,
)
from tests.engine.farm.comps import write_plate


def test_output_files_follow_the_write_pattern_and_skip_disabled_nodes(tmp_path):
    doc = nc.Document()
    doc.path = str(tmp_path / "shot.ncomp")
    src = doc.add("Constant")
    first = doc.add("Write", src, file="out/a.####.exr")
    second = doc.add("Write", src, file=str(tmp_path / "b.%03d.png"))
    evaluator = Evaluator(doc)
    assert output_files(evaluator, [first, second], 7) == (str(tmp_path / "out/a.0007.exr"),
                                                           str(tmp_path / "b.007.png"))
    doc.set_disabled(second, True)
    assert output_files(evaluator, [first, second], 12) == (str(tmp_path / "out/a.0012.exr"),)
    assert output_files(evaluator, [src], 1) == ()


def test_complete_means_not_empty_and_a_readable_header(tmp_path):
    good = tmp_path / "good.exr"
    write_plate(good, np.zeros((4, 4, 4), np.float32))
    empty = tmp_path / "empty.exr"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.exr"
    junk.write_bytes(b"not an image at all" * 10)
    assert file_is_complete(str(good))
    assert not file_is_complete(str(empty))
    assert not file_is_complete(str(junk))
    assert not file_is_complete(str(tmp_path / "missing.exr"))
    assert frame_is_complete([str(good)])
    assert not frame_is_complete([str(good), str(empty)])
    assert not frame_is_complete([])


def test_temporaries_of_atomic_writes_are_recognised_and_removed(tmp_path):
    assert temp_owner(".comp.0001.exr.1a2b3c4d.tmp.exr") == "comp.0001.exr"
    assert temp_owner("comp.0001.exr") is None
    assert temp_owner(".comp.0001.exr.1a2b.tmp.png") is None  # extension mismatch
    assert temp_owner(".hidden") is None
    stale = tmp_path / ".comp.0001.exr.deadbeef.tmp.exr"
    other = tmp_path / ".comp.0002.exr.deadbeef.tmp.exr"
    final = tmp_path / "comp.0001.exr"
    for path in (stale, other, final):
        path.write_bytes(b"x")
    removed = remove_temp_files([str(final), str(tmp_path / "nowhere" / "comp.0003.exr")])
    assert removed == [str(stale)]
    assert sorted(os.listdir(tmp_path)) == [".comp.0002.exr.deadbeef.tmp.exr", "comp.0001.exr"]
