import pytest
from PySide6 import QtCore

from nodecomp.core.curves import Interp
from nodecomp.ui.curve_editor import CurveEditor
from nodecomp.ui.key_edits import KeyRef
from tests.ui.qt_helpers import drag, key, mouse, settle

CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def grade(comp):
    node = comp["Grade1"]
    comp.set_key(node, "mix", 1, 0.2, interp="linear")
    comp.set_key(node, "mix", 11, 0.8, interp="linear")
    comp.undo_stack.clear()
    return node


@pytest.fixture
def editor(qtbot, comp, grade):
    widget = CurveEditor()
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.set_document(comp)
    widget.set_nodes([grade])
    widget.show()
    qtbot.waitExposed(widget)
    widget.canvas.fit()
    yield widget
    widget.deleteLater()
    settle()


def mix_frames(grade):
    return [k.frame for k in grade.params["mix"].curves[0].keys]


def test_keys_of_an_animated_param_are_shown(editor, grade):
    top = editor.tree.topLevelItem(0)
    assert top.text(0) == "Grade1" and top.child(0).text(0) == "Mix"
    assert [c.label for c in editor.canvas.channels] == ["Grade1.mix"]
    for frame, value in ((1, 0.2), (11, 0.8)):
        pos = editor.canvas.key_position(KeyRef(grade, "mix", 0, frame))
        assert pos == editor.canvas.to_screen(frame, value)
        assert editor.canvas.plot_rect().contains(pos)  # framed: both keys are in view


def test_a_key_set_elsewhere_appears_at_once_and_undo_takes_it_away(editor, comp, grade):
    comp.set_key(grade, "multiply", 6, 1.5, component=1)  # as the properties panel does
    assert [c.label for c in editor.canvas.channels] == ["Grade1.multiply.g", "Grade1.mix"]
    assert editor.canvas.key_position(KeyRef(grade, "multiply", 1, 6.0)) is not None
    comp.undo()
    assert [c.label for c in editor.canvas.channels] == ["Grade1.mix"]


def test_dragging_a_key_changes_the_curve_in_one_undo_step(editor, comp, grade):
    canvas = editor.canvas
    start = canvas.key_position(KeyRef(grade, "mix", 0, 11.0))
    end = canvas.to_screen(16.3, 0.9)  # snaps to frame 16
    drag(canvas, start, end)
    assert mix_frames(grade) == [1.0, 16.0]
    assert grade.value_at("mix", 16) == pytest.approx(0.9, abs=0.01)
    assert canvas.selection == {KeyRef(grade, "mix", 0, 16.0)}
    assert comp.undo_stack.undo_label == "Move keys"
    comp.undo()
    assert mix_frames(grade) == [1.0, 11.0] and grade.value_at("mix", 11) == 0.8
    assert not comp.undo_stack.can_undo  # the whole drag was one step
    assert canvas.selection == set()  # the moved key is gone, so is its selection


def test_box_and_shift_select_then_delete(editor, comp, grade):
    canvas = editor.canvas
    first = canvas.key_position(KeyRef(grade, "mix", 0, 1.0))
    second = canvas.key_position(KeyRef(grade, "mix", 0, 11.0))
    mouse(canvas, "press", first)
    mouse(canvas, "release", first)
    assert canvas.selection == {KeyRef(grade, "mix", 0, 1.0)}
    mouse(canvas, "press", second, modifiers=SHIFT)
    mouse(canvas, "release", second, modifiers=SHIFT)
    assert len(canvas.selection) == 2
    mouse(canvas, "press", second)
    mouse(canvas, "release", second)  # a plain click picks one key of the selection
    assert canvas.selection == {KeyRef(grade, "mix", 0, 11.0)}
    mouse(canvas, "press", first, modifiers=SHIFT)
    assert len(canvas.selection) == 2
    mouse(canvas, "press", second, modifiers=SHIFT)  # shift-click again deselects
    assert canvas.selection == {KeyRef(grade, "mix", 0, 1.0)}
    empty = canvas.to_screen(6, 0.75)
    mouse(canvas, "press", empty)
    mouse(canvas, "release", empty)
    assert canvas.selection == set()
    drag(canvas, first + QtCore.QPointF(-15, 15), second + QtCore.QPointF(15, -15))
    assert len(canvas.selection) == 2
    key(canvas, QtCore.Qt.Key.Key_Delete)
    assert not grade.params["mix"].is_animated and grade["mix"] == pytest.approx(0.8)
    assert comp.undo_stack.undo_label == "Delete keys"
    comp.undo()
    assert mix_frames(grade) == [1.0, 11.0]


def test_double_click_and_ctrl_click_add_keys_on_the_curve(editor, comp, grade):
    canvas = editor.canvas
    mouse(canvas, "double", canvas.to_screen(6, 0.5))
    assert mix_frames(grade) == [1.0, 6.0, 11.0]
    assert grade.params["mix"].curves[0].key_at(6).value == pytest.approx(0.5)
    assert canvas.selection == {KeyRef(grade, "mix", 0, 6.0)}
    mouse(canvas, "press", canvas.to_screen(8.2, 0.62), modifiers=CTRL)
    assert mix_frames(grade) == [1.0, 6.0, 8.0, 11.0]
    assert grade.value_at("mix", 9.5) == pytest.approx(0.71)  # the line keeps its shape
    messages = []
    editor.message.connect(messages.append)
    mouse(canvas, "double", canvas.to_screen(3, 0.75))  # far from any curve
    assert len(mix_frames(grade)) == 4 and messages


def test_interpolation_from_the_context_menu_and_the_buttons(editor, comp, grade):
    canvas = editor.canvas
    menu = canvas.context_menu(canvas.key_position(KeyRef(grade, "mix", 0, 1.0)))
    actions = {a.text(): a for a in menu.actions()}
    assert actions["Linear"].isChecked() and actions["Constant"].isEnabled()
    actions["Constant"].trigger()
    menu.deleteLater()
    assert grade.value_at("mix", 6) == pytest.approx(0.2)
    comp.undo()
    assert grade.value_at("mix", 6) == pytest.approx(0.5)
    editor.interp_buttons[Interp.SMOOTH].click()
    assert grade.params["mix"].curves[0].keys[0].interp is Interp.SMOOTH
    assert grade.value_at("mix", 6) == pytest.approx(0.5)  # symmetric: smooth meets linear halfway
    assert grade.value_at("mix", 3) < 0.32  # but eases out of the first key
    assert comp.undo_stack.undo_label == "Set interpolation to smooth"


def test_escape_cancels_a_drag_without_an_undo_step(editor, comp, grade):
    canvas = editor.canvas
    start = canvas.key_position(KeyRef(grade, "mix", 0, 1.0))
    mouse(canvas, "press", start)
    mouse(canvas, "move", canvas.to_screen(4, 0.5))
    assert mix_frames(grade) == [4.0, 11.0]
    key(canvas, QtCore.Qt.Key.Key_Escape)
    mouse(canvas, "release", canvas.to_screen(4, 0.5))
    assert mix_frames(grade) == [1.0, 11.0] and not comp.undo_stack.can_undo


def test_the_tree_picks_the_curves_shown(editor, comp, grade):
    comp.set_key(grade, "multiply", 3, (1.0, 1.2, 1.4, 1.0))
    assert len(editor.canvas.channels) == 5
    node_item = editor.tree.topLevelItem(0)
    multiply = node_item.child(0)
    multiply.child(2).setSelected(True)
    assert [c.label for c in editor.canvas.channels] == ["Grade1.multiply.b"]
    node_item.setSelected(True)
    assert len(editor.canvas.channels) == 5


def test_ruler_scrub_and_the_current_frame_line(editor):
    canvas = editor.canvas
    frames = []
    editor.frame_requested.connect(frames.append)
    mouse(canvas, "press", QtCore.QPointF(canvas.frames.to_px(7), 5))
    mouse(canvas, "move", QtCore.QPointF(canvas.frames.to_px(9), 5))
    mouse(canvas, "release", QtCore.QPointF(canvas.frames.to_px(9), 5))
    assert frames == [7, 9]
    editor.set_frame(9)
    assert canvas.frame == 9


def test_zoom_and_pan_then_fit(editor, grade):
    canvas = editor.canvas
    before = canvas.frames.scale
    mouse(canvas, "press", QtCore.QPointF(400, 200), button=QtCore.Qt.MouseButton.MiddleButton)
    mouse(canvas, "move", QtCore.QPointF(450, 200), button=QtCore.Qt.MouseButton.MiddleButton)
    mouse(canvas, "release", QtCore.QPointF(450, 200), button=QtCore.Qt.MouseButton.MiddleButton)
    assert canvas.navigated and canvas.frames.scale == before
    key(canvas, QtCore.Qt.Key.Key_Home)
    assert not canvas.navigated
    assert canvas.plot_rect().contains(canvas.key_position(KeyRef(grade, "mix", 0, 1.0)))


def test_a_deleted_node_leaves_the_editor_and_comes_back_with_undo(editor, comp, grade):
    comp.remove(grade)
    assert editor.canvas.channels == [] and editor.tree.topLevelItemCount() == 0
    comp.undo()
    assert [c.label for c in editor.canvas.channels] == ["Grade1.mix"]


def test_the_readout_names_the_selected_key(editor, comp, grade):
    assert "Double-click" in editor.readout.text()
    canvas = editor.canvas
    mouse(canvas, "press", canvas.key_position(KeyRef(grade, "mix", 0, 11.0)))
    mouse(canvas, "release", canvas.key_position(KeyRef(grade, "mix", 0, 11.0)))
    assert editor.readout.text().split() == ["Grade1.mix", "frame", "11", "value", "0.8", "linear"]
    comp.move_keys(grade, "mix", {11: 12}, values={11: 0.75})  # a script's edit: the readout follows
    canvas.select({KeyRef(grade, "mix", 0, 12.0)})
    comp.set_key_interp(grade, "mix", [12], "cubic")
    assert editor.readout.text().split() == ["Grade1.mix", "frame", "12", "value", "0.75", "cubic"]
    canvas.select({KeyRef(grade, "mix", 0, 12.0), KeyRef(grade, "mix", 0, 1.0)})
    assert editor.readout.text() == "2 keys selected"


@pytest.fixture
def cubic(comp, grade):
    """mix keyed 0.2 at 1, 0.5 at 6, 0.8 at 11, every segment cubic (slopes automatic)."""
    comp.set_key(grade, "mix", 6, 0.5, interp="cubic")
    comp.set_key_interp(grade, "mix", [1, 11], "cubic")
    comp.undo_stack.clear()
    return grade


def select_key(canvas, ref):
    mouse(canvas, "press", canvas.key_position(ref))
    mouse(canvas, "release", canvas.key_position(ref))


def test_a_selected_cubic_key_shows_handles_along_its_slopes(editor, cubic):
    canvas = editor.canvas
    middle = KeyRef(cubic, "mix", 0, 6.0)
    assert canvas.handles() == []  # nothing selected
    select_key(canvas, middle)
    handles = {side: (centre, end) for _ref, side, centre, end in canvas.handles()}
    assert set(handles) == {"in", "out"}
    centre, end = handles["out"]
    assert centre == canvas.key_position(middle)
    # the automatic slope at 6 is (0.8 - 0.2) / 10 = 0.06 per frame: the handle points along it
    slope = (canvas.values.to_unit(end.y()) - 0.5) / (canvas.frames.to_unit(end.x()) - 6)
    assert slope == pytest.approx(0.06)
    assert handles["in"][1].x() < centre.x() < end.x()
    select_key(canvas, KeyRef(cubic, "mix", 0, 1.0))
    assert [side for _r, side, _c, _e in canvas.handles()] == ["out"]  # nothing arrives at the first key
    editor.interp_buttons[Interp.LINEAR].click()
    assert canvas.handles() == []  # a linear segment has no tangent


def test_dragging_a_handle_sets_both_slopes_in_one_undo_step(editor, comp, cubic):
    canvas = editor.canvas
    middle = KeyRef(cubic, "mix", 0, 6.0)
    select_key(canvas, middle)
    end = next(e for _r, side, _c, e in canvas.handles() if side == "out")
    drag(canvas, end, canvas.to_screen(8, 0.5))  # level: slope 0
    key = cubic.params["mix"].curves[0].key_at(6)
    assert key.in_slope == pytest.approx(0.0, abs=1e-9) and key.out_slope == pytest.approx(0.0, abs=1e-9)
    assert key.value == 0.5 and canvas.selection == {middle}
    assert comp.undo_stack.undo_label == "Change tangent"
    comp.undo()
    assert cubic.params["mix"].curves[0].key_at(6).out_slope is None
    assert not comp.undo_stack.can_undo  # the whole drag was one step


def test_ctrl_drag_breaks_the_tangent_and_esc_cancels(editor, comp, cubic):
    canvas = editor.canvas
    select_key(canvas, KeyRef(cubic, "mix", 0, 6.0))
    end = next(e for _r, side, _c, e in canvas.handles() if side == "in")
    drag(canvas, end, canvas.to_screen(4, 0.7), modifiers=CTRL)  # up and back: slope -0.1
    stored = cubic.params["mix"].curves[0].key_at(6)
    assert stored.in_slope == pytest.approx(-0.1, rel=0.05)
    assert stored.out_slope == pytest.approx(0.06)  # the other side keeps what it showed
    comp.undo()
    end = next(e for _r, side, _c, e in canvas.handles() if side == "out")
    mouse(canvas, "press", end)
    mouse(canvas, "move", canvas.to_screen(2, 0.9))  # behind the key: the out handle stays ahead of it
    assert cubic.params["mix"].curves[0].key_at(6).out_slope > 1
    key(canvas, QtCore.Qt.Key.Key_Escape)
    mouse(canvas, "release", canvas.to_screen(2, 0.9))
    assert cubic.params["mix"].curves[0].key_at(6).out_slope is None and not comp.undo_stack.can_undo


def type_into(field, text):
    field.setFocus()
    field.selectAll()
    field.insert(text)  # as typed: the field is marked modified
    key(field, QtCore.Qt.Key.Key_Return)


def test_typed_frame_and_value_move_the_selected_key_in_one_undo_step(editor, comp, grade):
    canvas, entry = editor.canvas, editor.readout
    assert not entry.frame.isVisibleTo(editor)  # no key selected: only the hint
    select_key(canvas, KeyRef(grade, "mix", 0, 11.0))
    assert entry.frame.text() == "11" and entry.value.text() == "0.8"
    type_into(entry.value, "0.65")
    assert mix_frames(grade) == [1.0, 11.0] and grade.value_at("mix", 11) == pytest.approx(0.65)
    assert comp.undo_stack.undo_label == "Set Grade1.mix"
    type_into(entry.frame, "14")
    assert mix_frames(grade) == [1.0, 14.0] and grade.value_at("mix", 14) == pytest.approx(0.65)
    assert canvas.selection == {KeyRef(grade, "mix", 0, 14.0)} and entry.frame.text() == "14"
    comp.undo()
    assert mix_frames(grade) == [1.0, 11.0]
    comp.undo()
    assert grade.value_at("mix", 11) == pytest.approx(0.8) and not comp.undo_stack.can_undo


def test_a_refused_typed_value_gives_the_documents_message(editor, comp, grade):
    canvas, entry = editor.canvas, editor.readout
    messages = []
    editor.message.connect(messages.append)
    select_key(canvas, KeyRef(grade, "mix", 0, 11.0))
    type_into(entry.value, "3")  # mix stops at 1
    assert messages and "above the maximum" in messages[-1] and "Grade1.mix" in messages[-1]
    assert entry.value.text() == "3"  # kept, to be corrected
    type_into(entry.frame, "soon")
    assert "key frame must be a finite number" in messages[-1]
    assert grade.value_at("mix", 11) == pytest.approx(0.8) and not comp.undo_stack.can_undo
    key(entry.value, QtCore.Qt.Key.Key_Escape)
    key(entry.frame, QtCore.Qt.Key.Key_Escape)
    assert (entry.frame.text(), entry.value.text()) == ("11", "0.8")  # Esc puts the key's numbers back
