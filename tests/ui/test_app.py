import subprocess
import sys

from PySide6 import QtCore, QtWidgets

from nodecomp.cli.main import build_parser, main
from nodecomp.ui import app as app_module
from nodecomp.ui.main_window import MainWindow
from tests.ui.qt_helpers import settle


def test_the_cli_lists_app_and_stays_qt_free_when_imported():
    assert "app" in build_parser().format_help()
    code = "import sys, nodecomp.cli.main, nodecomp.cli.app; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_missing_script_is_refused(capsys, tmp_path):
    assert main(["app", str(tmp_path / "nope.ncomp")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_run_opens_the_window_on_the_script(qtbot, monkeypatch, tmp_path, comp):
    path = str(tmp_path / "shot.ncomp")
    comp.save(path)
    QtCore.QSettings.setPath(QtCore.QSettings.Format.NativeFormat, QtCore.QSettings.Scope.UserScope,
                             str(tmp_path / "config"))
    seen = {}

    def fake_exec(self):
        window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        qtbot.waitUntil(lambda: window.viewer.renderer.last is not None, timeout=10000)
        seen["title"] = window.windowTitle()
        seen["nodes"] = [n.name for n in window.doc.nodes]
        window.force_close()
        window.deleteLater()
        settle()
        return 0

    monkeypatch.setattr(QtWidgets.QApplication, "exec", fake_exec)
    assert app_module.run(path) == 0
    assert seen["title"].startswith("shot.ncomp") and seen["nodes"] == ["Constant1", "Grade1", "Write1"]
