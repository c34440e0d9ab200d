"""PySide6 6.12 drops a reference to True per Signal.emit() and to None per processEvents() on CPython 3.11.

Pinning makes both harmless.
"""

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


EVENTS = """
import os
import sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
{pin}
from PySide6 import QtWidgets

app = QtWidgets.QApplication([])
before = sys.getrefcount(None)
for _ in range(1000):
    app.processEvents()
print(before - sys.getrefcount(None))
for _ in range(30000):  # more calls than None has references: aborts unless pinned
    app.processEvents()
print("survived")
"""


@pytest.mark.skipif(not pyside_compat.needs_pinning(), reason="None is immortal on this Python")
def test_processing_events_drops_references_to_none_and_pinning_survives_it():
    pinned = subprocess.run([sys.executable, "-c", EVENTS.format(pin="import nodecomp.ui")],
                            capture_output=True, text=True, timeout=60)
    assert pinned.returncode == 0, pinned.stderr[-500:]
    dropped, survived = pinned.stdout.split()
    assert survived == "survived"
    if int(dropped) == 0:
        pytest.skip("this PySide6 no longer drops references to None: pinning None can go")
    unpinned = subprocess.run([sys.executable, "-c", EVENTS.format(pin="")],
                              capture_output=True, text=True, timeout=60)
    assert unpinned.returncode != 0 and "none_dealloc" in unpinned.stderr


def test_pinning_is_idempotent():
    before = sys.getrefcount(True)
    pyside_compat.pin_bool_refcounts()
    assert abs(sys.getrefcount(True) - before) < 1000
