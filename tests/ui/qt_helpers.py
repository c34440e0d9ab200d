"""Small helpers shared by the app tests."""

from PySide6 import QtCore, QtWidgets


def settle() -> None:
    """Run posted deletions and pending events."""
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()


_MOUSE_EVENTS = {
    "press": QtCore.QEvent.Type.MouseButtonPress,
    "move": QtCore.QEvent.Type.MouseMove,
    "release": QtCore.QEvent.Type.MouseButtonRelease,
    "double": QtCore.QEvent.Type.MouseButtonDblClick,
}


def mouse(widget, kind, pos, *, button=QtCore.Qt.MouseButton.LeftButton,
          modifiers=QtCore.Qt.KeyboardModifier.NoModifier) -> None:
    """Send one mouse event ("press", "move", "release", "double") at widget position `pos`."""
    from PySide6 import QtGui

    pos = QtCore.QPointF(pos)
    held = QtCore.Qt.MouseButton.NoButton if kind == "release" else button
    event = QtGui.QMouseEvent(_MOUSE_EVENTS[kind], pos, QtCore.QPointF(widget.mapToGlobal(pos)),
                              QtCore.Qt.MouseButton.NoButton if kind == "move" else button, held, modifiers)
    QtWidgets.QApplication.sendEvent(widget, event)


def drag(widget, start, end, steps=4, **kwargs) -> None:
    """Press at `start`, move to `end` in a few steps, release there."""
    start, end = QtCore.QPointF(start), QtCore.QPointF(end)
    mouse(widget, "press", start, **kwargs)
    for step in range(1, steps + 1):
        mouse(widget, "move", start + (end - start) * (step / steps), **kwargs)
    mouse(widget, "release", end, **kwargs)


def key(widget, key) -> None:
    """Send a key press to `widget`."""
    from PySide6 import QtGui

    event = QtGui.QKeyEvent(QtCore.QEvent.Type.KeyPress, key, QtCore.Qt.KeyboardModifier.NoModifier)
    QtWidgets.QApplication.sendEvent(widget, event)
