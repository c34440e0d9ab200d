"""The delivery plugin as the loader sees it: manifest, Plugin object, import hygiene."""

import tomllib
from pathlib import Path

from nodecomp.plugin_checks import api_import_problems
from nodecomp.plugin_loader import build_registry
from plugins.delivery import plugin
from tests.plugins.plugin_asserts import modules_loaded_by

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "plugins" / "delivery"


def test_manifest_matches_the_plugin_object():
    manifest = tomllib.loads((PACKAGE / "plugin.toml").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"], manifest["api"]) == (plugin.name, plugin.version, plugin.api)
    assert set(manifest["node_types"]) == {t.type_id for t in plugin.node_types}


def test_the_loader_registers_the_delivery_node_without_errors():
    registry, report = build_registry(plugin_path=[], entry_points=False, disabled=())
    assert "nodecomp-delivery" in report.plugins, report.errors
    assert not [e for e in report.errors if "delivery" in str(e)]
    assert registry.get("delivery.DeliveryWrite") is not None


def test_importing_the_plugin_imports_no_torch_qt_or_otio():
    banned = ("torch", "PySide6", "opentimelineio")
    assert modules_loaded_by("import plugins.delivery", banned) == []


def test_plugin_code_imports_only_the_public_api_from_nodecomp():
    assert api_import_problems(PACKAGE) == []
