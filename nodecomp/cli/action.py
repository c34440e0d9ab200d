"""`nodecomp run-action`: run a node's action (Train, Export LUT, Track) from the command line.

    nodecomp run-action SCRIPT NODE                 # list the node's actions
    nodecomp run-action SCRIPT NODE ACTION [--frame F] [--set PARAM=VALUE ...] [--output FILE]

The same job the app's buttons start: a progress bar with the action's status and live values
(a loss); the first Ctrl-C cancels it cooperatively (training writes its checkpoint first), a
second one stops at once; and
params the action changes on its node (a Tracker's keys) are saved into the script, or into
--output. `--set` changes params for this run only, unless the action's edits are saved too.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import Any

from nodecomp.core.errors import CancelledError, DocumentError, GraphError


def register(commands: Any) -> None:
    """Add the `run-action` subcommand."""
    parser = commands.add_parser(
        "run-action", help="run a node's action (train a look, export a LUT, track) with progress",
        description="Run ACTION of NODE in SCRIPT, as the app's buttons do; without ACTION, list the node's actions.",
    )
    parser.add_argument("script", help="a .ncomp file")
    parser.add_argument("node", help="the node's name (e.g. LookTrain1)")
    parser.add_argument("action", nargs="?", help="the action's name (e.g. train); omit to list them")
    parser.add_argument("--frame", type=float, help="the current frame the action starts from (default: the first)")
    parser.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE",
                        help="set a param first (VALUE is JSON, else text); repeatable")
    parser.add_argument("--output", metavar="FILE", help="save edits the action makes to FILE instead of SCRIPT")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def parse_assignment(text: str) -> tuple[str, Any]:
    """`epochs=40` -> ("epochs", 40); a value that is not JSON is text (`frames=1-20`).

    Raises:
        GraphError: there is no `=`.
    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise GraphError(f"--set {text!r} is not PARAM=VALUE")
    try:
        return name.strip(), json.loads(value)
    except ValueError:
        return name.strip(), value


def run(args: argparse.Namespace) -> int:
    """Run (or list) the action; exit 0 done, 1 failed, 2 bad script or node, 130 cancelled."""
    import nodecomp
    from nodecomp.engine.actions import ActionJob, ActionProgress

    try:
        doc = nodecomp.load(args.script)
        node = doc[args.node]
    except (DocumentError, GraphError) as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    node_type = node.node_type
    if args.action is None:
        actions = node_type.actions if node_type is not None else ()
        for spec in actions:
            sys.stdout.write(f"{spec.name:<16} {spec.display_label}: {spec.doc}\n")
        if not actions:
            sys.stderr.write(f"{node.name} ({node.type_name}) has no actions\n")
        return 0
    for assignment in args.set:
        name, value = parse_assignment(assignment)
        doc.set_param(node, name, value)
    frame = args.frame if args.frame is not None else float(doc.frame_range[0])
    try:
        job = ActionJob(doc, node, args.action, frame=frame)
    except GraphError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    from tqdm import tqdm

    title = f"{node.name} {job.spec.display_label}"
    bar = tqdm(total=1000, disable=args.quiet, file=sys.stderr, dynamic_ncols=True, desc=title,
               bar_format="{desc} {percentage:3.0f}%|{bar}|")

    def on_progress(event: ActionProgress) -> None:
        if event.fraction is not None:
            bar.n = round(event.fraction * 1000)
        if event.message:
            bar.set_description_str(f"{title}: {event.message}", refresh=False)
        bar.refresh()

    def interrupt(_signum: int, _frame: Any) -> None:
        if job.token.cancelled:
            raise KeyboardInterrupt
        job.cancel()
        bar.set_description_str(f"{title}: cancelling (Ctrl-C again to stop at once)")

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        result = job.run(on_progress)
    except CancelledError as exc:
        bar.close()
        sys.stderr.write(f"nodecomp: {exc}\n")
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
        bar.close()
    lines = [result.message] if result.message else []
    if result.params:
        result.apply(doc)
        lines.append(f"saved {doc.save(args.output or args.script)}")
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0
