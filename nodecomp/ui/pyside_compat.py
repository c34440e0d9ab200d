"""Workaround for PySide6 6.12 on CPython 3.11: calls from Python drop references to True and None.

Measured (tests/ui/test_pyside_compat.py): every `emit()` of a Signal, custom or built-in,
called from Python lowers `sys.getrefcount(True)` by one, whatever the arguments; and every
call of a C++ method that returns void (`QTimer.stop()`, `QWidget.update()`,
`QLabel.setText()`, even `QRectF.setWidth()`) lowers `sys.getrefcount(None)` by one. Signals
emitted by Qt itself into Python slots do not. NodeGraphQt emits from Python on every property
change, the app emits for every render, and the viewer calls void methods on every mouse move
(the pixel probe, the wipe), so after some thousands of calls the count reaches zero and
CPython aborts ("bool_dealloc: deallocating True or False", "none_dealloc: deallocating
None"); the app starts with about 28,000 references to None, a few minutes of moving the mouse
over the viewer. CPython 3.12 made True, False and None immortal, which hides the bug there.

`pin_refcounts()` does what 3.12 does: it raises the reference counts of True, False and None
by 2**40 (more than a lifetime of calls), writing the count field that starts every CPython
object. It is called when `nodecomp.ui` is imported, before any signal is emitted. Remove this
module once PySide6 fixes the leak or the project requires Python 3.12.
"""

from __future__ import annotations

import ctypes
import sys

PIN = 1 << 40
_pinned = False


def needs_pinning() -> bool:
    """True on CPython before 3.12, where True, False and None are ordinary reference-counted objects."""
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def pin_refcounts() -> None:
    """Make True, False and None effectively immortal (once per process; a no-op where they already are)."""
    global _pinned
    if _pinned or not needs_pinning():
        return
    for value in (True, False, None):
        ctypes.c_ssize_t.from_address(id(value)).value += PIN
    _pinned = True
