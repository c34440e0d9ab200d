import subprocess
import sys
import tomllib
from pathlib import Path

import nodecomp as nc
from nodecomp.api import Plugin
from nodecomp.core.fileformat import document_from_dict
from nodecomp.plugin_checks import api_import_problems, heavy_import_problems
from plugins.led_wall import plugin
from tests.plugins.led_wall.helpers import led_document

PACKAGE = Path(__file__).resolve().parents[3] / "plugins" / "led_wall"


def test_the_plugin_object_and_its_manifest_agree():
    assert isinstance(plugin, Plugin) and plugin.name == "nodecomp-led-wall" and plugin.version == "0.1.0"
    manifest = tomllib.loads((PACKAGE / "plugin.toml").read_text(encoding="utf-8"))
    assert manifest["name"] == plugin.name and manifest["version"] == plugin.version
    assert manifest["node_types"] == [t.type_id for t in plugin.node_types]


def test_the_plugin_imports_only_the_public_api_and_nothing_heavy():
    assert api_import_problems(PACKAGE) == []
    assert heavy_import_problems(PACKAGE) == []
    code = ("import sys, plugins.led_wall\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'PySide6', 'diffusers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE.parents[1])
    assert out.stdout.strip() == "[]"


def test_node_types_are_documented_and_round_trip():
    doc = led_document()
    for node_type in plugin.node_types:
        assert node_type.__doc__ and all(spec.doc for spec in node_type.params)
        node = doc.add(node_type.type_id)
        assert node_type.category == "LED Wall"
        del node
    data = doc.to_dict()
    assert document_from_dict(data, doc.registry).to_dict() == data


def test_the_loader_finds_the_bundled_plugin():
    from nodecomp.plugin_loader import build_registry

    registry, report = build_registry(plugin_path=[], entry_points=False)
    assert "led_wall.LEDWallExport" in registry, [str(e) for e in report.errors]
    assert registry.owner("led_wall.LEDWallPreview") == "nodecomp-led-wall"
    assert nc.Document(registry).add("LEDWallExport").name == "LEDWallExport1"
