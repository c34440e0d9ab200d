"""Undo history shared by the scripting API and the UI.

Every document edit is a `Command` with `do`/`undo` callables; the UI's undo menu and a TD's
`doc.undo()` walk the same stack. Edits inside `UndoStack.macro()` undo as one step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from nodecomp.core.events import Signal


@dataclass
class Command:
    """One reversible edit."""

    label: str
    do: Callable[[], None]
    undo: Callable[[], None]


@dataclass
class _Macro:
    label: str
    commands: list[Command] = field(default_factory=list)

    def do(self) -> None:
        for command in self.commands:
            command.do()

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()


class UndoStack:
    """A linear history with a clean marker (for the unsaved-changes prompt)."""

    def __init__(self, limit: int = 1000) -> None:
        self._done: list[Command | _Macro] = []
        self._undone: list[Command | _Macro] = []
        self._open: list[_Macro] = []
        self._clean_index: int | None = 0
        self.limit = limit
        self.changed = Signal("undo_changed")

    def push(self, command: Command) -> None:
        """Run `command` and record it (inside an open macro, as part of that macro)."""
        command.do()
        if self._open:
            self._open[-1].commands.append(command)
            return
        self._record(command)

    def _record(self, entry: Command | _Macro) -> None:
        self._done.append(entry)
        self._undone.clear()
        if self._clean_index is not None and self._clean_index >= len(self._done):
            self._clean_index = None
        if len(self._done) > self.limit:
            self._done.pop(0)
            if self._clean_index is not None:
                self._clean_index = self._clean_index - 1 if self._clean_index > 0 else None
        self.changed.emit()

    @contextmanager
    def macro(self, label: str) -> Iterator[None]:
        """Group the edits made inside the block into one undo step; undone on an exception."""
        macro = _Macro(label)
        self._open.append(macro)
        try:
            yield
        except BaseException:
            self._open.pop()
            macro.undo()
            raise
        self._open.pop()
        if not macro.commands:
            return
        if self._open:
            self._open[-1].commands.append(macro)  # type: ignore[arg-type]
        else:
            self._record(macro)

    def undo(self) -> str | None:
        """Undo the last step; returns its label, or None when there is nothing to undo."""
        if not self._done:
            return None
        entry = self._done.pop()
        entry.undo()
        self._undone.append(entry)
        self.changed.emit()
        return entry.label

    def redo(self) -> str | None:
        """Redo the last undone step; returns its label, or None."""
        if not self._undone:
            return None
        entry = self._undone.pop()
        entry.do()
        self._done.append(entry)
        self.changed.emit()
        return entry.label

    @property
    def can_undo(self) -> bool:
        """True when there is a step to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """True when there is a step to redo."""
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        """Label of the step `undo` would revert."""
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        """Label of the step `redo` would apply."""
        return self._undone[-1].label if self._undone else None

    def set_clean(self) -> None:
        """Mark the current state as saved."""
        self._clean_index = len(self._done)
        self.changed.emit()

    def set_modified(self) -> None:
        """Mark the current state as unsaved (a recovered autosave differs from the file on disk)."""
        self._clean_index = None
        self.changed.emit()

    @property
    def is_clean(self) -> bool:
        """True when the document equals what was last saved."""
        return self._clean_index == len(self._done)

    def clear(self) -> None:
        """Forget the history (after loading a document)."""
        self._done.clear()
        self._undone.clear()
        self._clean_index = 0
        self.changed.emit()
