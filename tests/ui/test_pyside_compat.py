"""PySide6 6.12 drops a reference to True per Signal.emit() on CPython 3.11; pinning makes it harmless."""

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


def test_pinning_is_idempotent():
    before = sys.getrefcount(True)
    pyside_compat.pin_bool_refcounts()
    assert abs(sys.getrefcount(True) - before) < 1000
