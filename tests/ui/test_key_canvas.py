"""The shared mouse and key handling, through a minimal canvas with one key per frame tick."""

import pytest
from PySide6 import QtCore

from nodecomp.ui.key_canvas import KeyCanvas
from nodecomp.ui.key_edits import KeyRef
from tests.ui.qt_helpers import drag, key, mouse, settle


class Strip(KeyCanvas):
    """The mix keys of one node drawn on a line at y = 50."""

    def __init__(self, node):
        super().__init__()
        self.node = node

    def refs(self):
        return [KeyRef(self.node, "mix", 0, k.frame) for k in self.node.params["mix"].curves[0].keys]

    def point(self, frame):
        return QtCore.QPointF(self.frames.to_px(frame), 50)

    def pick(self, pos):
        return {r for r in self.refs() if abs(self.frames.to_px(r.frame) - pos.x()) < 5 and abs(pos.y() - 50) < 5}

    def keys_in(self, band):
        return {r for r in self.refs() if band.contains(self.point(r.frame))}


@pytest.fixture
def strip(qtbot, comp):
    grade = comp["Grade1"]
    for frame, value in ((2, 0.1), (6, 0.5), (10, 0.9)):
        comp.set_key(grade, "mix", frame, value, interp="linear")
    comp.undo_stack.clear()
    widget = Strip(grade)
    widget.doc = comp
    widget.resize(400, 100)
    qtbot.addWidget(widget)
    yield widget
    widget.deleteLater()
    settle()


def frames(strip):
    return [r.frame for r in strip.refs()]


def test_a_drag_moves_the_selection_in_whole_frames_as_one_step(strip, comp):
    strip.select({KeyRef(strip.node, "mix", 0, 2.0), KeyRef(strip.node, "mix", 0, 6.0)})
    drag(strip, strip.point(6), strip.point(7.4) + QtCore.QPointF(0, 30))
    assert frames(strip) == [3.0, 7.0, 10.0]  # the value does not move: this canvas has no value axis
    assert strip.selection == {KeyRef(strip.node, "mix", 0, 3.0), KeyRef(strip.node, "mix", 0, 7.0)}
    comp.undo()
    assert frames(strip) == [2.0, 6.0, 10.0] and not comp.undo_stack.can_undo


def test_shift_toggles_a_box_adds_and_a_plain_click_picks_one(strip):
    mouse(strip, "press", strip.point(2), modifiers=QtCore.Qt.KeyboardModifier.ShiftModifier)
    mouse(strip, "press", strip.point(10), modifiers=QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert {r.frame for r in strip.selection} == {2.0, 10.0}
    mouse(strip, "press", strip.point(10), modifiers=QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert {r.frame for r in strip.selection} == {2.0}
    drag(strip, strip.point(5) + QtCore.QPointF(0, -20), strip.point(11) + QtCore.QPointF(0, 20),
         modifiers=QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert {r.frame for r in strip.selection} == {2.0, 6.0, 10.0}
    mouse(strip, "press", strip.point(6))
    mouse(strip, "release", strip.point(6))
    assert {r.frame for r in strip.selection} == {6.0}


def test_delete_escape_and_the_context_menu(strip, comp):
    mouse(strip, "press", strip.point(6))
    mouse(strip, "move", strip.point(8))
    assert frames(strip) == [2.0, 8.0, 10.0]
    key(strip, QtCore.Qt.Key.Key_Escape)
    assert frames(strip) == [2.0, 6.0, 10.0] and not comp.undo_stack.can_undo
    menu = strip.context_menu(strip.point(10))
    assert strip.selection == {KeyRef(strip.node, "mix", 0, 10.0)}
    assert [a.text() for a in menu.actions() if a.isChecked()] == ["Linear"]
    menu.deleteLater()
    key(strip, QtCore.Qt.Key.Key_Backspace)
    assert frames(strip) == [2.0, 6.0]


def test_scrub_and_pan(strip):
    asked = []
    strip.frame_requested.connect(asked.append)
    mouse(strip, "press", QtCore.QPointF(strip.frames.to_px(4), 5))
    mouse(strip, "move", QtCore.QPointF(strip.frames.to_px(5), 5))
    mouse(strip, "release", QtCore.QPointF(strip.frames.to_px(5), 5))
    assert asked == [4, 5]
    origin = strip.frames.origin
    drag(strip, QtCore.QPointF(100, 60), QtCore.QPointF(150, 60), button=QtCore.Qt.MouseButton.MiddleButton)
    assert strip.frames.origin == pytest.approx(origin - 5) and strip.navigated
