import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nodecomp.core.autosave import (
    AUTOSAVE_SUFFIX,
    Autosaver,
    autosave_dir,
    autosave_path,
    discard_autosave,
    find_recovery,
    list_untitled_recoveries,
    write_autosave,
)
from nodecomp.core.fileformat import load_document

REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def autosave_folder(tmp_path, monkeypatch):
    folder = tmp_path / "autosaves"
    monkeypatch.setenv("NODECOMP_AUTOSAVE_DIR", str(folder))
    return folder


def _age(path: str, seconds: float) -> None:
    """Make `path` look `seconds` older than now."""
    stat = os.stat(path)
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_autosave_dir_from_env_and_default(autosave_folder, monkeypatch, tmp_path):
    assert autosave_dir() == str(autosave_folder)
    monkeypatch.delenv("NODECOMP_AUTOSAVE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert autosave_dir() == str(tmp_path / "cache" / "nodecomp" / "autosave")


def test_paths(doc, autosave_folder, tmp_path):
    untitled = autosave_path(doc)
    assert untitled.startswith(str(autosave_folder)) and untitled.endswith(".ncomp" + AUTOSAVE_SUFFIX)
    doc.save(str(tmp_path / "shot.ncomp"))
    assert autosave_path(doc) == str(tmp_path / "shot.ncomp.autosave")


def test_autosaver_writes_only_when_modified_and_the_interval_passed(doc, tmp_path):
    clock = FakeClock()
    doc.save(str(tmp_path / "shot.ncomp"))
    saver = Autosaver(doc, interval_s=60, clock=clock)
    clock.now += 120
    assert saver.tick() is None  # nothing changed
    doc.add("Source")
    saver.close()
    saver = Autosaver(doc, interval_s=60, clock=clock)  # edits made before it count too
    clock.now += 30
    assert saver.tick() is None  # too soon
    clock.now += 31
    side = saver.tick()
    assert side == str(tmp_path / "shot.ncomp.autosave") and os.path.exists(side)
    assert doc.modified  # autosaving is not saving
    clock.now += 1000
    assert saver.tick() is None  # nothing new since the last autosave
    doc.add("Filter")
    assert saver.tick() is not None  # the interval counts from the last autosave
    doc.add("Filter")
    clock.now += 59
    assert saver.tick() is None


def test_autosaver_skips_a_document_undone_back_to_its_saved_state(doc, tmp_path):
    clock = FakeClock()
    doc.save(str(tmp_path / "shot.ncomp"))
    saver = Autosaver(doc, interval_s=10, clock=clock)
    doc.add("Source")
    doc.undo()
    clock.now += 100
    assert saver.tick() is None


def test_autosaver_close_stops_following(doc):
    clock = FakeClock()
    saver = Autosaver(doc, interval_s=0, clock=clock)
    saver.close()
    doc.add("Source")
    assert saver.tick() is None


def test_saving_removes_the_side_file(doc, tmp_path):
    clock = FakeClock()
    path = str(tmp_path / "shot.ncomp")
    doc.save(path)
    saver = Autosaver(doc, interval_s=0, clock=clock)
    doc.add("Source")
    side = saver.tick()
    assert os.path.exists(side)
    doc.save()
    assert not os.path.exists(side)
    assert find_recovery(path) is None


def test_save_as_of_an_untitled_document_removes_its_untitled_autosave(doc, tmp_path):
    clock = FakeClock()
    saver = Autosaver(doc, interval_s=0, clock=clock)
    doc.add("Source")
    side = saver.tick()
    assert list_untitled_recoveries() == [side]
    doc.save(str(tmp_path / "named.ncomp"))
    assert list_untitled_recoveries() == []  # not offered as a crash recovery next time
    doc.add("Filter")
    assert saver.tick() == str(tmp_path / "named.ncomp.autosave")


def test_find_recovery_only_when_the_side_file_is_newer(doc, tmp_path):
    path = str(tmp_path / "shot.ncomp")
    doc.save(path)
    assert find_recovery(path) is None
    doc.add("Source")
    side = write_autosave(doc)
    _age(path, 10)
    assert find_recovery(path) == side
    _age(side, 20)  # the document was saved after the autosave
    assert find_recovery(path) is None
    os.unlink(path)  # the document is gone: the side file is all there is
    assert find_recovery(path) == side


def test_discard_autosave(doc, tmp_path):
    doc.save(str(tmp_path / "shot.ncomp"))
    discard_autosave(doc)  # nothing there: fine
    side = write_autosave(doc)
    discard_autosave(doc)
    assert not os.path.exists(side)


def test_untitled_documents_autosave_into_the_autosave_dir(doc, autosave_folder, registry):
    build = doc.add("Source", gain=3)
    doc.set_expression(build, "offset", "frame")
    side = write_autosave(doc)
    assert os.path.dirname(side) == str(autosave_folder)
    assert list_untitled_recoveries() == [side]
    recovered = load_document(side, registry)
    assert {**recovered.to_dict(), "name": "untitled"} == doc.to_dict()


def test_list_untitled_recoveries_newest_first(registry, autosave_folder):
    from nodecomp.core.document import Document

    assert list_untitled_recoveries() == []  # no folder yet
    first, second = Document(registry), Document(registry)
    a = write_autosave(first)
    b = write_autosave(second)
    _age(a, 100)
    (autosave_folder / "unrelated.txt").write_text("x")
    assert list_untitled_recoveries() == [b, a]


def test_the_autosave_loads_back_equal(rich, registry, tmp_path):
    path = str(tmp_path / "shot.ncomp")
    rich.save(path)
    rich.add("Filter", rich["Sink1"].inputs["source"], size=9)
    rich["Source1"]["label"] = "after save"
    side = write_autosave(rich)
    assert load_document(side, registry).to_dict() == rich.to_dict()
    assert load_document(path, registry).to_dict() != rich.to_dict()


CRASHING_SESSION = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {repo!r})
    from tests.core.conftest import build_rich
    from nodecomp.core.autosave import Autosaver
    from nodecomp.core.document import Document
    from tests.core.conftest import make_registry

    clock = [0.0]
    doc = build_rich(Document(make_registry()))
    doc.save({path!r})
    doc["Source1"]["label"] = "unsaved work"
    doc.add("Filter", doc["Merge1"], name="LastMinute", size=4)
    saver = Autosaver(doc, interval_s=300, clock=lambda: clock[0])
    clock[0] = 301.0
    print(saver.tick(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    doc.save()  # never reached
    """
)


def test_crash_recovery(registry, tmp_path):
    path = str(tmp_path / "shot.ncomp")
    script = CRASHING_SESSION.format(repo=str(REPO), path=path)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == -signal.SIGKILL, result.stderr
    side = find_recovery(path)
    assert side == result.stdout.strip() == path + AUTOSAVE_SUFFIX
    recovered = load_document(side, registry)
    saved = load_document(path, registry)
    assert "LastMinute" in recovered and "LastMinute" not in saved
    assert recovered["Source1"]["label"] == "unsaved work"
    assert recovered["LastMinute"].inputs["source"] is recovered["Merge1"]
    # the recovered document is the crashed session's document
    expected = load_document(path, registry)
    expected["Source1"]["label"] = "unsaved work"
    expected.add("Filter", expected["Merge1"], name="LastMinute", size=4)
    assert recovered.to_dict() == expected.to_dict()
