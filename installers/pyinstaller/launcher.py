"""Entry point of the frozen app: the `nodecomp` command line (`nodecomp app` opens the desktop app)."""

import multiprocessing
import sys

from nodecomp.cli.main import main

if __name__ == "__main__":
    # A farm's LocalCluster starts worker processes by re-running this executable; this makes
    # those children run their worker instead of the command line.
    multiprocessing.freeze_support()
    sys.exit(main())
