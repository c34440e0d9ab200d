"""`nodecomp demo`: make the demo media if needed and render the demo comp.

The demo comp lives in `resources/demo/demo.ncomp` of a source checkout; its media is generated
on first use into `resources/demo/media/` (not committed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from nodecomp.cli.demo_media import ensure_media


def demo_dir() -> Path:
    """The demo folder of this checkout (`NODECOMP_DEMO_DIR` overrides)."""
    override = os.environ.get("NODECOMP_DEMO_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "demo"


def register(commands: Any) -> None:
    """Add the `demo` subcommand."""
    parser = commands.add_parser("demo", help="generate the demo media and render the demo comp")
    parser.add_argument("--frames", default="", help="frames to render (default: the comp's range)")
    parser.add_argument("--no-render", action="store_true", help="only generate the media")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Generate media, render, print where the EXRs are."""
    folder = demo_dir()
    script = folder / "demo.ncomp"
    if not script.exists():
        sys.stderr.write(f"nodecomp: error: no demo comp at {script}\n")
        return 2
    sys.stdout.write(f"demo media: {folder / 'media'}\n")
    ensure_media(str(folder / "media"))
    if args.no_render:
        return 0
    from nodecomp.cli import render

    render_args = argparse.Namespace(
        script=str(script), write=None, frames=args.frames, threads=None, cache_mb=None,
        stats=True, keep_going=False, quiet=False, retain="recurring",
    )
    code = render.run(render_args)
    if code == 0:
        sys.stdout.write(f"rendered: {folder / 'render'}/demo_comp.####.exr\n")
    return code
