import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6 import QtCore

from nodecomp.core.autosave import AUTOSAVE_SUFFIX
from nodecomp.core.fileformat import load_document
from nodecomp.ui.document_session import DocumentSession


@pytest.fixture
def settings(tmp_path):
    return QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.fixture
def session(qtbot, registry, settings, prompts):
    made = DocumentSession(registry, settings, prompts, autosave_seconds=0.0)
    yield made
    made.shutdown()


def test_save_and_open_round_trip_and_recent_files(tmp_path, session, comp, prompts):
    session.set_document(comp)
    prompts.save_answer = str(tmp_path / "shot")
    assert session.save()
    path = str(tmp_path / "shot.ncomp")
    assert comp.path == path and not comp.modified and session.title == "shot.ncomp"
    comp["Grade1"]["mix"] = 0.5
    assert session.title == "shot.ncomp*"
    assert session.save()
    assert session.open(path)
    assert session.doc is not comp and session.doc["Grade1"]["mix"] == 0.5
    assert session.recent() == [path]


def test_unsaved_changes_are_asked_about(session, comp, prompts):
    session.set_document(comp)
    comp["Grade1"]["mix"] = 0.5
    prompts.unsaved_answer = "cancel"
    assert not session.new() and session.doc is comp
    prompts.unsaved_answer = "discard"
    assert session.new() and session.doc is not comp
    assert [kind for kind, _ in prompts.asked] == ["unsaved", "unsaved"]


def test_save_when_asked_to_save_first(tmp_path, session, comp, prompts):
    session.set_document(comp)
    comp["Grade1"]["mix"] = 0.5
    prompts.unsaved_answer, prompts.save_answer = "save", str(tmp_path / "kept.ncomp")
    assert session.new()
    assert load_document(str(tmp_path / "kept.ncomp"), comp.registry)["Grade1"]["mix"] == 0.5


def test_a_bad_file_is_reported_and_nothing_changes(tmp_path, session, prompts):
    bad = tmp_path / "bad.ncomp"
    bad.write_text("{not json")
    before = session.doc
    assert not session.open(str(bad))
    assert session.doc is before and "not valid JSON" in prompts.errors[0]


def test_autosave_writes_the_side_file_and_a_save_removes_it(tmp_path, session, comp):
    path = str(tmp_path / "shot.ncomp")
    comp.save(path)
    session.set_document(comp)
    comp["Grade1"]["mix"] = 0.5
    assert session.autosave_tick() == path + AUTOSAVE_SUFFIX
    assert os.path.exists(path + AUTOSAVE_SUFFIX)
    session.save()
    assert not os.path.exists(path + AUTOSAVE_SUFFIX)


def test_recovery_after_the_app_was_killed(tmp_path, registry, settings, prompts, comp):
    """A real app process autosaves an edit, then dies by SIGKILL; reopening offers the autosave."""
    path = str(tmp_path / "shot.ncomp")
    comp.save(path)
    script = textwrap.dedent(f"""
        import os, signal, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        import nodecomp.ui
        from PySide6 import QtCore, QtWidgets
        app = QtWidgets.QApplication([])
        from nodecomp.ui.main_window import MainWindow
        from tests.ui.conftest import ScriptedPrompts
        settings = QtCore.QSettings({str(tmp_path / "child.ini")!r}, QtCore.QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, prompts=ScriptedPrompts(), autosave_seconds=0.05)
        window.open_file({path!r})
        window.doc["Grade1"]["mix"] = 0.25
        deadline = time.monotonic() + 20
        while not os.path.exists({path + AUTOSAVE_SUFFIX!r}) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    child = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert os.path.exists(path + AUTOSAVE_SUFFIX)
    session = DocumentSession(registry, settings, prompts)
    prompts.recover_answer = False
    assert session.open(path) and session.doc["Grade1"]["mix"] == 1.0
    prompts.recover_answer = True
    assert session.open(path)
    assert session.doc["Grade1"]["mix"] == 0.25 and session.doc.modified
    assert session.doc.path == path
    assert [kind for kind, _ in prompts.asked] == ["recover", "recover"]
    session.save()
    assert not os.path.exists(path + AUTOSAVE_SUFFIX) and not session.doc.modified
    session.shutdown()


def test_untitled_recovery(tmp_path, session, comp, prompts, registry, settings):
    crashed = DocumentSession(registry, settings, prompts, autosave_seconds=0.0)
    crashed.set_document(comp)
    comp["Grade1"]["mix"] = 0.75
    written = crashed.autosave_tick()
    crashed.timer.stop()  # it "crashed": no clean close
    assert written and os.path.exists(written)
    assert session.recover_untitled()
    assert session.doc["Grade1"]["mix"] == 0.75 and session.doc.path is None and session.doc.modified
    assert not os.path.exists(written)
