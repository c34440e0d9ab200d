"""Plugins menu: reload a plugin under development, show the load report."""

from types import SimpleNamespace

import nodecomp.plugin_loader as loader
from nodecomp.core.errors import PluginError


def test_reload_menu_lists_loaded_plugins_and_reloads_into_the_open_document(make_window, comp, monkeypatch):
    window = make_window()
    window.set_document(comp)
    window._fill_reload()
    names = [action.text() for action in window.reload_menu.actions()]
    bundled = [i.name for i in loader.default_report().plugins.values() if i.source is not loader.Source.BUILTIN]
    assert names == sorted(bundled) or names == ["(no plugins loaded)"]
    calls = []

    def fake_reload(name, documents):
        calls.append((name, list(documents)))
        return SimpleNamespace(name=name, node_types=("x.A", "x.B"))

    monkeypatch.setattr(loader, "reload_plugin", fake_reload)
    assert window.reload_plugin("nodecomp-example")
    assert calls == [("nodecomp-example", [window.doc])]
    assert "Reloaded nodecomp-example: 2 node types" in window.statusBar().currentMessage()


def test_a_failed_reload_is_reported_and_nothing_breaks(make_window, comp, monkeypatch):
    window = make_window()
    window.set_document(comp)
    shown = []

    def failing(name, documents):
        raise PluginError("SyntaxError: invalid syntax (nodes.py, line 3)", plugin=name)

    monkeypatch.setattr(loader, "reload_plugin", failing)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *args: shown.append(args[2]))
    assert not window.reload_plugin("broken")
    assert shown and "broken" in shown[0] and "line 3" in shown[0]
