"""Small helpers shared by the app tests."""

from PySide6 import QtCore, QtWidgets


def settle() -> None:
    """Run posted deletions and pending events."""
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()
