"""PySide6 6.12 on CPython 3.11 drops references to True (emit) and None (void calls); pinning makes it harmless."""

import subprocess
import sys

import pytest

from nodecomp.ui import pyside_compat

SCRIPT = """
import sys
{pin}
from PySide6 import QtCore

class Emitter(QtCore.QObject):
    fired = QtCore.Signal(int)

emitter = Emitter()
before = sys.getrefcount(True)
for _ in range(1000):
    emitter.fired.emit(1)
print(before - sys.getrefcount(True))
for _ in range(20000):  # more emissions than True has references: aborts unless pinned
    emitter.fired.emit(1)
print("survived")
"""


@pytest.mark.skipif(not pyside_compat.needs_pinning(), reason="True and False are immortal on this Python")
def test_emitting_drops_references_to_true_and_pinning_survives_it():
    pinned = subprocess.run([sys.executable, "-c", SCRIPT.format(pin="import nodecomp.ui")],
                            capture_output=True, text=True, timeout=60)
    assert pinned.returncode == 0, pinned.stderr[-500:]
    dropped, survived = pinned.stdout.split()
    assert survived == "survived"
    if int(dropped) == 0:
        pytest.skip("this PySide6 no longer drops references on emit: pyside_compat can go")
    unpinned = subprocess.run([sys.executable, "-c", SCRIPT.format(pin="")],
                              capture_output=True, text=True, timeout=60)
    assert unpinned.returncode != 0 and "bool_dealloc" in unpinned.stderr


VOID_CALLS = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
{pin}
from PySide6 import QtCore, QtGui

path = QtGui.QPainterPath()
point = QtCore.QPointF(1.0, 2.0)
before = sys.getrefcount(None)
for _ in range(1000):
    path.lineTo(point)
print(before - sys.getrefcount(None))
for _ in range(min(before, 100000) + 1000):  # more calls than None has references: aborts unless pinned
    path.lineTo(point)
print("survived")
"""


@pytest.mark.skipif(not pyside_compat.needs_pinning(), reason="None is immortal on this Python")
def test_methods_returning_nothing_drop_references_to_none_and_pinning_survives_it():
    pinned = subprocess.run([sys.executable, "-c", VOID_CALLS.format(pin="import nodecomp.ui")],
                            capture_output=True, text=True, timeout=120)
    assert pinned.returncode == 0, pinned.stderr[-500:]
    dropped, survived = pinned.stdout.split()
    assert survived == "survived"
    if int(dropped) == 0:
        pytest.skip("this PySide6 no longer drops references to None: pyside_compat can go")
    unpinned = subprocess.run([sys.executable, "-c", VOID_CALLS.format(pin="")],
                              capture_output=True, text=True, timeout=120)
    assert unpinned.returncode != 0 and "none_dealloc" in unpinned.stderr


def test_pinning_is_idempotent():
    before = sys.getrefcount(True)
    pyside_compat.pin_bool_refcounts()
    assert abs(sys.getrefcount(True) - before) < 1000
