"""The generators plugin as the loader sees it: manifest, Plugin object, docs, import hygiene."""

import ast
import tomllib
from pathlib import Path

from nodecomp.plugin_checks import api_import_problems
from nodecomp.plugin_loader import build_registry
from nodecomp.testing import check_plugin
from plugins.generators import plugin
from tests.plugins.plugin_asserts import modules_loaded_by

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "plugins" / "generators"


def test_manifest_matches_the_plugin_object():
    manifest = tomllib.loads((PACKAGE / "plugin.toml").read_text(encoding="utf-8"))
    assert manifest["name"] == plugin.name
    assert manifest["version"] == plugin.version
    assert manifest["api"] == plugin.api
    assert set(manifest["node_types"]) == {t.type_id for t in plugin.node_types}
    assert set(manifest["optional"]) == set(plugin.optional)


def test_the_loader_registers_every_generator_node_without_errors():
    registry, report = build_registry(plugin_path=[], entry_points=False, disabled=())
    assert "nodecomp-generators" in report.plugins, report.errors
    assert not [e for e in report.errors if "generators" in str(e)]
    for node_type in plugin.node_types:
        assert registry.get(node_type.type_id) is not None


def test_every_node_and_param_is_documented_and_survives_save_and_load():
    check_plugin(plugin)


def test_importing_the_plugin_imports_no_torch_no_diffusers_and_no_qt():
    banned = ("torch", "diffusers", "transformers", "peft", "PySide6")
    assert modules_loaded_by("import plugins.generators", banned) == []


def test_plugin_code_imports_only_the_public_api_from_nodecomp():
    assert api_import_problems(PACKAGE) == []



def test_heavy_libraries_are_imported_only_inside_functions():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and module.split(".")[0] in ("torch", "diffusers", "transformers", "peft", "accelerate"):
                    offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []
