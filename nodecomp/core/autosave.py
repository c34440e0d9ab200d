"""Autosave: a side file written every few minutes, offered for recovery after a crash.

The app calls `Autosaver.tick()` from a timer; nothing here starts threads. A saved document's
autosave sits beside it (`shot.ncomp.autosave`); an untitled one goes to the user's autosave
folder. Saving the document for real removes the side file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from nodecomp.core.document import Document
from nodecomp.core.fileformat import dumps, write_atomically

AUTOSAVE_SUFFIX = ".autosave"


def autosave_dir() -> str:
    """Where untitled documents autosave (`NODECOMP_AUTOSAVE_DIR`, else the user cache folder)."""
    base = os.environ.get("NODECOMP_AUTOSAVE_DIR")
    if not base:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(cache, "nodecomp", "autosave")
    return base


def autosave_path(doc: Document) -> str:
    """The side file for `doc`."""
    if doc.path:
        return doc.path + AUTOSAVE_SUFFIX
    return os.path.join(autosave_dir(), f"untitled-{id(doc):x}.ncomp{AUTOSAVE_SUFFIX}")


def write_autosave(doc: Document) -> str:
    """Write the side file atomically, without touching the document's clean state."""
    path = autosave_path(doc)
    write_atomically(path, dumps(doc))
    return path


def discard_autosave(doc: Document) -> None:
    """Remove the side file (after a real save or a clean close)."""
    _remove(autosave_path(doc))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def find_recovery(path: str) -> str | None:
    """The autosave of the document at `path` if it is newer than the document, else None."""
    side = path + AUTOSAVE_SUFFIX
    if not os.path.exists(side):
        return None
    if os.path.exists(path) and os.path.getmtime(side) <= os.path.getmtime(path):
        return None
    return side


def list_untitled_recoveries() -> list[str]:
    """Autosaves of documents that were never saved, newest first."""
    folder = autosave_dir()
    if not os.path.isdir(folder):
        return []
    files = [os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(AUTOSAVE_SUFFIX)]
    return sorted(files, key=os.path.getmtime, reverse=True)


class Autosaver:
    """Writes the side file when the document changed and `interval_s` has passed since the last one."""

    def __init__(self, doc: Document, interval_s: float = 300.0, clock: Callable[[], float] = time.monotonic):
        self.doc = doc
        self.interval_s = interval_s
        self._clock = clock
        self._last = clock()
        self._dirty = doc.modified  # edits made before the autosaver was attached count too
        self._written: str | None = None
        doc.events.changed.connect(self._mark)

    def _mark(self) -> None:
        self._dirty = True
        if self._written is not None and not self.doc.modified:
            # saved (or undone back to the saved state): the side file would only offer a stale
            # recovery, and an untitled one would linger under its old name after Save As
            _remove(self._written)
            self._written = None

    def tick(self) -> str | None:
        """Autosave if due; returns the path written, or None."""
        now = self._clock()
        if not self._dirty or not self.doc.modified or now - self._last < self.interval_s:
            return None
        path = write_autosave(self.doc)
        if self._written is not None and self._written != path:
            _remove(self._written)  # the document got a path since the last autosave
        self._written = path
        self._last = now
        self._dirty = False
        return path

    def close(self) -> None:
        """Stop following the document."""
        self.doc.events.changed.disconnect(self._mark)
