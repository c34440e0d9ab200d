"""Fixtures for the desktop app tests: offscreen Qt, small documents, windows that must not leak.

`make_window` is the app fixture (napari's `make_napari_viewer` idea): it builds main windows
with a private settings file, scripted prompts and a small cache, closes them at the end, and
fails the test when a top-level widget outlives them.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402 - the platform must be chosen before Qt is imported

import pytest  # noqa: E402
import shiboken6  # noqa: E402
from PySide6 import QtCore, QtWidgets  # noqa: E402

import nodecomp.ui  # noqa: E402, F401 - pins True/False/None before any signal is emitted (pyside_compat)
from nodecomp.api import RGBA, Float, Image, Input, NodeType  # noqa: E402
from nodecomp.core.document import Document  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.core.registry import NodeRegistry  # noqa: E402
from nodecomp.engine.cache import ImageCache  # noqa: E402
from nodecomp.plugin_loader import default_registry  # noqa: E402
from tests.ui.qt_helpers import settle  # noqa: E402

RECORDED: list[float] = []


class Slow(NodeType):
    """Sleeps `seconds` per frame in small steps, checking for cancellation (renders to cancel)."""

    type_id = "uitest.Slow"
    category = "Test"
    frame_dependent = True
    inputs = (Input("source"),)
    params = (Float("seconds", default=0.2, min=0.0, doc="time spent per frame"),)

    @staticmethod
    def compute(ctx, source, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ctx.progress(1 - (end - time.monotonic()) / max(seconds, 1e-9))
            time.sleep(0.005)
        return source


class Record(NodeType):
    """An output that writes nothing and records the frames it saw."""

    type_id = "uitest.Record"
    category = "Test"
    inputs = (Input("source"),)
    is_output = True
    cacheable = False

    @staticmethod
    def compute(ctx, source):
        RECORDED.append(ctx.frame)
        return source


class Solid(NodeType):
    """A frame-dependent solid whose red channel is the frame number (for cache-line tests)."""

    type_id = "uitest.Solid"
    category = "Test"
    frame_dependent = True

    @staticmethod
    def compute(ctx):
        return Image.blank(ctx.format_box, RGBA, (float(ctx.frame), 0.0, 0.0, 1.0))


@pytest.fixture(scope="session")
def registry() -> NodeRegistry:
    """The built-in nodes plus the test nodes above (as a plugin would add them)."""
    reg = NodeRegistry()
    for node_type in default_registry():
        reg.register(node_type)
    for node_type in (Slow, Record, Solid):
        reg.register(node_type, plugin="uitest-plugin")
    return reg


@pytest.fixture
def doc(registry) -> Document:
    """An empty document with a tiny format, so renders take milliseconds."""
    document = Document(registry)
    document.format = Format(64, 36)
    document.undo_stack.clear()
    return document


@pytest.fixture
def comp(doc) -> Document:
    """Constant -> Grade -> Write (a Write that never runs: tests view its input)."""
    constant = doc.add("Constant", color=(0.25, 0.5, 0.75, 1.0))
    grade = doc.add("Grade", constant)
    doc.add("Write", grade, file="out/test.####.exr")
    for index, node in enumerate(doc.nodes):
        doc.set_ui(node, "pos", [0, index * 100])
    doc.undo_stack.clear()
    return doc


class ScriptedPrompts:
    """Answers the session's questions from attributes, and records what was asked."""

    def __init__(self) -> None:
        self.unsaved_answer = "discard"
        self.recover_answer = True
        self.open_answer: str | None = None
        self.save_answer: str | None = None
        self.asked: list[tuple[str, tuple]] = []
        self.errors: list[str] = []

    def unsaved(self, name):
        self.asked.append(("unsaved", (name,)))
        return self.unsaved_answer

    def recover(self, path, autosave):
        self.asked.append(("recover", (path, autosave)))
        return self.recover_answer

    def open_path(self):
        self.asked.append(("open", ()))
        return self.open_answer

    def save_path(self, suggested):
        self.asked.append(("save", (suggested,)))
        return self.save_answer

    def error(self, message):
        self.errors.append(message)


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture(autouse=True)
def private_autosave_dir(tmp_path, monkeypatch):
    """Untitled autosaves go to the test's folder, never the user's cache."""
    monkeypatch.setenv("NODECOMP_AUTOSAVE_DIR", str(tmp_path / "autosave"))


@pytest.fixture(autouse=True)
def private_config_dir(tmp_path, monkeypatch):
    """Preferences are read from and saved to the test's folder, never the user's config."""
    monkeypatch.setenv("NODECOMP_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def _pointer(widget) -> int:
    return shiboken6.getCppPointer(widget)[0]


@pytest.fixture
def make_window(qtbot, tmp_path, registry, prompts):
    """Build main windows; closes them afterwards and fails on leaked top-level widgets."""
    from nodecomp.ui.main_window import MainWindow

    settle()
    before = {_pointer(w) for w in QtWidgets.QApplication.topLevelWidgets()}
    windows = []

    def make(**kwargs):
        kwargs.setdefault("registry", registry)
        kwargs.setdefault("settings", QtCore.QSettings(str(tmp_path / "settings.ini"),
                                                       QtCore.QSettings.Format.IniFormat))
        kwargs.setdefault("prompts", prompts)
        kwargs.setdefault("cache", ImageCache(256 * 1024 * 1024))
        window = MainWindow(**kwargs)
        window.resize(1200, 800)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.force_close()
        window.deleteLater()
    settle()
    leaked = [w for w in QtWidgets.QApplication.topLevelWidgets()
              if shiboken6.isValid(w) and _pointer(w) not in before]
    assert leaked == [], f"top-level widgets outlived the window: {leaked}"
