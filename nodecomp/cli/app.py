"""`nodecomp app [SCRIPT]`: open the desktop app, optionally on a comp.

The CLI stays Qt-free when imported: the app module is loaded by name only when this command
runs, so `nodecomp render` never pays for (or needs) PySide6.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any


def register(commands: Any) -> None:
    """Add the `app` subcommand."""
    parser = commands.add_parser("app", help="open the desktop app (optionally on SCRIPT)")
    parser.add_argument("script", nargs="?", help="a .ncomp file to open")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the app; 2 when the script does not exist or the app packages are missing."""
    if args.script and not os.path.exists(args.script):
        sys.stderr.write(f"nodecomp: error: file {args.script}: no such file\n")
        return 2
    try:
        app = importlib.import_module("nodecomp.ui.app")
    except ImportError as exc:
        sys.stderr.write(
            f"nodecomp: error: the desktop app needs PySide6 and NodeGraphQt ({exc}); "
            "install them with: pip install -e '.[ui]'\n"
        )
        return 2
    return int(app.run(args.script))
