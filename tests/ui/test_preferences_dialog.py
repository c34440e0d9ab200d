"""Edit > Preferences: the form, saving, and applying each preference to the running app."""

import os

import PyOpenColorIO as ocio
import pytest

from nodecomp.core.fileformat import document_from_dict, document_to_dict
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.cache import default_budget_bytes
from nodecomp.plugin_loader import default_registry
from nodecomp.plugin_sources import PATH_VARIABLE
from nodecomp.ui.graph_nodes import Placeholder
from nodecomp.ui.preferences import Preferences, load_preferences, save_preferences
from nodecomp.ui.preferences_dialog import MIB, PreferencesDialog
from tests.plugin_factory import write_plugin


@pytest.fixture(autouse=True)
def shell_environment(monkeypatch):
    """The shell sets neither variable; whatever a test's window changes is put back afterwards."""
    monkeypatch.delenv("OCIO", raising=False)
    monkeypatch.delenv(PATH_VARIABLE, raising=False)


def test_the_form_edits_a_preferences_value(qtbot):
    prefs = Preferences(cache_mb=2048, ocio_config="/a/config.ocio", plugin_folders=("/p1",), autosave_minutes=3)
    dialog = PreferencesDialog(prefs)
    qtbot.addWidget(dialog)
    assert dialog.value() == prefs
    dialog.ask_folder = lambda: "/p2"
    dialog.ask_file = lambda current: "/b/other.ocio"
    dialog._add_folder()
    dialog._add_folder()  # the same folder twice is listed once
    dialog.folder_list.item(0).setSelected(True)
    dialog._remove_folder()
    dialog._browse_ocio()
    dialog.cache_box.setValue(10)
    dialog.autosave_box.setValue(0)
    assert dialog.value() == Preferences(cache_mb=64, ocio_config="/b/other.ocio", plugin_folders=("/p2",),
                                         autosave_minutes=0.0)
    dialog.cache_box.setValue(0)
    assert dialog.value().cache_mb == 0 and dialog.cache_box.text().startswith("Automatic")


def test_preferences_are_read_at_startup(make_window, private_config_dir):
    save_preferences(Preferences(cache_mb=300, autosave_minutes=0.5))
    window = make_window()
    assert window.preferences == load_preferences()
    assert window.cache.budget == 300 * MIB
    assert window.session.autosave_seconds == 30.0 and window.session.timer.isActive()


def test_ok_saves_and_applies_cache_and_autosave_live(qtbot, make_window, private_config_dir):
    window = make_window()
    dialog = window.open_preferences()
    assert dialog.isVisible() and dialog.value() == Preferences()
    dialog.cache_box.setValue(512)
    dialog.autosave_box.setValue(0)
    dialog.accept()
    assert load_preferences() == Preferences(cache_mb=512, autosave_minutes=0.0)
    assert window.cache.budget == 512 * MIB
    assert not window.session.timer.isActive()  # autosave off
    assert window.set_preferences(Preferences(cache_mb=0, autosave_minutes=2.0))
    assert window.cache.budget == default_budget_bytes()
    assert window.session.autosaver.interval_s == 120.0 and window.session.timer.isActive()
    assert str(private_config_dir) in window.statusBar().currentMessage()


def test_the_ocio_config_applies_to_the_viewer(qtbot, make_window, comp, tmp_path):
    path = str(tmp_path / "cg.ocio")
    ocio.Config.CreateFromBuiltinConfig("ocio://cg-config-latest").serialize(path)
    window = make_window()
    window.set_document(comp)
    window.show()
    window.view_node(comp["Grade1"])
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None, timeout=10000)
    assert window.set_preferences(Preferences(ocio_config=path))
    assert os.environ["OCIO"] == path
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None
                    and window.viewer.renderer.last.colour.source == path, timeout=10000)
    assert window.viewer.node_name == "Grade1"
    window.set_preferences(Preferences())
    assert "OCIO" not in os.environ
    window.force_close()
    assert "OCIO" not in os.environ and PATH_VARIABLE not in os.environ


def test_plugin_folders_load_their_plugins_into_the_open_app(make_window, comp, tmp_path):
    registry = NodeRegistry(default_registry())  # its own registry: the session's is shared by every test
    folder = tmp_path / "plugins"
    folder.mkdir()
    package = write_plugin(folder, gain=2.0)
    window = make_window(registry=registry)
    data = document_to_dict(comp)
    data["nodes"].append({"name": "Waiting", "type": f"{package}.Scale", "inputs": {"source": "Grade1"}})
    window.set_document(document_from_dict(data, registry))
    waiting = window.doc["Waiting"]
    assert waiting.is_placeholder and isinstance(window.graph_view.view_of(waiting), Placeholder)
    window.set_preferences(Preferences(plugin_folders=(str(folder),)))
    assert registry.get(f"{package}.Scale") is not None
    assert not waiting.is_placeholder and not isinstance(window.graph_view.view_of(waiting), Placeholder)
    assert window.graph_view.view_of(waiting).inputs()["source"].connected_ports()[0].node().name() == "Grade1"
    assert os.environ[PATH_VARIABLE].split(os.pathsep)[0] == str(folder)
    node = window.graph_actions.create(f"{package}.Scale")
    assert window.graph_view.view_of(node) is not None
    assert package in window.statusBar().currentMessage()
