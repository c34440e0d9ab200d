"""The show_look plugin as the loader sees it: manifest, Plugin object, import hygiene."""

import tomllib
from pathlib import Path

from nodecomp.plugin_checks import api_import_problems
from nodecomp.plugin_loader import build_registry
from nodecomp.testing import check_plugin
from plugins.show_look import plugin
from tests.plugins.plugin_asserts import modules_loaded_by

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "plugins" / "show_look"


def test_manifest_matches_the_plugin_object():
    manifest = tomllib.loads((PACKAGE / "plugin.toml").read_text(encoding="utf-8"))
    assert manifest["name"] == plugin.name
    assert manifest["version"] == plugin.version
    assert manifest["api"] == plugin.api
    assert set(manifest["node_types"]) == {t.type_id for t in plugin.node_types}


def test_the_loader_registers_it_and_the_conformance_checks_pass():
    registry, report = build_registry(plugin_path=[], entry_points=False, disabled=())
    assert "nodecomp-show-look" in report.plugins, report.errors
    assert registry.get("show_look.LookApply") is not None
    check_plugin(plugin)


def test_importing_the_plugin_and_its_cli_imports_no_torch():
    banned = ("torch", "PySide6")
    assert modules_loaded_by("import plugins.show_look, plugins.show_look.lut, nodecomp.cli.look", banned) == []


def test_plugin_code_imports_only_the_public_api_from_nodecomp():
    assert api_import_problems(PACKAGE) == []
