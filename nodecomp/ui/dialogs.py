"""The app's answers to `Prompts`: message boxes and file dialogs, parented to the main window."""

from __future__ import annotations

import os

from PySide6 import QtWidgets

FILE_FILTER = "nodecomp comps (*.ncomp);;All files (*)"


class DialogPrompts:
    """Asks with Qt dialogs (the interactive app's `Prompts`)."""

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        self.parent = parent

    def unsaved(self, name: str) -> str:
        """Save, discard or cancel."""
        buttons = QtWidgets.QMessageBox.StandardButton
        answer = QtWidgets.QMessageBox.question(
            self.parent, "Unsaved changes", f"Save the changes to {name} first?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def recover(self, path: str, autosave: str) -> bool:
        """Offer the autosave."""
        buttons = QtWidgets.QMessageBox.StandardButton
        answer = QtWidgets.QMessageBox.question(
            self.parent, "Recover autosave",
            f"An autosave of {os.path.basename(path)} is newer than the file (was the app closed "
            f"unexpectedly?).\n\nOpen the autosave ({autosave}) instead?",
            buttons.Yes | buttons.No, buttons.Yes,
        )
        return answer == buttons.Yes

    def open_path(self) -> str | None:
        """A comp to open."""
        path, _filter = QtWidgets.QFileDialog.getOpenFileName(self.parent, "Open comp", "", FILE_FILTER)
        return path or None

    def save_path(self, suggested: str) -> str | None:
        """Where to save."""
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(self.parent, "Save comp as", suggested, FILE_FILTER)
        return path or None

    def error(self, message: str) -> None:
        """Show an error."""
        QtWidgets.QMessageBox.warning(self.parent, "nodecomp", message)
