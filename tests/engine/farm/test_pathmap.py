import pytest

import nodecomp as nc
from nodecomp.engine.farm.pathmap import PathMap, PathMapError, PathRule, looks_windows


@pytest.mark.parametrize(
    ("path", "windows"),
    [("S:/show", True), ("s:\\show", True), ("S:", True), ("//server/share", True), ("\\\\server\\share", True),
     ("/mnt/show", False), ("relative/path", False), ("", False), ("ocio://default", False)],
)
def test_windows_paths_are_recognised(path, windows):
    assert looks_windows(path) is windows


def test_parse_normalises_and_rejects_bad_rules():
    assert PathRule.parse("/mnt/show/=S:\\show\\") == PathRule("/mnt/show", "S:/show")
    for bad in ("/mnt/show", "=S:/show", "/mnt/show=", " = "):
        with pytest.raises(PathMapError, match="FROM=TO"):
            PathRule.parse(bad)


def test_a_linux_worker_maps_windows_paths_to_its_mount():
    rules = PathMap(["/mnt/show=S:/show"], windows=False, is_dir=lambda p: False)
    assert rules.apply("S:/show/sq010/plate.####.exr") == "/mnt/show/sq010/plate.####.exr"
    assert rules.apply("s:\\show\\sq010\\plate.exr") == "/mnt/show/sq010/plate.exr"
    assert rules.apply("/mnt/show/already/local.exr") == "/mnt/show/already/local.exr"


def test_a_windows_worker_maps_linux_paths_to_its_drive():
    rules = PathMap(["/mnt/show=S:/show"], windows=True, is_dir=lambda p: False)
    assert rules.apply("/mnt/show/sq010/plate.exr") == "S:/show/sq010/plate.exr"
    assert rules.apply("S:/show/x.exr") == "S:/show/x.exr"


def test_the_side_that_exists_here_wins():
    rules = PathMap(["/Volumes/show=/mnt/show"], windows=False, is_dir=lambda p: p == "/Volumes/show")
    assert rules.apply("/mnt/show/a.exr") == "/Volumes/show/a.exr"
    one_way = PathMap(["/old/show=/new/show"], windows=False, is_dir=lambda p: False)
    assert one_way.apply("/old/show/a.exr") == "/new/show/a.exr"


def test_prefixes_match_whole_components_and_the_first_rule_wins():
    rules = PathMap(["/mnt/show=/data/show", "/mnt=/other"], windows=False, is_dir=lambda p: False)
    assert rules.apply("/mnt/showreel/a.exr") == "/other/showreel/a.exr"
    assert rules.apply("/mnt/show") == "/data/show"
    assert rules.apply("/mnt/show/a.exr") == "/data/show/a.exr"
    assert rules.apply("/elsewhere/a.exr") == "/elsewhere/a.exr"
    assert rules.apply("") == ""
    assert not PathMap() and rules


def test_apply_to_document_rewrites_path_params_only(tmp_path):
    doc = nc.Document()
    read = doc.add("Read", file="/mnt/show/plates/bg.####.exr")
    write = doc.add("Write", read, file="/mnt/show/out/comp.####.exr", metadata="note=/mnt/show/keep")
    doc.set_setting("ocio_config", "/mnt/show/config.ocio")
    changed = PathMap([f"/mnt/show={tmp_path}"]).apply_to_document(doc)
    assert changed == 3
    assert read["file"] == f"{tmp_path}/plates/bg.####.exr"
    assert write["file"] == f"{tmp_path}/out/comp.####.exr"
    assert write["metadata"] == "note=/mnt/show/keep"  # a String param, not a Path
    assert doc.settings["ocio_config"] == f"{tmp_path}/config.ocio"


def test_one_way_rules_never_turn_around():
    rule = PathRule("/mnt/show", "/data/show", one_way=True)
    assert PathMap([rule], windows=False, is_dir=lambda p: p == "/mnt/show").apply("/mnt/show/a") == "/data/show/a"
