"""The cloud generators plugin as the loader sees it: manifest, Plugin object, import hygiene."""

import tomllib
from pathlib import Path

from nodecomp.plugin_checks import api_import_problems
from nodecomp.plugin_loader import build_registry
from nodecomp.testing import check_plugin
from plugins.cloud_generators import plugin
from tests.plugins.plugin_asserts import modules_loaded_by

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "plugins" / "cloud_generators"


def test_manifest_matches_the_plugin_object():
    manifest = tomllib.loads((PACKAGE / "plugin.toml").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"], manifest["api"]) == (plugin.name, plugin.version, plugin.api)
    assert set(manifest["node_types"]) == {t.type_id for t in plugin.node_types}
    assert set(manifest["optional"]) == set(plugin.optional)


def test_the_plugin_loads_and_is_documented():
    check_plugin(plugin)
    registry, report = build_registry(plugin_path=[], entry_points=False, disabled=())
    assert "nodecomp-cloud-generators" in report.plugins, report.errors
    for node_type in plugin.node_types:
        assert registry.get(node_type.type_id) is node_type


def test_importing_the_plugin_imports_no_sdk_video_keyring_torch_or_qt():
    banned = ("runwayml", "fal_client", "httpx", "av", "keyring", "torch", "PySide6")
    assert modules_loaded_by("import plugins.cloud_generators", banned) == []


def test_plugin_code_imports_only_the_public_api_from_nodecomp():
    assert api_import_problems(PACKAGE) == []



def test_generation_params_cannot_be_animated():
    """A keyed seed would order one paid generation per frame."""
    for node_type in plugin.node_types[:2]:
        assert not [spec.name for spec in node_type.params if spec.animatable], node_type.type_id
