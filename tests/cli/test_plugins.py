"""`nodecomp plugins list | check | new`, and a new plugin's whole path: its test, check, render."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.cli.main import main
from nodecomp.plugin_loader import build_registry, reset_default
from tests.cli.conftest import read_exr, run_cli
from tests.plugin_factory import node_source, unique, write_plugin


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    """An empty folder on NODECOMP_PLUGIN_PATH, with the process-wide registry rebuilt around the test."""
    folder = tmp_path / "plugin_path"
    folder.mkdir()
    monkeypatch.setenv("NODECOMP_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("NODECOMP_DISABLE_PLUGINS", "")
    reset_default()
    yield folder
    reset_default()


def test_list_shows_loaded_plugins_their_nodes_and_failures(plugin_path, capsys):
    good = write_plugin(plugin_path)
    bad = write_plugin(plugin_path, source="raise RuntimeError('cannot reach licence server')\n")
    assert main(["plugins", "list"]) == 0
    out = capsys.readouterr().out
    assert "nodecomp-builtins" in out and "nodecomp.Grade  (Color)" in out
    assert f"{good} 1.0  [path]" in out and f"    {good}.Scale  (Test)" in out
    assert "failed to load:" in out and bad in out and "cannot reach licence server" in out


def test_list_json(plugin_path, capsys):
    good = write_plugin(plugin_path)
    write_plugin(plugin_path, source="X = 1\n")
    assert main(["plugins", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {p["name"]: p for p in data["plugins"]}
    assert names[good]["node_types"] == [f"{good}.Scale"] and names[good]["seconds"] >= 0
    assert any("has no `plugin` object" in e["message"] for e in data["errors"])


def test_check_everything_fails_on_a_broken_plugin_and_shows_its_traceback(plugin_path, capsys):
    write_plugin(plugin_path)
    write_plugin(plugin_path, source="def boom():\n    raise KeyError('lut')\nboom()\n")
    assert main(["plugins", "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL plugin" in out and "KeyError" in out and "in boom" in out


def test_check_path_reports_author_problems(tmp_path, capsys):
    good = write_plugin(tmp_path / "good")
    assert main(["plugins", "check", str(tmp_path / "good" / good)]) == 0
    assert f"ok   {good} 1.0" in capsys.readouterr().out

    package = unique()
    source = node_source(package).replace('doc="Multiplier."', 'doc=""').replace(
        "from nodecomp.api import", "from nodecomp.engine.cache import ImageCache\nfrom nodecomp.api import",
    )
    write_plugin(tmp_path / "bad", package, source=source)
    assert main(["plugins", "check", str(tmp_path / "bad")]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {package}" in out and "param 'factor' has no doc" in out
    assert "warning:" in out and "imports nodecomp.engine.cache" in out  # third-party: a warning


def test_check_path_errors(tmp_path, capsys):
    assert main(["plugins", "check", str(tmp_path / "missing")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["plugins", "check", str(tmp_path / "empty")]) == 1
    assert "no plugin found" in capsys.readouterr().err


def test_new_refuses_bad_names_and_existing_folders(tmp_path, capsys):
    assert main(["plugins", "new", "3d-tools", "--dir", str(tmp_path)]) == 2
    assert "cannot name a Python package" in capsys.readouterr().err
    assert main(["plugins", "new", "class", "--dir", str(tmp_path)]) == 2
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    assert main(["plugins", "new", "taken", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_new_skeleton_passes_its_test_checks_clean_and_renders_from_the_cli(tmp_path, capsys):
    name = unique("studio")
    assert main(["plugins", "new", name.replace("_", "-"), "--dir", str(tmp_path)]) == 0
    project = tmp_path / name
    assert f"created {project}" in capsys.readouterr().out
    assert (project / "pyproject.toml").read_text().count(f'{name} = "{name}:plugin"') == 1

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                           capture_output=True, text=True, cwd=project, timeout=120)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "3 passed" in tests.stdout

    assert main(["plugins", "check", str(project)]) == 0
    assert f"ok   {name.replace('_', '-')} 0.1.0" in capsys.readouterr().out

    registry, report = build_registry(plugin_path=[project], bundled=False, entry_points=False, disabled=())
    assert report.ok, report.lines()
    doc = nc.Document(registry)
    doc.format = doc.format.__class__(8, 4)
    doc.frame_range = (1, 2)
    tinted = doc.add(f"{name}.Tint", doc.add("Constant", color=(0.5, 0.5, 0.5, 1.0)), color=(1.0, 0.5, 0.25, 1.0))
    doc.add("Write", tinted, file="out/tint.####.exr")
    doc.save(str(tmp_path / "shot.ncomp"))

    env = {**os.environ, "NODECOMP_PLUGIN_PATH": str(project)}
    result = subprocess.run([sys.executable, "-m", "nodecomp", "render", "shot.ncomp", "--quiet"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    pixels = read_exr(tmp_path / "out" / "tint.0002.exr")
    np.testing.assert_allclose(pixels[0, 0], [0.5, 0.25, 0.125, 1.0], atol=1e-3)

    without = run_cli("render", "shot.ncomp", "--quiet", cwd=tmp_path)  # plugin not on the path
    assert without.returncode == 1 and f"node type {name}.Tint is not loaded" in without.stderr


def test_check_a_bundled_plugin_loads_it_as_bundled_and_requires_api_only_imports(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NODECOMP_BUNDLED_PLUGINS", str(tmp_path))
    package = unique()
    internal = "from nodecomp.engine.cache import ImageCache  # noqa: F401\n"
    source = node_source(package).replace("from nodecomp.api import", internal + "from nodecomp.api import")
    write_plugin(tmp_path, package, source=source)
    assert main(["plugins", "check", str(tmp_path / package)]) == 1
    out = capsys.readouterr().out
    assert f"(plugins/{package})" in out and "problem:" in out and "imports nodecomp.engine.cache" in out
