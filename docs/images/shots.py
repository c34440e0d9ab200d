"""What the screenshot scripts in this folder share: the app on the demo comp, waiting, saving.

Each `make_*.py` script sets up one picture; run them under Xvfb (see each script's docstring)
after `nodecomp demo --no-render` has made the demo media.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "demo.ncomp"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6 import QtCore, QtWidgets  # noqa: E402

import nodecomp.ui  # noqa: E402, F401 - PySide6 workarounds before any signal is emitted
from nodecomp.ui.main_window import MainWindow  # noqa: E402
from nodecomp.ui.preferences import Preferences  # noqa: E402
from nodecomp.ui.style import apply_style  # noqa: E402


def application() -> QtWidgets.QApplication:
    """The QApplication, styled as the app is."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    apply_style(app)
    return app


def demo_window(name: str) -> MainWindow | None:
    """A 1600x1000 main window on the demo comp, with settings of its own and default preferences."""
    settings = QtCore.QSettings(str(Path("/tmp") / f"nodecomp_{name}_shot.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, preferences=Preferences())
    window.resize(1600, 1000)
    window.show()
    return window if window.open_file(str(DEMO)) else None


def wait(app: QtWidgets.QApplication, done, seconds: float = 60.0) -> None:
    """Run the event loop until `done()` (and a few turns more, for the last paint)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        app.processEvents()
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)


def save(widget: QtWidgets.QWidget, path: Path, *options) -> int:
    """Grab `widget` into `path`; prints where it went and returns the exit status."""
    ok = widget.grab().save(str(path), *options)
    print(path if ok else f"could not save {path}")  # noqa: T201 - a docs script reports where the picture went
    return 0 if ok else 1
