import pytest

from nodecomp.ui.param_rows import (
    BoolRow,
    ChoiceRow,
    FloatRow,
    IntRow,
    PathRow,
    StringRow,
    VectorRow,
)
from nodecomp.ui.properties_panel import PropertiesPanel
from tests.ui.qt_helpers import settle


@pytest.fixture
def panel(qtbot, comp):
    widget = PropertiesPanel(max_open=3)
    qtbot.addWidget(widget)
    widget.resize(500, 700)
    widget.show()
    widget.set_document(comp)
    yield widget
    widget.deleteLater()
    settle()


def test_rows_are_generated_from_the_declarations(panel, comp):
    grade = panel.open(comp["Grade1"]).rows
    assert isinstance(grade["multiply"], VectorRow) and isinstance(grade["mix"], FloatRow)
    assert isinstance(grade["channels"], ChoiceRow) and isinstance(grade["clamp_black"], BoolRow)
    write = panel.open(comp["Write1"]).rows
    assert isinstance(write["file"], PathRow) and isinstance(write["metadata"], StringRow)
    constant = panel.open(comp["Constant1"]).rows
    assert isinstance(constant["width"], IntRow)
    assert grade["mix"].label.toolTip() == comp["Grade1"].spec("mix").doc


def test_edits_go_through_document_commands(panel, comp):
    rows = panel.open(comp["Grade1"]).rows
    rows["mix"].spin.setValue(0.5)
    assert comp["Grade1"]["mix"] == 0.5
    rows["multiply"].spins[1].setValue(2.0)
    assert comp["Grade1"]["multiply"] == (1.0, 2.0, 1.0, 1.0)
    rows["channels"].combo.setCurrentText("rgba")
    rows["clamp_white"].check.setChecked(True)
    assert comp["Grade1"]["channels"] == "rgba" and comp["Grade1"]["clamp_white"] is True
    comp.undo()
    assert comp["Grade1"]["clamp_white"] is False and rows["clamp_white"].check.isChecked() is False
    rows["mix"].spin.setValue(5.0)  # above the declared maximum: clamped by the spin box
    assert comp["Grade1"]["mix"] == 1.0


def test_a_slider_drag_is_one_undo_step(panel, comp):
    row = panel.open(comp["Grade1"]).rows["mix"]
    steps = len(comp.undo_stack._done)
    row.slider.sliderPressed.emit()
    for position in (100, 300, 700):
        row.slider.setValue(position)
    row.slider.sliderReleased.emit()
    assert comp["Grade1"]["mix"] == pytest.approx(0.7)
    assert len(comp.undo_stack._done) == steps + 1
    comp.undo()
    assert comp["Grade1"]["mix"] == 1.0


def test_keyframe_toggle_sets_and_removes_a_key_at_the_current_frame(panel, comp):
    grade = comp["Grade1"]
    row = panel.open(grade).rows["mix"]
    panel.set_frame(10)
    comp.current_frame = 10
    row.spin.setValue(0.4)
    row.key_button.click()
    assert grade.params["mix"].curves[0].keys[0].frame == 10
    assert "background-color" in row.spin.styleSheet()
    panel.set_frame(20)
    comp.current_frame = 20
    row.spin.setValue(0.8)  # on a keyed param a new value sets a key at the current frame
    assert [k.frame for k in grade.params["mix"].curves[0].keys] == [10, 20]
    panel.set_frame(15)
    assert row.spin.value() == pytest.approx(grade.value_at("mix", 15))
    panel.set_frame(20)
    row.key_button.click()
    assert [k.frame for k in grade.params["mix"].curves[0].keys] == [10]


def test_expression_entry_reset_and_remove_animation(panel, comp):
    grade = comp["Grade1"]
    row = panel.open(grade).rows["multiply"]
    row._open_expression()
    row.component_box.setCurrentIndex(2)  # g
    row.expression.setText("1 + frame / 10")
    row.expression.returnPressed.emit()
    assert grade.params["multiply"].expressions == {1: "1 + frame / 10"}
    row.expression.setText("nope(")
    row.expression.returnPressed.emit()
    assert grade.params["multiply"].expressions == {1: "1 + frame / 10"}  # refused, reported
    row.remove_animation()
    assert not grade.params["multiply"].is_animated and grade["multiply"][1] == pytest.approx(1.1)
    row.reset()
    assert grade["multiply"] == (1.0, 1.0, 1.0, 1.0)


def test_colour_picker_and_path_browser_use_the_prompts(panel, comp):
    panel.ask_colour = lambda current: (0.5, 0.25, 0.0)
    panel.ask_path = lambda current, saving: "/tmp/plate.####.exr" if saving else None
    panel.open(comp["Grade1"]).rows["gain"].pick()
    assert comp["Grade1"]["gain"] == (0.5, 0.25, 0.0, 1.0)
    panel.open(comp["Write1"]).rows["file"].browse()
    assert comp["Write1"]["file"] == "/tmp/plate.####.exr"


def test_several_nodes_stay_open_newest_on_top(panel, comp):
    blur = comp.add("Blur")
    for node in (comp["Constant1"], comp["Grade1"], comp["Write1"], blur):
        panel.open(node)
    assert [n.name for n in panel.open_nodes()] == ["Blur1", "Write1", "Grade1"]  # max_open = 3
    panel.open(comp["Grade1"])
    assert panel.open_nodes()[0].name == "Grade1"
    comp.remove(blur)
    assert "Blur1" not in [n.name for n in panel.open_nodes()]


def test_the_card_follows_the_document(qtbot, panel, comp):
    card = panel.open(comp["Grade1"])
    comp["Grade1"]["mix"] = 0.25  # from a script
    assert card.rows["mix"].spin.value() == 0.25
    card.name_edit.setText("Look")
    card.name_edit.editingFinished.emit()
    assert comp["Look"] is card.node
    comp.undo()
    assert card.name_edit.text() == "Grade1"
    messages = []
    panel.message.connect(messages.append)
    card.name_edit.setText("Write1")
    card.name_edit.editingFinished.emit()
    assert messages and card.name_edit.text() == "Grade1"


def test_action_buttons_ask_the_window_to_run_and_show_running_jobs(qtbot, panel, comp):
    assert panel.open(comp["Grade1"]).action_buttons == {}
    tracker = comp.add("Tracker", comp["Constant1"])
    panel.set_running(tracker, "track_forward", True)  # marked before its card opens
    card = panel.open(tracker)
    assert [b.text() for b in card.action_buttons.values()] == ["Track Forward (running…)", "Track Backward"]
    assert card.action_buttons["track_backward"].toolTip().startswith("Track the enabled features from the current")
    with qtbot.waitSignal(panel.action_requested) as blocker:
        card.action_buttons["track_backward"].click()
    assert blocker.args == [tracker, "track_backward"]
    panel.set_running(tracker, "track_forward", False)
    assert card.action_buttons["track_forward"].text() == "Track Forward"
