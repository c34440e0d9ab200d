"""Starting the desktop app: `nodecomp app [SCRIPT]` ends up in `run`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6 import QtWidgets

from nodecomp.engine.memory import serve_large_buffers_from_mmap
from nodecomp.ui.main_window import MainWindow
from nodecomp.ui.style import apply_style


def run(script: str | None = None, argv: Sequence[str] | None = None) -> int:
    """Open the main window (on `script` when given) and run the event loop; returns the exit code.

    Without a script, the newest autosave of a never-saved comp is offered for recovery.
    The app keeps every result in its cache for hours, so big buffers come from mmap and
    go back to the system on eviction (see nodecomp.engine.memory).
    """
    serve_large_buffers_from_mmap()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("nodecomp")
    app.setOrganizationName("nodecomp")
    apply_style(app)
    window = MainWindow()
    window.show()
    if script:
        window.open_file(script)
    else:
        window.session.recover_untitled()
    return int(app.exec())
