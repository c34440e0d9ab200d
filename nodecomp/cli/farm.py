"""`nodecomp farm`: hand a script to a farm manager other than Dask.

    nodecomp farm openjd SCRIPT -o job.yaml     an Open Job Description job template
    nodecomp farm task SCRIPT --frames-expr E   what each task of that template runs

Dask rendering itself is `nodecomp render SCRIPT --farm local|tcp://...`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from nodecomp.core.errors import DocumentError, NodecompError
from nodecomp.core.frames import parse_frames


def register(commands: Any) -> None:
    """Add the `farm` subcommand and its own subcommands."""
    parser = commands.add_parser("farm", help="export jobs for other farm managers (Open Job Description)",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="farm_command", metavar="ACTION", required=True)

    openjd = actions.add_parser("openjd", help="write an Open Job Description job template for SCRIPT")
    openjd.add_argument("script", help="a .ncomp file")
    openjd.add_argument("-o", "--output", required=True, help="template file to write (.yaml, .yml or .json)")
    openjd.add_argument("--write", action="append", default=[], metavar="NAME", help="Write node (repeatable)")
    openjd.add_argument("--frames", default="", help="default frames (default: the script's range)")
    openjd.add_argument("--chunk", type=int, default=8, help="frames per task; 1 needs no OpenJD extension")
    openjd.add_argument("--nodecomp", default="nodecomp", help="the nodecomp command on the workers")
    openjd.add_argument("--name", default=None, help="job name (default: nodecomp: SCRIPT NAME)")
    openjd.set_defaults(run=run_openjd)

    task = actions.add_parser("task", help="render frames given as an OpenJD range expression (one task)")
    task.add_argument("script", help="a .ncomp file")
    task.add_argument("--frames-expr", required=True, help="OpenJD range expression, e.g. 1-8 or 1-15:2")
    task.add_argument("--write", action="append", default=None, metavar="NAME", help="Write node (repeatable)")
    task.add_argument("--path-mapping-rules", default=None, metavar="FILE",
                      help="an OpenJD pathmapping-1.0 file to apply to the script's file paths")
    task.add_argument("--threads", type=int, default=None, help="frames in flight")
    task.add_argument("--quiet", action="store_true", help="no progress bar")
    task.set_defaults(run=run_task)


def run_openjd(args: argparse.Namespace) -> int:
    """Write the template, validated with openjd-model when it is installed."""
    import nodecomp
    from nodecomp.cli import openjd

    try:
        doc = nodecomp.load(args.script)
    except DocumentError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    for name in args.write:
        doc[name]  # GraphError (exit 1) naming an unknown node
    if not args.write and not doc.outputs():
        raise NodecompError(f"{args.script} has no Write node to render")
    frames = parse_frames(args.frames, default=doc.frame_range)
    template = openjd.job_template(script=args.script, template_path=args.output, name=args.name or
                                   f"nodecomp: {doc.name}", writes=args.write, frames=frames, chunk=args.chunk,
                                   command=args.nodecomp)
    checked = openjd.validate(template)
    from nodecomp.core.fileformat import write_atomically

    write_atomically(os.path.abspath(args.output), openjd.dumps(template, args.output))
    how = f"validated with openjd-model {checked}" if checked else "not validated: openjd-model is not installed"
    sys.stdout.write(f"wrote {args.output} ({len(frames)} frames, {how})\n")
    return 0


def run_task(args: argparse.Namespace) -> int:
    """Render one OpenJD task's frames on this machine, with the session's path mapping."""
    from nodecomp.cli import openjd, render

    try:
        frames = openjd.parse_range_expr(args.frames_expr)
    except openjd.RangeExpressionError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    rules = openjd.read_path_mapping_rules(args.path_mapping_rules) if args.path_mapping_rules else []
    render_args = argparse.Namespace(
        script=args.script, write=args.write, frames=openjd.to_frame_spec(frames), threads=args.threads,
        cache_mb=None, stats=False, keep_going=False, quiet=args.quiet, retain="recurring", farm=None,
        path_map=rules,
    )
    return render.run(render_args)
