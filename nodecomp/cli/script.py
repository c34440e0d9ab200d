"""`nodecomp script FILE.py [ARGS]` and `nodecomp shell [SCRIPT]`: Python for pipelines.

A pipeline script is plain Python using the scripting API (`import nodecomp as nc`); `script`
runs it with the same interpreter, plugins and environment as `nodecomp render`, with ARGS in
`sys.argv[1:]`. `shell` opens an interactive console with `nc` imported and, when a script is
given, the document loaded as `doc`. Comp files (`.ncomp`) are JSON and are only ever read as
data: opening one never runs code, in the app, `nodecomp render` or `nc.load` alike.
"""

from __future__ import annotations

import argparse
import code
import os
import runpy
import sys
import traceback
from typing import Any

from nodecomp.core.errors import DocumentError, NodecompError


def register(commands: Any) -> None:
    """Add the `script` and `shell` subcommands."""
    script = commands.add_parser(
        "script", help="run a Python pipeline script with nodecomp importable",
        description="Run FILE.py as the main module; ARGS are passed on in sys.argv[1:].",
    )
    script.add_argument("file", help="a Python file")
    script.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    script.set_defaults(run=run_script)
    shell = commands.add_parser(
        "shell", help="an interactive Python console with nodecomp as nc",
        description="A Python console with `nc` (nodecomp) imported and SCRIPT, if given, loaded as `doc`.",
    )
    shell.add_argument("script", nargs="?", help="a .ncomp file to open as `doc`")
    shell.set_defaults(run=run_shell)


def run_script(args: argparse.Namespace) -> int:
    """Run the file; its exit status is the command's (an uncaught exception prints its traceback, 1)."""
    path = os.path.abspath(args.file)
    if not os.path.isfile(path):
        sys.stderr.write(f"nodecomp: error: no script {args.file}\n")
        return 2
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path, *args.args]
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        return _exit_status(exc.code)
    except NodecompError:
        raise  # the command line prints it on one line, naming node, frame and file
    except Exception:  # noqa: BLE001 - a user script may fail any way; show where, like python would
        sys.stderr.write(traceback.format_exc())
        return 1
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def run_shell(args: argparse.Namespace) -> int:
    """Start the console; returns when it is closed (Ctrl-D, `exit()`)."""
    import nodecomp

    namespace: dict[str, Any] = {"nc": nodecomp, "__name__": "__console__"}
    banner = f"nodecomp {nodecomp.__version__} shell: `nc` is nodecomp"
    if args.script:
        try:
            namespace["doc"] = nodecomp.load(args.script)
        except DocumentError as exc:
            sys.stderr.write(f"nodecomp: error: {exc}\n")
            return 2
        banner += f", `doc` is {args.script} ({len(namespace['doc'])} nodes)"
    _enable_completion(namespace)
    console = code.InteractiveConsole(namespace)
    try:
        console.interact(banner=banner + ".", exitmsg="")
    except SystemExit as exc:  # exit() inside the console
        return _exit_status(exc.code)
    return 0


def _enable_completion(namespace: dict[str, Any]) -> None:
    """Tab completion of names when the console runs in a terminal with readline."""
    if not sys.stdin.isatty():
        return
    try:
        import readline
        import rlcompleter
    except ImportError:
        return
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")
