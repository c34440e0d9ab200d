"""The app's look: Qt's Fusion style with a dark palette, as compositing apps use."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

_COLOURS = {
    QtGui.QPalette.ColorRole.Window: (50, 50, 50),
    QtGui.QPalette.ColorRole.WindowText: (215, 215, 215),
    QtGui.QPalette.ColorRole.Base: (36, 36, 36),
    QtGui.QPalette.ColorRole.AlternateBase: (44, 44, 44),
    QtGui.QPalette.ColorRole.ToolTipBase: (30, 30, 30),
    QtGui.QPalette.ColorRole.ToolTipText: (220, 220, 220),
    QtGui.QPalette.ColorRole.Text: (220, 220, 220),
    QtGui.QPalette.ColorRole.Button: (58, 58, 58),
    QtGui.QPalette.ColorRole.ButtonText: (220, 220, 220),
    QtGui.QPalette.ColorRole.BrightText: (255, 120, 120),
    QtGui.QPalette.ColorRole.Highlight: (214, 140, 50),
    QtGui.QPalette.ColorRole.HighlightedText: (20, 20, 20),
    QtGui.QPalette.ColorRole.Link: (110, 170, 230),
    QtGui.QPalette.ColorRole.PlaceholderText: (130, 130, 130),
}


def apply_style(app: QtWidgets.QApplication) -> None:
    """Fusion with a dark palette; disabled text is dimmed."""
    app.setStyle("Fusion")
    palette = QtGui.QPalette()
    for role, rgb in _COLOURS.items():
        palette.setColor(role, QtGui.QColor(*rgb))
    disabled = QtGui.QPalette.ColorGroup.Disabled
    for role in (QtGui.QPalette.ColorRole.Text, QtGui.QPalette.ColorRole.ButtonText,
                 QtGui.QPalette.ColorRole.WindowText):
        palette.setColor(disabled, role, QtGui.QColor(120, 120, 120))
    app.setPalette(palette)
