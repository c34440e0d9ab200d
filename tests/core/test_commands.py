import pytest

from nodecomp.core.commands import Command, UndoStack


class Box:
    """A value edited only through commands, with a log of what ran."""

    def __init__(self, stack: UndoStack) -> None:
        self.stack = stack
        self.value = 0
        self.log: list[str] = []

    def set(self, value: int) -> None:
        old = self.value

        def apply(v: int, what: str) -> None:
            self.value = v
            self.log.append(f"{what} {v}")

        self.stack.push(Command(f"set {value}", lambda: apply(value, "do"), lambda: apply(old, "undo")))


@pytest.fixture
def stack() -> UndoStack:
    return UndoStack()


@pytest.fixture
def box(stack) -> Box:
    return Box(stack)


def test_push_runs_and_records(stack, box):
    box.set(1)
    box.set(2)
    assert box.value == 2 and box.log == ["do 1", "do 2"]
    assert stack.can_undo and not stack.can_redo
    assert stack.undo_label == "set 2" and stack.redo_label is None


def test_undo_and_redo(stack, box):
    box.set(1)
    box.set(2)
    assert stack.undo() == "set 2" and box.value == 1
    assert stack.redo_label == "set 2"
    assert stack.undo() == "set 1" and box.value == 0
    assert stack.undo() is None and box.value == 0
    assert stack.redo() == "set 1" and box.value == 1
    assert stack.redo() == "set 2" and box.value == 2
    assert stack.redo() is None


def test_a_new_edit_clears_redo(stack, box):
    box.set(1)
    stack.undo()
    box.set(5)
    assert not stack.can_redo and stack.redo() is None and box.value == 5


def test_a_failing_command_is_not_recorded(stack):
    def boom():
        raise RuntimeError("nope")

    with pytest.raises(RuntimeError):
        stack.push(Command("bad", boom, lambda: None))
    assert not stack.can_undo


def test_limit_drops_the_oldest_steps():
    stack = UndoStack(limit=3)
    box = Box(stack)
    for value in range(1, 6):
        box.set(value)
    labels = []
    while stack.can_undo:
        labels.append(stack.undo())
    assert labels == ["set 5", "set 4", "set 3"]
    assert box.value == 2


def test_clean_marker(stack, box):
    assert stack.is_clean
    box.set(1)
    assert not stack.is_clean
    stack.set_clean()
    assert stack.is_clean
    box.set(2)
    assert not stack.is_clean
    stack.undo()
    assert stack.is_clean
    stack.undo()
    assert not stack.is_clean
    stack.redo()
    assert stack.is_clean


def test_clean_state_lost_when_its_branch_is_dropped(stack, box):
    box.set(1)
    box.set(2)
    stack.set_clean()
    stack.undo()
    box.set(3)  # the saved state (2) can no longer be reached
    assert not stack.is_clean
    stack.undo()
    assert not stack.is_clean
    stack.undo()
    assert not stack.is_clean


def test_clean_marker_survives_the_limit():
    stack = UndoStack(limit=2)
    box = Box(stack)
    box.set(1)
    stack.set_clean()
    box.set(2)
    stack.undo()
    assert stack.is_clean
    stack.redo()
    box.set(3)
    box.set(4)  # the clean step fell off the bottom of the history
    while stack.can_undo:
        stack.undo()
        assert not stack.is_clean


def test_clear(stack, box):
    box.set(1)
    stack.undo()
    stack.clear()
    assert not stack.can_undo and not stack.can_redo and stack.is_clean


def test_macro_undoes_as_one_step(stack, box):
    with stack.macro("several"):
        box.set(1)
        box.set(2)
        box.set(3)
    assert stack.undo_label == "several"
    assert stack.undo() == "several" and box.value == 0
    assert box.log[-3:] == ["undo 2", "undo 1", "undo 0"]  # reverse order
    assert stack.redo() == "several" and box.value == 3
    assert not stack.can_redo


def test_nested_macros_are_one_step(stack, box):
    with stack.macro("outer"):
        box.set(1)
        with stack.macro("inner"):
            box.set(2)
            with stack.macro("innermost"):
                box.set(3)
        box.set(4)
    assert stack.undo() == "outer" and box.value == 0
    assert not stack.can_undo
    stack.redo()
    assert box.value == 4


def test_empty_macro_records_nothing(stack):
    with stack.macro("nothing"):
        pass
    assert not stack.can_undo


def test_exception_inside_macro_reverts_it(stack, box):
    box.set(1)
    with pytest.raises(ValueError, match="halfway"):
        with stack.macro("broken"):
            box.set(2)
            box.set(3)
            raise ValueError("halfway")
    assert box.value == 1
    assert stack.undo_label == "set 1"
    stack.undo()
    assert not stack.can_undo


def test_exception_in_nested_macro_reverts_everything_it_propagates_through(stack, box):
    with pytest.raises(KeyError):
        with stack.macro("outer"):
            box.set(1)
            with stack.macro("inner"):
                box.set(2)
                raise KeyError("x")
    assert box.value == 0 and not stack.can_undo


def test_caught_exception_in_inner_macro_keeps_the_outer_edits(stack, box):
    with stack.macro("outer"):
        box.set(1)
        try:
            with stack.macro("inner"):
                box.set(2)
                raise RuntimeError("inner fails")
        except RuntimeError:
            pass
        box.set(3)
    assert box.value == 3
    stack.undo()
    assert box.value == 0
    stack.redo()
    assert box.value == 3 and "do 2" in box.log


def test_changed_signal(stack, box):
    calls = []
    stack.changed.connect(lambda: calls.append(stack.undo_label))
    box.set(1)
    with stack.macro("m"):
        box.set(2)
        box.set(3)
    assert calls == ["set 1", "m"]  # once per step, not per command in a macro
    stack.undo()
    stack.redo()
    stack.set_clean()
    stack.clear()
    assert len(calls) == 6


def test_set_modified_marks_the_state_unsaved(stack, box):
    stack.set_clean()
    assert stack.is_clean
    stack.set_modified()
    assert not stack.is_clean
    stack.set_clean()
    assert stack.is_clean
