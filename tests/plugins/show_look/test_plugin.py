"""The show_look plugin as the loader sees it: manifest, Plugin object, import hygiene."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from nodecomp.plugin_loader import build_registry
from nodecomp.testing import check_plugin
from plugins.show_look import plugin

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
    code = (
        "import plugins.show_look, plugins.show_look.lut, nodecomp.cli.look, sys\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'PySide6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_plugin_code_imports_only_the_public_api_from_nodecomp():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = None
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            if module and module.split(".")[0] == "nodecomp" and module != "nodecomp.api":
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []
