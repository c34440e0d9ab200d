import pytest
from PySide6 import QtCore

from nodecomp.ui.dope_sheet import LABEL_WIDTH, DopeSheet
from nodecomp.ui.key_edits import KeyRef
from tests.ui.qt_helpers import drag, key, mouse, settle

SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def grade(comp):
    node = comp["Grade1"]
    for frame, value in ((1, 0.2), (5, 0.4), (11, 0.8)):
        comp.set_key(node, "mix", frame, value, interp="linear")
    comp.set_key(node, "multiply", 5, (1.0, 1.5, 2.0, 1.0))
    comp.set_key(node, "multiply", 20, 1.2, component=0)
    comp.undo_stack.clear()
    return node


@pytest.fixture
def sheet(qtbot, comp, grade):
    widget = DopeSheet()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_document(comp)
    widget.set_nodes([grade, comp["Constant1"]])
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit()
    yield widget
    widget.deleteLater()
    settle()


def frames(node, param, component=0):
    return [k.frame for k in node.params[param].curves[component].keys]


def row_of(sheet, label):
    return next(i for i, row in enumerate(sheet.rows) if row.label == label)


def test_a_row_per_keyed_param_with_a_tick_per_key(sheet):
    assert [row.label for row in sheet.rows] == ["Grade1", "Multiply", "Mix"]  # Constant1 has no keys
    assert sheet.rows[row_of(sheet, "Multiply")].frames() == [5.0, 20.0]
    assert sheet.rows[row_of(sheet, "Grade1")].frames() == [1.0, 5.0, 11.0, 20.0]
    mix = row_of(sheet, "Mix")
    assert sheet.tick_at(sheet.tick_position(mix, 5)) == (mix, 5.0)


def test_dragging_several_keys_shifts_them_in_one_undo_step(sheet, comp, grade):
    mix = row_of(sheet, "Mix")
    mouse(sheet, "press", sheet.tick_position(mix, 1))
    mouse(sheet, "release", sheet.tick_position(mix, 1))
    mouse(sheet, "press", sheet.tick_position(mix, 5), modifiers=SHIFT)
    mouse(sheet, "release", sheet.tick_position(mix, 5), modifiers=SHIFT)
    assert sheet.selection == {KeyRef(grade, "mix", None, 1.0), KeyRef(grade, "mix", None, 5.0)}
    start = sheet.tick_position(mix, 5)
    drag(sheet, start, QtCore.QPointF(sheet.frames.to_px(7.8), start.y()))  # +3 frames, snapped
    assert frames(grade, "mix") == [4.0, 8.0, 11.0]
    assert grade.value_at("mix", 8) == pytest.approx(0.4)
    assert frames(grade, "multiply") == [5.0, 20.0]  # other rows stay
    assert sheet.selection == {KeyRef(grade, "mix", None, 4.0), KeyRef(grade, "mix", None, 8.0)}
    assert comp.undo_stack.undo_label == "Move keys"
    comp.undo()
    assert frames(grade, "mix") == [1.0, 5.0, 11.0] and not comp.undo_stack.can_undo


def test_a_summary_tick_moves_every_param_keyed_there(sheet, comp, grade):
    summary = row_of(sheet, "Grade1")
    start = sheet.tick_position(summary, 5)
    drag(sheet, start, QtCore.QPointF(sheet.frames.to_px(2), start.y()))
    assert frames(grade, "mix") == [1.0, 2.0, 11.0]
    assert [frames(grade, "multiply", c) for c in range(4)] == [[2.0, 20.0], [2.0], [2.0], [2.0]]
    comp.undo()
    assert frames(grade, "mix") == [1.0, 5.0, 11.0] and frames(grade, "multiply", 2) == [5.0]


def test_select_a_row_or_a_box_and_delete(sheet, comp, grade):
    mix = row_of(sheet, "Mix")
    mouse(sheet, "press", QtCore.QPointF(LABEL_WIDTH / 2, sheet.tick_position(mix, 1).y()))
    assert len(sheet.selection) == 3
    key(sheet, QtCore.Qt.Key.Key_Delete)
    assert not grade.params["mix"].is_animated and sheet.selection == set()
    assert [row.label for row in sheet.rows] == ["Grade1", "Multiply"]
    comp.undo()
    assert frames(grade, "mix") == [1.0, 5.0, 11.0]
    multiply = row_of(sheet, "Multiply")
    top_left = sheet.tick_position(multiply, 4) + QtCore.QPointF(0, -8)
    bottom_right = sheet.tick_position(row_of(sheet, "Mix"), 6) + QtCore.QPointF(0, 8)
    drag(sheet, top_left, bottom_right)
    assert sheet.selection == {KeyRef(grade, "multiply", None, 5.0), KeyRef(grade, "mix", None, 5.0)}
    key(sheet, QtCore.Qt.Key.Key_Backspace)
    assert frames(grade, "mix") == [1.0, 11.0] and frames(grade, "multiply") == [20.0]
    assert not grade.params["multiply"].curves.get(1)
    assert comp.undo_stack.undo_label == "Delete keys"


def test_interpolation_from_the_context_menu(sheet, comp, grade):
    mix = row_of(sheet, "Mix")
    menu = sheet.context_menu(sheet.tick_position(mix, 1))
    next(a for a in menu.actions() if a.text() == "Constant").trigger()
    menu.deleteLater()
    assert grade.value_at("mix", 4) == pytest.approx(0.2)


def test_follows_the_document(sheet, comp, grade):
    comp.set_key(grade, "gamma", 30, 1.5)
    assert [row.label for row in sheet.rows] == ["Grade1", "Multiply", "Gamma", "Mix"]
    comp.undo()
    assert [row.label for row in sheet.rows] == ["Grade1", "Multiply", "Mix"]
    frames_asked = []
    sheet.frame_requested.connect(frames_asked.append)
    mouse(sheet, "press", QtCore.QPointF(sheet.frames.to_px(12), 5))
    mouse(sheet, "release", QtCore.QPointF(sheet.frames.to_px(12), 5))
    assert frames_asked == [12]


CTRL = QtCore.Qt.KeyboardModifier.ControlModifier


def test_double_click_in_a_row_keys_the_param_where_it_is(sheet, comp, grade):
    mix = row_of(sheet, "Mix")
    mouse(sheet, "double", QtCore.QPointF(sheet.frames.to_px(8.2), sheet.tick_position(mix, 1).y()))
    assert frames(grade, "mix") == [1.0, 5.0, 8.0, 11.0]
    assert grade.params["mix"].curves[0].key_at(8).value == pytest.approx(0.6)  # on the line from 0.4 to 0.8
    assert grade.params["mix"].curves[0].key_at(8).interp == "linear"
    assert sheet.selection == {KeyRef(grade, "mix", None, 8.0)}
    assert comp.undo_stack.undo_label == "Add key"
    comp.undo()
    assert frames(grade, "mix") == [1.0, 5.0, 11.0] and not comp.undo_stack.can_undo
    mouse(sheet, "double", sheet.tick_position(mix, 5))  # on a tick: nothing is added
    assert frames(grade, "mix") == [1.0, 5.0, 11.0] and not comp.undo_stack.can_undo


def test_ctrl_click_keys_every_keyed_component_and_a_summary_row_every_param(sheet, comp, grade):
    multiply = row_of(sheet, "Multiply")
    before = grade.value_at("multiply", 10)
    mouse(sheet, "press", QtCore.QPointF(sheet.frames.to_px(10), sheet.tick_position(multiply, 5).y()), modifiers=CTRL)
    mouse(sheet, "release", QtCore.QPointF(sheet.frames.to_px(10), sheet.tick_position(multiply, 5).y()))
    assert [frames(grade, "multiply", c) for c in range(4)] == [[5.0, 10.0, 20.0], [5.0, 10.0], [5.0, 10.0],
                                                                 [5.0, 10.0]]
    assert grade.value_at("multiply", 10) == pytest.approx(before)
    assert frames(grade, "mix") == [1.0, 5.0, 11.0]
    comp.undo()
    summary = row_of(sheet, "Grade1")
    mouse(sheet, "double", QtCore.QPointF(sheet.frames.to_px(15), sheet.tick_position(summary, 5).y()))
    assert frames(grade, "mix") == [1.0, 5.0, 11.0, 15.0] and grade.value_at("mix", 15) == pytest.approx(0.8)
    assert frames(grade, "multiply", 2) == [5.0, 15.0]
    assert sheet.selection == {KeyRef(grade, "mix", None, 15.0), KeyRef(grade, "multiply", None, 15.0)}
    comp.undo()
    assert frames(grade, "mix") == [1.0, 5.0, 11.0] and frames(grade, "multiply", 2) == [5.0]
