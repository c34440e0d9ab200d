"""The open document and its file life: new, open, save, save as, recent files, autosave, recovery.

Questions to the user (save changes? recover the autosave? which file?) go through a
`Prompts` object handed in, so the app shows dialogs while tests and scripts answer in code.
Autosave follows `nodecomp.core.autosave`: a QTimer calls `Autosaver.tick()`, which writes the
side file (`shot.ncomp.autosave`) only when the document changed and the interval passed; a
real save removes it. Opening a file whose side file is newer offers to recover it.
"""

from __future__ import annotations

import logging
import os
from typing import Protocol

from PySide6 import QtCore

from nodecomp.core.autosave import Autosaver, discard_autosave, find_recovery, list_untitled_recoveries
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.fileformat import load_document, save_document
from nodecomp.core.registry import NodeRegistry

log = logging.getLogger(__name__)

MAX_RECENT = 10
DEFAULT_AUTOSAVE_MINUTES = 5.0
AUTOSAVE_TICK_MS = 5000


class Prompts(Protocol):
    """How the session asks the user; answers in code for tests and scripts."""

    def unsaved(self, name: str) -> str:
        """`"save"`, `"discard"` or `"cancel"` for a document with unsaved changes."""

    def recover(self, path: str, autosave: str) -> bool:
        """True to open the newer autosave instead of the file."""

    def open_path(self) -> str | None:
        """A file to open, or None."""

    def save_path(self, suggested: str) -> str | None:
        """Where to save, or None."""

    def error(self, message: str) -> None:
        """Tell the user something failed."""


class DocumentSession(QtCore.QObject):
    """Owns the open Document and everything about its file.

    Args:
        registry: node types for new and opened documents.
        settings: where recent files are kept (a QSettings).
        prompts: how to ask the user.
        autosave_seconds: autosave interval (default 5 minutes; 0 switches autosave off).

    Signals:
        document_changed(Document): a new document replaced the old one.
        state_changed(): the title or the modified flag changed.
    """

    document_changed = QtCore.Signal(object)
    state_changed = QtCore.Signal()

    def __init__(self, registry: NodeRegistry, settings: QtCore.QSettings, prompts: Prompts,
                 autosave_seconds: float | None = None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.settings = settings
        self.prompts = prompts
        self.autosave_seconds = DEFAULT_AUTOSAVE_MINUTES * 60 if autosave_seconds is None else autosave_seconds
        self.doc = Document(registry)
        self.autosaver = Autosaver(self.doc, self.autosave_seconds)
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self.autosave_tick)
        self.set_autosave_seconds(self.autosave_seconds)
        self.doc.events.changed.connect(self._on_changed)

    def set_autosave_seconds(self, seconds: float) -> None:
        """Change the autosave interval of the running session; 0 (or less) switches it off."""
        self.autosave_seconds = max(0.0, float(seconds))
        self.autosaver.interval_s = self.autosave_seconds
        if self.autosave_seconds <= 0:
            self.timer.stop()
            return
        self.timer.setInterval(min(AUTOSAVE_TICK_MS, max(10, int(self.autosave_seconds * 1000 / 2))))
        self.timer.start()

    # --------------------------------------------------------------- state
    @property
    def title(self) -> str:
        """`shot.ncomp*` (a star while there are unsaved changes)."""
        name = os.path.basename(self.doc.path) if self.doc.path else "untitled"
        return name + ("*" if self.doc.modified else "")

    def recent(self) -> list[str]:
        """Recently opened or saved files, newest first."""
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember(self, path: str) -> None:
        path = os.path.abspath(path)
        files = [path] + [p for p in self.recent() if p != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self.settings.sync()

    def _on_changed(self) -> None:
        self.state_changed.emit()

    def _replace(self, doc: Document) -> None:
        self.doc.events.changed.disconnect(self._on_changed)
        self.autosaver.close()
        self.doc = doc
        self.autosaver = Autosaver(doc, self.autosave_seconds)
        doc.events.changed.connect(self._on_changed)
        self.document_changed.emit(doc)
        self.state_changed.emit()

    def autosave_tick(self) -> str | None:
        """Write the autosave if due (the timer calls this)."""
        try:
            return self.autosaver.tick()
        except OSError as exc:
            log.warning("autosave failed: %s", exc)
            return None

    # ------------------------------------------------------------- actions
    def maybe_close(self) -> bool:
        """Ask about unsaved changes; True when the document may be replaced or closed."""
        if not self.doc.modified:
            return True
        answer = self.prompts.unsaved(self.title.rstrip("*"))
        if answer == "save":
            return self.save()
        if answer == "discard":
            discard_autosave(self.doc)
            return True
        return False

    def set_document(self, doc: Document) -> bool:
        """Show a document made in code (after the unsaved-changes question)."""
        if not self.maybe_close():
            return False
        self._replace(doc)
        return True

    def new(self) -> bool:
        """Start an empty document (after the unsaved-changes question)."""
        if not self.maybe_close():
            return False
        self._replace(Document(self.registry))
        return True

    def open(self, path: str | None = None) -> bool:
        """Open a file (asking which when `path` is None), offering a newer autosave."""
        if not self.maybe_close():
            return False
        path = path or self.prompts.open_path()
        if not path:
            return False
        path = os.path.abspath(path)
        side = find_recovery(path)
        try:
            if side is not None and self.prompts.recover(path, side):
                doc = load_document(side, self.registry, recover=True)
                doc.path = path
                doc.name = os.path.splitext(os.path.basename(path))[0]
                doc.undo_stack.set_modified()
            else:
                doc = load_document(path, self.registry, recover=True)
        except NodecompError as exc:
            self.prompts.error(str(exc))
            return False
        if doc.load_problems:
            self.prompts.error("Some of the file could not be read and was left out:\n" + "\n".join(doc.load_problems))
        self._remember(path)
        self._replace(doc)
        return True

    def recover_untitled(self) -> bool:
        """Offer the newest autosave of a never-saved document (after a crash); True if taken."""
        found = list_untitled_recoveries()
        if not found or not self.prompts.recover("an untitled comp", found[0]):
            return False
        try:
            doc = load_document(found[0], self.registry, recover=True)
        except NodecompError as exc:
            self.prompts.error(str(exc))
            return False
        doc.path = None
        doc.undo_stack.set_modified()
        os.unlink(found[0])  # its content is in the open document now, autosaved under a new name
        self._replace(doc)
        return True

    def save(self) -> bool:
        """Save to the document's file (asking where when it has none)."""
        if not self.doc.path:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self, path: str | None = None) -> bool:
        """Save under a new name."""
        suggested = self.doc.path or os.path.join(os.getcwd(), "untitled.ncomp")
        path = path or self.prompts.save_path(suggested)
        if not path:
            return False
        if not path.endswith(".ncomp"):
            path += ".ncomp"
        return self._save_to(os.path.abspath(path))

    def _save_to(self, path: str) -> bool:
        old_path = self.doc.path
        try:
            save_document(self.doc, path)
        except NodecompError as exc:
            self.prompts.error(str(exc))
            return False
        if old_path != path:
            self.doc.name = os.path.splitext(os.path.basename(path))[0]
        discard_autosave(self.doc)  # a recovered autosave, written by a process that died, goes too
        self._remember(path)
        self.state_changed.emit()
        return True

    def shutdown(self) -> None:
        """Stop the autosave timer (the window is closing)."""
        self.timer.stop()
        self.autosaver.close()
