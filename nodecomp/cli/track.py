"""`nodecomp track`: track a Tracker node's features over a frame range and save the keys."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm

from nodecomp.core.errors import DocumentError


def register(commands: Any) -> None:
    """Add the `track` subcommand."""
    parser = commands.add_parser(
        "track",
        help="track a Tracker node's features and save the keyframes",
        description="Track the enabled features of a Tracker node over FRAMES (the first frame listed is where "
                    "they start) and save the script with the keyed positions.",
    )
    parser.add_argument("script", help="a .ncomp file")
    parser.add_argument("--node", required=True, metavar="NAME", help="the Tracker node (e.g. Tracker1)")
    parser.add_argument("--frames", default="", help="frames, e.g. 1-100 or 100-1 backwards (default: the range)")
    parser.add_argument("--feature", type=int, action="append", metavar="N",
                        help="track only feature N (repeatable; default: the enabled features)")
    parser.add_argument("--output", metavar="FILE", help="save to FILE instead of over SCRIPT")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Track, print one line per feature, save; exit 1 when a feature was lost, 2 for a bad script."""
    import nodecomp
    from nodecomp.nodes.transform.tracking import track

    try:
        doc = nodecomp.load(args.script)
    except DocumentError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    bar = tqdm(unit="frame", disable=args.quiet, file=sys.stderr, dynamic_ncols=True)

    def on_progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        result = track(doc, args.node, args.frames, features=args.feature, progress=on_progress)
    finally:
        bar.close()
    written = doc.save(args.output or args.script)
    sys.stdout.write("\n".join([*result.summary(), f"saved {written}"]) + "\n")
    return 1 if any(feature.lost_at is not None for feature in result.features) else 0
