"""Entry point of the frozen app: the `nodecomp` command line (`nodecomp app` opens the desktop app)."""

import multiprocessing
import os
import sys

from nodecomp.cli.main import main

if getattr(sys, "frozen", False):
    # The bundled plugins ship inside the app folder, not beside a checkout's pyproject.toml.
    os.environ.setdefault("NODECOMP_BUNDLED_PLUGINS", os.path.join(sys._MEIPASS, "plugins"))

if __name__ == "__main__":
    # A farm's LocalCluster starts worker processes by re-running this executable; this makes
    # those children run their worker instead of the command line.
    multiprocessing.freeze_support()
    sys.exit(main())
