"""`nodecomp farm openjd` and `nodecomp farm task`, up to a job run by the OpenJD command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli
from tests.engine.farm.comps import comp, make_plates

BIN = Path(sys.executable).parent


def test_task_renders_an_openjd_range_with_session_path_mapping(tmp_path):
    make_plates(tmp_path / "show" / "plates", range(1, 6))
    doc = comp("/nodecomp-openjd-test/show/plates", "/nodecomp-openjd-test/show/out", range(1, 6))
    doc.save(str(tmp_path / "shot.ncomp"))
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"version": "pathmapping-1.0", "path_mapping_rules": [
        {"source_path_format": "POSIX", "source_path": "/nodecomp-openjd-test/show",
         "destination_path": str(tmp_path / "show")}]}))
    result = run_cli("farm", "task", tmp_path / "shot.ncomp", "--frames-expr", "1-5:2", "--path-mapping-rules",
                     rules, "--quiet")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "show" / "out").iterdir()) == [
        "comp.0001.exr", "comp.0003.exr", "comp.0005.exr"]
    bad = run_cli("farm", "task", tmp_path / "shot.ncomp", "--frames-expr", "1-5:0")
    assert bad.returncode == 2 and "never gets from 1 to 5" in bad.stderr


def test_openjd_template_runs_with_the_openjd_cli(tmp_path):
    openjd = BIN / "openjd"
    if not openjd.exists():
        pytest.skip("openjd-cli is not installed (pip install nodecomp[farm])")
    make_plates(tmp_path / "plates", range(1, 4))
    comp("plates", "out", range(1, 4)).save(str(tmp_path / "shot.ncomp"))
    made = run_cli("farm", "openjd", tmp_path / "shot.ncomp", "-o", tmp_path / "job.yaml", "--chunk", "2")
    assert made.returncode == 0, made.stderr
    assert "3 frames, validated with openjd-model" in made.stdout
    run = subprocess.run([str(openjd), "run", str(tmp_path / "job.yaml"), "--step", "Render",
                          "-p", f"NodecompCommand={BIN / 'nodecomp'}"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "Chunks run: 2" in run.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["comp.0001.exr", "comp.0002.exr",
                                                                   "comp.0003.exr"]


def test_openjd_export_refuses_unknown_writes_and_bad_scripts(tmp_path):
    comp(tmp_path, tmp_path / "out", range(1, 3)).save(str(tmp_path / "shot.ncomp"))
    unknown = run_cli("farm", "openjd", tmp_path / "shot.ncomp", "-o", tmp_path / "j.yaml", "--write", "Nope")
    assert unknown.returncode == 1 and "Nope" in unknown.stderr
    (tmp_path / "bad.ncomp").write_text("{")
    bad = run_cli("farm", "openjd", tmp_path / "bad.ncomp", "-o", tmp_path / "j.yaml")
    assert bad.returncode == 2 and not (tmp_path / "j.yaml").exists()
