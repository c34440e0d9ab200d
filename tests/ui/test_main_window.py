import pytest
from PySide6 import QtCore, QtTest

from nodecomp.core.fileformat import load_document
from nodecomp.engine.image import Box
from nodecomp.ui.key_edits import KeyRef


@pytest.fixture
def saved_comp(tmp_path, comp):
    path = str(tmp_path / "shot.ncomp")
    comp.save(path)
    return path


def test_opening_a_comp_shows_it_everywhere(qtbot, make_window, saved_comp):
    window = make_window()
    window.show()
    assert window.open_file(saved_comp)
    doc = window.doc
    assert window.windowTitle().startswith("shot.ncomp")
    assert sorted(v.name() for v in window.graph_view.graph.all_nodes()) == ["Constant1", "Grade1", "Write1"]
    assert window.viewer.node_name == "Write1" and window.viewer.target() == "Grade1"
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None, timeout=10000)
    assert window.timeline.out_box.value() == doc.frame_range[1]
    window.graph_view.select([doc["Grade1"]])
    assert window.properties.open_nodes() == [doc["Grade1"]]


def test_undo_and_redo_walk_the_documents_history(make_window, comp):
    window = make_window()
    window.set_document(comp)
    assert not window.undo_action.isEnabled()
    comp["Grade1"]["mix"] = 0.5
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Set Grade1.mix"
    assert window.windowTitle().startswith("untitled*")
    window.undo_action.trigger()
    assert comp["Grade1"]["mix"] == 1.0 and window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert comp["Grade1"]["mix"] == 0.5


def test_a_param_edit_in_the_panel_reaches_the_viewer(qtbot, make_window, comp):
    window = make_window()
    window.set_document(comp)
    window.show()
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None, timeout=10000)
    card = window.properties.open(comp["Grade1"])
    card.rows["multiply"].spins[0].setValue(3.0)
    qtbot.waitUntil(lambda: float(window.viewer.renderer.last.image.pixels[0, 0, 0]) == pytest.approx(0.75),
                    timeout=10000)


def test_keyframes_follow_the_timeline_frame(make_window, comp):
    window = make_window()
    window.set_document(comp)
    row = window.properties.open(comp["Grade1"]).rows["mix"]
    window.timeline.set_frame(12)
    assert comp.current_frame == 12 and window.properties.frame == 12
    row.key_button.click()
    window.timeline.set_frame(24)
    row.spin.setValue(0.5)
    assert [k.frame for k in comp["Grade1"].params["mix"].curves[0].keys] == [12, 24]
    window.timeline.set_frame(18)
    assert row.spin.value() == pytest.approx(comp["Grade1"].value_at("mix", 18), abs=1e-3)


def test_save_and_reload_round_trip_through_the_window(tmp_path, make_window, comp, prompts):
    window = make_window()
    window.set_document(comp)
    window.graph_view.select([comp["Grade1"]])
    window.graph_actions.create("Blur")
    comp["Blur1"]["size"] = (3.0, 3.0)
    prompts.save_answer = str(tmp_path / "round.ncomp")
    assert window.session.save()
    assert window.windowTitle().startswith("round.ncomp —")
    reloaded = load_document(str(tmp_path / "round.ncomp"), comp.registry)
    assert reloaded["Blur1"]["size"] == (3.0, 3.0) and reloaded["Blur1"].inputs["source"].name == "Grade1"
    assert window.open_file(str(tmp_path / "round.ncomp"))
    assert window.graph_view.view_of(window.doc["Blur1"]) is not None


def test_closing_with_unsaved_changes_asks_first(make_window, comp, prompts):
    window = make_window()
    window.set_document(comp)
    comp["Grade1"]["mix"] = 0.5
    prompts.unsaved_answer = "cancel"
    window.show()
    assert not window.close()
    assert window.isVisible() and prompts.asked[-1][0] == "unsaved"


def test_a_failing_node_turns_red_in_the_graph(qtbot, make_window, comp):
    window = make_window()
    window.set_document(comp)
    window.show()
    comp["Grade1"]["whitepoint"] = (0.0, 0.0, 0.0, 0.0)
    qtbot.waitUntil(lambda: window.graph_view.error_of(comp["Grade1"]) is not None, timeout=10000)
    assert "whitepoint" in window.statusBar().currentMessage()
    comp.undo()
    qtbot.waitUntil(lambda: window.graph_view.error_of(comp["Grade1"]) is None, timeout=10000)


def test_render_dialog_from_the_window_fills_the_cache_line(qtbot, make_window, doc):
    solid = doc.add("uitest.Solid")
    doc.add("uitest.Record", solid)
    doc.frame_range = (1, 4)
    window = make_window()
    window.set_document(doc)
    window.show()
    dialog = window.open_render_dialog()
    with qtbot.waitSignal(dialog.finished_render, timeout=20000):
        dialog.start()
    qtbot.waitUntil(lambda: window.timeline.bar.cached == {1, 2, 3, 4}, timeout=10000)


def test_the_cache_line_follows_the_viewers_proxy_scale_and_region(qtbot, make_window, doc):
    solid = doc.add("uitest.Solid")
    doc.add("uitest.Record", solid)
    doc.frame_range = (1, 4)
    window = make_window()
    window.set_document(doc)
    window.show()
    dialog = window.open_render_dialog()
    with qtbot.waitSignal(dialog.finished_render, timeout=20000):
        dialog.start()
    qtbot.waitUntil(lambda: window.timeline.bar.cached == {1, 2, 3, 4}, timeout=10000)
    window.viewer.set_proxy_scale(0.5)  # only the frame the viewer showed at 1/2 is cached at 1/2
    qtbot.waitUntil(lambda: window.timeline.bar.cached == {1}, timeout=10000)
    window.viewer.set_proxy_scale(1.0)
    qtbot.waitUntil(lambda: window.timeline.bar.cached == {1, 2, 3, 4}, timeout=10000)
    window.viewer.set_roi(Box(0, 0, 8, 8))
    window.viewer.set_roi_enabled(True)
    qtbot.waitUntil(lambda: window.timeline.bar.cached == {1}, timeout=10000)


def test_the_key_editors_follow_selection_properties_frame_and_undo(make_window, comp):
    window = make_window()
    window.set_document(comp)
    grade = comp["Grade1"]
    assert window.tabifiedDockWidgets(window.graph_dock) == [window.curve_dock, window.dope_dock]
    window.graph_view.select([grade])
    assert window.curve_editor.nodes == [grade] and window.dope_sheet.nodes == [grade]
    assert window.curve_editor.canvas.channels == []
    row = window.properties.open(grade).rows["mix"]
    window.timeline.set_frame(12)
    row.key_button.click()  # a key set in the properties panel appears at once
    assert [c.label for c in window.curve_editor.canvas.channels] == ["Grade1.mix"]
    assert [r.label for r in window.dope_sheet.rows] == ["Grade1", "Mix"]
    assert window.curve_editor.canvas.frame == 12 and window.dope_sheet.frame == 12
    canvas = window.curve_editor.canvas
    canvas.select({KeyRef(grade, "mix", 0, 12.0)})
    QtTest.QTest.keyClick(canvas, QtCore.Qt.Key.Key_Delete)  # the graph's Delete shortcut stays in the graph
    assert not grade.params["mix"].is_animated and "Grade1" in comp
    comp.undo()
    window.curve_editor.frame_requested.emit(30)  # scrubbing in the editor's ruler
    assert window.timeline.frame == 30 and comp.current_frame == 30
    window.undo_action.trigger()
    assert window.curve_editor.canvas.channels == [] and window.dope_sheet.rows == []
    window.graph_view.select([])
    window.properties.close_all()
    assert window.curve_editor.nodes == []
