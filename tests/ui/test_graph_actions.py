import json

import pytest
from PySide6 import QtCore, QtWidgets


@pytest.fixture
def window(make_window, comp):
    window = make_window()
    window.set_document(comp)
    window.show()
    return window


def test_tab_search_creates_a_node_chained_to_the_selection(qtbot, window, comp):
    graph = window.graph_view
    graph.select([comp["Grade1"]])
    graph.viewer.setFocus()
    qtbot.keyClick(graph.viewer, QtCore.Qt.Key.Key_Tab)
    search = window.graph_actions.search
    assert search.isVisible()
    qtbot.keyClicks(search.field, "blu")
    qtbot.keyClick(search.field, QtCore.Qt.Key.Key_Return)
    blur = comp["Blur1"]
    assert blur.inputs["source"] is comp["Grade1"]
    assert graph.view_of(blur) is not None and graph.selected() == [blur]
    window.undo_action.trigger()
    assert "Blur1" not in comp and graph.graph.get_node_by_name("Blur1") is None
    window.redo_action.trigger()
    assert comp["Blur1"].inputs["source"] is comp["Grade1"]


def test_the_context_menu_lists_every_type_by_category(window, comp):
    menu = window.graph_actions.context_menu((0.0, 0.0))
    create = next(a.menu() for a in menu.actions() if a.text() == "Create")
    categories = {a.text(): [b.text() for b in a.menu().actions()] for a in create.actions()}
    assert "Grade" in categories["Color"] and "Slow" in categories["Test"]
    colour = next(a for a in create.actions() if a.text() == "Color").menu()
    next(a for a in colour.actions() if a.text() == "Grade").trigger()
    assert comp["Grade2"].ui["pos"] == [0.0, 0.0] and comp["Grade2"].inputs["source"] is None
    menu.deleteLater()


def test_delete_reconnects_and_undoes_as_one_step(window, comp):
    graph = window.graph_view
    graph.select([comp["Grade1"]])
    window.graph_actions.actions["delete"].trigger()
    assert "Grade1" not in comp and comp["Write1"].inputs["source"] is comp["Constant1"]
    comp.undo()
    assert comp["Write1"].inputs["source"] is comp["Grade1"]
    graph.select([comp["Grade1"]])
    window.graph_actions.delete_selected(reconnect=False)
    assert comp["Write1"].inputs["source"] is None


def test_copy_and_paste_through_the_clipboard(window, comp):
    graph, actions = window.graph_view, window.graph_actions
    graph.select([comp["Grade1"], comp["Write1"]])
    text = actions.copy_selected()
    assert QtWidgets.QApplication.clipboard().text() == text
    assert [n["name"] for n in json.loads(text)["nodes"]] == ["Grade1", "Write1"]
    pasted = actions.paste()
    assert [n.name for n in pasted] == ["Grade2", "Write2"]
    assert graph.selected() == pasted
    assert comp["Write2"].inputs["source"] is comp["Grade2"]
    comp.undo()
    assert "Grade2" not in comp
    actions.paste("not nodes")
    assert "no nodecomp nodes" in window.statusBar().currentMessage()


def test_cut_duplicate_disable_rename_and_colour(window, comp):
    graph, actions = window.graph_view, window.graph_actions
    graph.select([comp["Grade1"]])
    [copy] = actions.duplicate_selected()
    assert copy.name == "Grade2" and copy.inputs["source"] is comp["Constant1"]
    actions.toggle_disabled()
    assert copy.disabled and graph.view_of(copy).disabled()
    actions.ask_text = lambda title, current: "Graded"
    actions.rename_selected()
    assert copy.name == "Graded" and graph.view_of(copy).name() == "Graded"
    actions.ask_colour = lambda current: (10, 20, 30)
    actions.colour_selected()
    assert copy.ui["color"] == [10, 20, 30] and graph.view_of(copy).color() == (10, 20, 30)
    actions.cut_selected()
    assert "Graded" not in comp
    assert "Graded" in QtWidgets.QApplication.clipboard().text()


def test_key_one_views_the_selected_node(window, comp):
    window.graph_view.select([comp["Constant1"]])
    window.graph_actions.actions["view"].trigger()
    assert window.viewer.node_name == "Constant1"


def test_key_two_sets_the_selected_node_as_viewer_b(window, comp):
    window.graph_view.select([comp["Grade1"]])
    window.graph_actions.actions["view"].trigger()
    window.graph_view.select([comp["Constant1"]])
    assert window.graph_actions.actions["view_b"].shortcut().toString() == "2"
    window.graph_actions.actions["view_b"].trigger()
    assert (window.viewer.node_name, window.viewer.b_name) == ("Grade1", "Constant1")
    assert window.viewer.compare.value == "wipe"
