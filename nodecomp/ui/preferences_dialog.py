"""Edit > Preferences: cache size, OCIO config, plugin folders and autosave interval.

The dialog only edits a `Preferences` value; the main window saves it and applies what
changed to the running app (see `MainWindow.apply_preferences`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from nodecomp.engine.cache import default_budget_bytes
from nodecomp.ui.preferences import MAX_AUTOSAVE_MINUTES, MIN_CACHE_MB, Preferences, preferences_path

MIB = 1024**2
MAX_CACHE_MB = 1024 * 1024
OCIO_FILTER = "OCIO configs (*.ocio *.ocioz);;All files (*)"


class PreferencesDialog(QtWidgets.QDialog):
    """A form over the preferences; `value()` is what the user set.

    Args:
        preferences: the values to start from.
        parent: the main window.

    Attributes:
        ask_file, ask_folder: the file and folder prompts (replaced in tests).
    """

    def __init__(self, preferences: Preferences, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.ask_file: Callable[[str], str | None] = self._ask_file
        self.ask_folder: Callable[[], str | None] = self._ask_folder
        form = QtWidgets.QFormLayout()

        self.cache_box = QtWidgets.QSpinBox(self)
        self.cache_box.setRange(0, MAX_CACHE_MB)
        self.cache_box.setSingleStep(512)
        self.cache_box.setSuffix(" MiB")
        automatic = default_budget_bytes() // MIB
        self.cache_box.setSpecialValueText(f"Automatic ({automatic:,} MiB)")
        self.cache_box.setToolTip(f"Memory for computed images, applied at once; at least {MIN_CACHE_MB} MiB. "
                                  "Automatic is a quarter of the RAM, at most 16 GiB.")
        form.addRow("Image cache", self.cache_box)

        self.ocio_field = QtWidgets.QLineEdit(self)
        self.ocio_field.setPlaceholderText(os.environ.get("OCIO") or "built-in studio config")
        self.ocio_field.setToolTip("OCIO config for comps that name none; empty: $OCIO, else OCIO's built-in "
                                   "studio config. A comp's own setting still wins.")
        browse = QtWidgets.QPushButton("Browse…", self)
        browse.clicked.connect(self._browse_ocio)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.ocio_field, 1)
        row.addWidget(browse)
        form.addRow("OCIO config", row)

        self.folder_list = QtWidgets.QListWidget(self)
        self.folder_list.setToolTip("Searched for plugins before $NODECOMP_PLUGIN_PATH; plugins in them load "
                                    "(or reload) when you press OK")
        self.folder_list.setMinimumHeight(90)
        add = QtWidgets.QPushButton("Add…", self)
        add.clicked.connect(self._add_folder)
        self.remove_button = QtWidgets.QPushButton("Remove", self)
        self.remove_button.clicked.connect(self._remove_folder)
        buttons = QtWidgets.QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.folder_list, 1)
        row.addLayout(buttons)
        form.addRow("Plugin folders", row)

        self.autosave_box = QtWidgets.QDoubleSpinBox(self)
        self.autosave_box.setRange(0.0, float(MAX_AUTOSAVE_MINUTES))
        self.autosave_box.setDecimals(1)
        self.autosave_box.setSingleStep(1.0)
        self.autosave_box.setSuffix(" min")
        self.autosave_box.setSpecialValueText("Off")
        self.autosave_box.setToolTip("How often a changed comp is written to its autosave side file")
        form.addRow("Autosave every", self.autosave_box)

        where = QtWidgets.QLabel(f"Saved in {preferences_path()}", self)
        where.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: gray")
        box = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(box)
        self.set_value(preferences)

    def set_value(self, preferences: Preferences) -> None:
        """Show `preferences` in the form."""
        self.cache_box.setValue(preferences.cache_mb)
        self.ocio_field.setText(preferences.ocio_config)
        self.folder_list.clear()
        self.folder_list.addItems(list(preferences.plugin_folders))
        self.autosave_box.setValue(preferences.autosave_minutes)

    def value(self) -> Preferences:
        """The preferences as the form shows them (a cache below the minimum is raised to it)."""
        cache = self.cache_box.value()
        folders = tuple(self.folder_list.item(i).text() for i in range(self.folder_list.count()))
        return Preferences(
            cache_mb=max(cache, MIN_CACHE_MB) if cache else 0,
            ocio_config=self.ocio_field.text().strip(),
            plugin_folders=folders,
            autosave_minutes=float(self.autosave_box.value()),
        ).checked()

    def _browse_ocio(self) -> None:
        path = self.ask_file(self.ocio_field.text())
        if path:
            self.ocio_field.setText(path)

    def _add_folder(self) -> None:
        folder = self.ask_folder()
        current = [self.folder_list.item(i).text() for i in range(self.folder_list.count())]
        if folder and folder not in current:
            self.folder_list.addItem(folder)

    def _remove_folder(self) -> None:
        for item in self.folder_list.selectedItems():
            self.folder_list.takeItem(self.folder_list.row(item))

    def _ask_file(self, current: str) -> str | None:
        path, _filter = QtWidgets.QFileDialog.getOpenFileName(self, "OCIO config", current, OCIO_FILTER)
        return path or None

    def _ask_folder(self) -> str | None:
        return QtWidgets.QFileDialog.getExistingDirectory(self, "Plugin folder") or None
