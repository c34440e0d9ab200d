"""`nodecomp` entry point: one subcommand per module, one-line errors, meaningful exit codes.

Exit codes: 0 success, 1 a render or command failed, 2 bad usage or an unreadable script,
130 cancelled (Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from nodecomp import __version__
from nodecomp.cli import (
    action,
    app,
    cloud,
    demo,
    farm,
    info,
    led,
    look,
    nodes,
    plugins,
    render,
    script,
    track,
    train_lora,
    train_matte,
)
from nodecomp.core.errors import NodecompError

COMMANDS = (render, track, action, info, nodes, plugins, script, led, cloud, train_matte, train_lora, look, demo, farm,
            app)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="nodecomp",
        description="Node-based compositing for VFX and virtual production (headless tools).",
    )
    parser.add_argument("--version", action="version", version=f"nodecomp {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.run(args) or 0)
    except NodecompError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("nodecomp: cancelled\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
