"""Plugin loading from every source, every failure mode reported (the rest loading), and reload."""

import logging
import sys

import numpy as np
import pytest

from nodecomp.api import API_VERSION, Plugin
from nodecomp.core.document import Document
from nodecomp.core.errors import PluginError
from nodecomp.core.fileformat import document_to_dict
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.resources import resources
from nodecomp.plugin_loader import (
    LoadReport,
    build_registry,
    default_registry,
    default_report,
    load_plugin_folders,
    register_plugin,
    reload_plugin,
    reset_default,
)
from nodecomp.plugin_sources import discover
from tests.plugin_factory import node_source, unique, write_plugin


def load(folder, **kwargs):
    """Load only the plugins in `folder` (plus the built-ins)."""
    return build_registry(plugin_path=[folder], bundled=False, entry_points=False, disabled=(), **kwargs)


def only_error(report):
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    return str(report.errors[0])


def render(registry, type_id, frame=1.0, cache=None, **params):
    doc = Document(registry)
    const = doc.add("Constant", color=(0.5, 0.5, 0.5, 0.5), width=4, height=2)
    node = doc.add(type_id, const, **params)
    evaluator = Evaluator(doc, cache)
    return float(evaluator.evaluate(node, frame).pixels[0, 0, 0]), evaluator.hash(node, frame), doc, node


# ------------------------------------------------------------------ sources
def test_builtins_are_a_plugin_and_report_their_load_time():
    registry, report = build_registry(bundled=False, entry_points=False, plugin_path=[])
    info = report.plugins["nodecomp-builtins"]
    assert info.source == "builtin" and "nodecomp.Grade" in info.node_types
    assert registry.owner("nodecomp.Grade") == "nodecomp-builtins"
    assert report.loaded["nodecomp-builtins"] == info.seconds > 0
    assert report.ok and report.lines()[0].startswith("ok       nodecomp-builtins")


def test_folder_on_plugin_path_loads_and_renders(tmp_path, caplog):
    package = write_plugin(tmp_path)
    with caplog.at_level(logging.INFO, logger="nodecomp.plugin_loader"):
        registry, report = load(tmp_path)
    assert report.ok, report.lines()
    assert report.plugins[package].source == "path"
    assert any(f"plugin {package} 1.0: 1 node types in" in r.message for r in caplog.records)
    value, *_ = render(registry, f"{package}.Scale", factor=1.5)
    assert value == pytest.approx(0.5 * 1.5 * 2)


def test_plugin_path_variable_and_single_file_modules(tmp_path, monkeypatch):
    module = unique("single")
    (tmp_path / f"{module}.py").write_text(node_source(module))
    monkeypatch.setenv("NODECOMP_PLUGIN_PATH", str(tmp_path))
    registry, report = build_registry(bundled=False, entry_points=False, disabled=())
    assert report.ok and f"{module}.Scale" in registry


def test_a_folder_that_is_itself_a_package_is_one_plugin(tmp_path):
    package = write_plugin(tmp_path)
    registry, report = load(tmp_path / package)
    assert report.ok and f"{package}.Scale" in registry


def test_bundled_folder_imports_as_plugins_package(tmp_path):
    package = unique()
    write_plugin(tmp_path, package, source=f"from plugins.{package}.nodes import plugin  # noqa: F401\n")
    (tmp_path / package / "nodes.py").write_text(node_source(package))
    candidates = discover(bundled_folder=tmp_path, plugin_path=[], entry_points=False)
    registry, report = build_registry(candidates=candidates)
    info = report.plugins[package]
    assert info.source == "bundled" and info.module == f"plugins.{package}"
    assert sys.modules[f"plugins.{package}"].plugin.name == package
    assert getattr(sys.modules["plugins"], package) is sys.modules[f"plugins.{package}"]
    assert f"{package}.Scale" in registry


def test_entry_points_load_installed_plugins(tmp_path, monkeypatch):
    package = write_plugin(tmp_path, manifest="""
        name = "{name}"
        optional = ["surely_not_installed_module"]
    """.replace("{name}", "entry-plug"), name="entry-plug")
    dist = tmp_path / "entry_plug-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: entry-plug\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[nodecomp.plugins]\nentry = {package}:plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry, report = build_registry(bundled=False, plugin_path=[], disabled=())
    info = report.plugins["entry-plug"]
    assert info.source == "entry point" and info.location == f"entry point entry = {package}:plugin"
    assert info.missing_optional == ("surely_not_installed_module",)
    assert "optional surely_not_installed_module not installed" in "\n".join(report.lines())
    assert f"{package}.Scale" in registry


def test_disabled_plugins_are_listed_not_loaded(tmp_path):
    package = write_plugin(tmp_path)
    registry, report = build_registry(plugin_path=[tmp_path], bundled=False, entry_points=False,
                                      disabled=[package])
    assert f"{package}.Scale" not in registry and report.disabled == [package]
    assert any(line.startswith(f"disabled {package}") for line in report.lines())


def test_the_same_module_found_twice_loads_once_and_a_second_name_is_an_error(tmp_path):
    first = write_plugin(tmp_path / "a", name="twin")
    write_plugin(tmp_path / "b", type_id="other.Scale", name="twin")
    registry, report = build_registry(plugin_path=[tmp_path / "a", tmp_path / "a", tmp_path / "b"],
                                      bundled=False, entry_points=False, disabled=())
    message = only_error(report)
    assert "a plugin named twin is already loaded" in message and f"{first}.Scale" in registry


# ------------------------------------------------------------ failure modes
def good_and(tmp_path, **bad):
    """A good plugin next to a broken one: the good one must load whatever the broken one does."""
    good = write_plugin(tmp_path)
    write_plugin(tmp_path, **bad)
    registry, report = load(tmp_path)
    assert f"{good}.Scale" in registry and good in report.plugins
    return registry, report


def test_import_error_is_reported_with_file_and_line(tmp_path):
    _, report = good_and(tmp_path, source="import json\nraise RuntimeError('broken at import')\n")
    message = only_error(report)
    assert "import failed: RuntimeError: broken at import" in message and "__init__.py:2" in message
    assert isinstance(report.errors[0].__cause__, RuntimeError)


def test_syntax_error_is_reported_with_file_and_line(tmp_path):
    _, report = good_and(tmp_path, source="x = (\n")
    assert "SyntaxError" in only_error(report) and "__init__.py:1" in only_error(report)


def test_missing_module_at_import_names_it(tmp_path):
    _, report = good_and(tmp_path, source="import surely_not_installed_module\n")
    message = only_error(report)
    assert "'surely_not_installed_module' is not installed" in message


def test_missing_required_dependency_is_reported_before_import(tmp_path):
    marker = tmp_path / "imported"
    package = unique()
    _, report = good_and(
        tmp_path, package=package, source=f"open({str(marker)!r}, 'w').close()\n",
        manifest=f'name = "{package}"\nrequires = ["numpy", "surely_not_installed_module"]\n',
    )
    assert "needs surely_not_installed_module, which is not installed" in only_error(report)
    assert not marker.exists()  # the plugin's code never ran


def test_missing_dependency_declared_on_the_plugin_object(tmp_path):
    _, report = good_and(tmp_path, extra=', requires=("surely_not_installed_module",)')
    assert "needs surely_not_installed_module" in only_error(report)


def test_missing_optional_dependency_loads_and_is_noted(tmp_path):
    package = unique()
    registry, report = good_and(tmp_path, package=package, extra=', optional=("surely_not_installed_module",)')
    assert report.ok and f"{package}.Scale" in registry
    assert report.plugins[package].missing_optional == ("surely_not_installed_module",)


def test_bad_schema_lists_every_problem_and_registers_nothing(tmp_path):
    source = node_source("x", type_id="not an id", param="BadName")
    source = source.replace('category = "Test"', 'category = "Test"\n    version = 0')
    registry, report = good_and(tmp_path, source=source)
    message = only_error(report)
    assert "type_id 'not an id'" in message and "version must be a positive integer" in message
    assert "'BadName' must be lower_snake" in message


def test_duplicate_type_id_names_both_plugins(tmp_path):
    first = write_plugin(tmp_path, unique("a"), type_id="shared.Scale")
    second = write_plugin(tmp_path, unique("b"), type_id="shared.Scale")
    registry, report = load(tmp_path)
    message = only_error(report)
    assert first in message and second in message and "'shared.Scale'" in message
    assert registry.owner("shared.Scale") == first and second not in report.plugins


def test_duplicate_of_a_builtin_type_id(tmp_path):
    _, report = good_and(tmp_path, type_id="nodecomp.Grade")
    assert "already registered by plugin nodecomp-builtins" in only_error(report)


def test_api_version_too_new_on_the_object_and_in_the_manifest(tmp_path):
    _, report = good_and(tmp_path, api=API_VERSION + 1)
    assert f"needs plugin API {API_VERSION + 1}, this nodecomp has {API_VERSION}" in only_error(report)
    marker = tmp_path / "imported"
    package = unique()
    write_plugin(tmp_path / "more", package, source=f"open({str(marker)!r}, 'w').close()\n",
                 manifest=f'name = "{package}"\napi = {API_VERSION + 1}\n')
    _, report = load(tmp_path / "more")
    assert "needs plugin API" in only_error(report) and not marker.exists()


def test_module_without_plugin_object(tmp_path):
    _, report = good_and(tmp_path, source="X = 1\n")
    assert "has no `plugin` object" in only_error(report)


def test_plugin_that_is_not_a_plugin_object(tmp_path):
    _, report = good_and(tmp_path, source="plugin = {'name': 'dict'}\n")
    assert "`plugin` is a dict, not a nodecomp.api.Plugin" in only_error(report)


def test_on_load_failure_unregisters_the_plugin(tmp_path):
    package = unique()
    source = node_source(package, extra=", on_load=lambda: 1 / 0")
    registry, report = good_and(tmp_path, package=package, source=source)
    assert "on_load failed: ZeroDivisionError" in only_error(report) and f"{package}.Scale" not in registry


def test_on_load_runs_after_registration(tmp_path):
    package = unique()
    source = node_source(package, extra=", on_load=_hook").replace(
        "plugin = Plugin", "CALLS = []\n_hook = lambda: CALLS.append(1)\nplugin = Plugin")
    write_plugin(tmp_path, package, source=source)
    _, report = load(tmp_path)
    assert report.ok and sys.modules[package].CALLS == [1]


def test_manifest_problems(tmp_path):
    package = unique()
    _, report = good_and(tmp_path, package=package, manifest='name = 3\nrequries = ["x"]\n')
    message = only_error(report)
    assert "unknown key 'requries'" in message and "name must be a non-empty string" in message
    other = unique()
    write_plugin(tmp_path / "mismatch", other, version="2.0",
                 manifest=f'name = "{other}"\nversion = "1.0"\nnode_types = ["{other}.Other"]\n')
    _, report = load(tmp_path / "mismatch")
    message = only_error(report)
    assert "says version 1.0 but its Plugin says 2.0" in message and f"'{other}.Other'" in message


def test_module_name_clash_with_an_installed_module(tmp_path):
    _, report = good_and(tmp_path, package="json")
    assert "module name 'json' is already used" in only_error(report)


def test_register_plugin_reports_instead_of_raising():
    report = LoadReport()
    registry, _ = build_registry(bundled=False, entry_points=False, plugin_path=[])
    assert register_plugin(registry, object(), report, "somewhere") is None
    assert register_plugin(registry, Plugin(name="p", node_types=(int,)), report, "somewhere") is None
    assert len(report.errors) == 2 and "not a NodeType subclass" in str(report.errors[1])


def test_default_report_lists_failures_and_the_registry_keeps_working(tmp_path, monkeypatch):
    good = write_plugin(tmp_path)
    write_plugin(tmp_path, source="raise ValueError('nope')\n")
    monkeypatch.setenv("NODECOMP_PLUGIN_PATH", str(tmp_path))
    monkeypatch.setenv("NODECOMP_DISABLE_PLUGINS", "")
    reset_default()
    try:
        assert f"{good}.Scale" in default_registry()
        lines = default_report().lines()
        assert any(line.startswith("failed   plugin") and "nope" in line for line in lines)
    finally:
        reset_default()


# -------------------------------------------------------------------- reload
def test_reload_replaces_code_changes_cache_keys_and_rebinds_documents(tmp_path):
    package = write_plugin(tmp_path, gain=2.0)
    registry, report = load(tmp_path)
    cache = ImageCache()
    value, key, doc, node = render(registry, f"{package}.Scale", cache=cache, factor=1.0)
    assert value == pytest.approx(1.0)
    old_class = node.node_type
    resources.get(("test", package), lambda: np.zeros(3))

    write_plugin(tmp_path, package, gain=3.0)
    info = reload_plugin(package, [doc], registry=registry, report=report)
    assert info.node_types == (f"{package}.Scale",)
    assert node.node_type is registry.get(f"{package}.Scale") is not old_class
    assert node.node_type.cache_salt.startswith("reload-")
    assert ("test", package) not in resources  # loaded resources are released too
    evaluator = Evaluator(doc, cache)
    assert evaluator.hash(node, 1.0) != key
    assert float(evaluator.evaluate(node, 1.0).pixels[0, 0, 0]) == pytest.approx(1.5)


def test_failed_reload_keeps_the_old_code(tmp_path):
    package = write_plugin(tmp_path, gain=2.0)
    registry, report = load(tmp_path)
    write_plugin(tmp_path, package, source="raise RuntimeError('half-saved file')\n")
    with pytest.raises(PluginError, match="half-saved file"):
        reload_plugin(package, registry=registry, report=report)
    assert registry.owner(f"{package}.Scale") == package
    assert render(registry, f"{package}.Scale", factor=1.0)[0] == pytest.approx(1.0)
    write_plugin(tmp_path, package, gain=4.0, extra=", on_load=lambda: 1 / 0")
    with pytest.raises(PluginError, match="on_load failed"):
        reload_plugin(package, registry=registry, report=report)
    assert render(registry, f"{package}.Scale", factor=1.0)[0] == pytest.approx(1.0)


def test_reload_carries_params_over_and_keeps_removed_ones_aside(tmp_path):
    package = write_plugin(tmp_path)
    registry, report = load(tmp_path)
    _, _, doc, node = render(registry, f"{package}.Scale", factor=3.0)
    node.set_key("factor", 1, 3.0)
    write_plugin(tmp_path, package, gain=1.0, param="strength")
    reload_plugin(package, [doc], registry=registry, report=report)
    assert list(node.params) == ["strength"] and node["strength"] == 1.0
    saved = document_to_dict(doc)["nodes"][1]["params"]
    assert "factor" in saved and saved["factor"]["curves"]  # kept verbatim, so nothing is lost on save
    write_plugin(tmp_path, package, gain=1.0, param="factor")
    reload_plugin(package, [doc], registry=registry, report=report)
    assert node.params["factor"].is_animated and "factor" not in node.raw_params


def test_reload_of_a_removed_type_makes_placeholders(tmp_path):
    package = write_plugin(tmp_path)
    registry, report = load(tmp_path)
    _, _, doc, node = render(registry, f"{package}.Scale", factor=3.0)
    write_plugin(tmp_path, package, type_id=f"{package}.Renamed")
    reload_plugin(package, [doc], registry=registry, report=report)
    assert node.is_placeholder and node.raw_params == {"factor": 3.0}
    assert f"{package}.Renamed" in registry and f"{package}.Scale" not in registry
    write_plugin(tmp_path, package, gain=5.0)  # the type comes back: so does the node, wired as before
    reload_plugin(package, [doc], registry=registry, report=report)
    assert not node.is_placeholder and node["factor"] == 3.0 and node.inputs["source"] is doc["Constant1"]
    assert float(Evaluator(doc).evaluate(node, 1.0).pixels[0, 0, 0]) == pytest.approx(0.5 * 3 * 5)


def test_reload_refuses_unknown_and_builtin_plugins():
    registry, report = build_registry(bundled=False, entry_points=False, plugin_path=[])
    with pytest.raises(PluginError, match="is not loaded"):
        reload_plugin("nope", registry=registry, report=report)
    with pytest.raises(PluginError, match="built in"):
        reload_plugin("nodecomp-builtins", registry=registry, report=report)


def test_nodecomp_reload_plugin_uses_the_process_registry(tmp_path, monkeypatch):
    import nodecomp as nc

    package = write_plugin(tmp_path, gain=2.0)
    monkeypatch.setenv("NODECOMP_PLUGIN_PATH", str(tmp_path))
    monkeypatch.setenv("NODECOMP_DISABLE_PLUGINS", "")
    reset_default()
    try:
        doc = nc.Document()
        node = doc.add(f"{package}.Scale", doc.add("Constant", color=(1.0, 1.0, 1.0, 1.0), width=2, height=2))
        write_plugin(tmp_path, package, gain=3.0)
        info = nc.reload_plugin(package, doc)
        assert info.name == package and node.node_type is default_registry().get(f"{package}.Scale")
        assert float(Evaluator(doc).evaluate(node, 1).pixels[0, 0, 0]) == pytest.approx(3.0)
    finally:
        reset_default()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"node_types": "Scale"}, "node_types must be a tuple or list"),
        ({"requires": "torch"}, "requires must be a tuple of module names"),
        ({"on_load": 3}, "on_load must be callable"),
        ({"name": ""}, "name must be a non-empty string"),
        ({"api": 0}, "api must be a positive integer"),
    ],
)
def test_malformed_plugin_objects_are_reported(fields, expected):
    registry, _ = build_registry(bundled=False, entry_points=False, plugin_path=[])
    report = LoadReport()
    assert register_plugin(registry, Plugin(**{"name": "p", **fields}), report, "somewhere") is None
    assert expected in only_error(report)


def test_plugin_folders_load_into_a_running_registry_and_revive_placeholders(tmp_path):
    registry, report = build_registry(bundled=False, entry_points=False, plugin_path=[])
    folder = tmp_path / "later"
    folder.mkdir()
    package = write_plugin(folder, gain=2.0)
    doc = Document(registry)
    const = doc.add("Constant", color=(0.5, 0.5, 0.5, 0.5), width=4, height=2)
    data = document_to_dict(doc)
    data["nodes"].append({"name": "Scale1", "type": f"{package}.Scale", "inputs": {"source": const.name},
                          "params": {"factor": 1.0}})
    from nodecomp.core.fileformat import document_from_dict

    doc = document_from_dict(data, registry)
    assert doc["Scale1"].is_placeholder
    loaded = load_plugin_folders([folder], [doc], registry=registry, report=report)
    assert [info.name for info in loaded] == [package] and report.ok
    assert not doc["Scale1"].is_placeholder
    assert float(Evaluator(doc).evaluate(doc["Scale1"], 1).pixels[0, 0, 0]) == pytest.approx(1.0)
    write_plugin(folder, package, gain=3.0)  # a second pass reloads what is already loaded
    load_plugin_folders([folder], [doc], registry=registry, report=report)
    assert float(Evaluator(doc).evaluate(doc["Scale1"], 1).pixels[0, 0, 0]) == pytest.approx(1.5)
