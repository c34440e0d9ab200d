"""`nodecomp led`: plan an LED wall (report only) or export a comp or image sequence to it.

    nodecomp led plan --wall WALL.json [--json] [--report FILE]
    nodecomp led export --wall WALL.json --input SCRIPT_OR_IMAGES --frames A-B --out DIR

The work is done by the bundled `led_wall` plugin: `plan` reads the wall file and prints what
the wall needs (canvas, cabinets, processors, ports, warnings); `export` renders an
`LEDWallExport` node fed by the script's canvas node (or by a Read of the images) with the
usual render job: frames in parallel, progress bar, one-line errors naming node, frame and file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import types
from typing import Any

from nodecomp.core.errors import DocumentError, GraphError, PluginError
from nodecomp.core.frames import parse_frames

PLUGIN_MODULE = "plugins.led_wall"
EXPORT_TYPE = "led_wall.LEDWallExport"
_COLOUR_CHOICES = {
    "gamut": ("wall", "rec2020", "p3d65", "rec709"),
    "eotf": ("wall", "pq", "gamma"),
    "range": ("wall", "full", "legal"),
    "bit_depth": ("wall", "8", "10", "12"),
}


def register(commands: Any) -> None:
    """Add `led plan` and `led export`."""
    parser = commands.add_parser("led", help="LED wall: plan a wall, export frames to it",
                                 description="Plan an LED wall or export frames to its processors.")
    sub = parser.add_subparsers(dest="led_command", metavar="ACTION", required=True)
    plan = sub.add_parser("plan", help="report what a wall needs (no images)",
                          description="Read a wall file and print canvas, cabinets, processors, ports and warnings.")
    plan.add_argument("--wall", required=True, help="wall definition (.json, or .yaml)")
    plan.add_argument("--json", action="store_true", help="print report.json instead of the summary")
    plan.add_argument("--report", metavar="FILE", help="also write the JSON report to FILE")
    _colour_arguments(plan)
    plan.set_defaults(run=run_plan)

    export = sub.add_parser("export", help="export frames to the wall's processors",
                            description="Render a script's canvas node (or an image sequence) through "
                                        "LEDWallExport: rasters, optional tiles, maps, overlay, report.")
    export.add_argument("--wall", required=True, help="wall definition (.json, or .yaml)")
    export.add_argument("--input", required=True, metavar="SCRIPT_OR_IMAGES",
                        help="a .ncomp script, or an image or sequence such as bg.####.exr")
    export.add_argument("--frames", default="", help="frames, e.g. 1-24 (default: the script's range; 1 for images)")
    export.add_argument("--out", required=True, metavar="DIR", help="export folder")
    export.add_argument("--node", help="the script's node holding the canvas (default: the first Write's input)")
    export.add_argument("--formats", default="dpx", help="raster formats: dpx, tiff, exr (comma separated)")
    export.add_argument("--tiles", action="store_true", help="also write one PNG per cabinet")
    export.add_argument("--no-patterns", action="store_true", help="skip the checker and outline patterns")
    export.add_argument("--content", default="picture", choices=("picture", "checker", "outline", "frame_counter"),
                        help="export the input (picture) or a test pattern in its place")
    export.add_argument("--fit", default="exact", choices=("exact", "stretch"),
                        help="exact: the input must be the canvas size; stretch: resample it")
    export.add_argument("--threads", type=int, default=None, help="frames in flight (default: cores)")
    export.add_argument("--quiet", action="store_true", help="no progress bar")
    _colour_arguments(export)
    export.set_defaults(run=run_export)


def _colour_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("colour (default: the wall file's)")
    group.add_argument("--gamut", default="wall", choices=_COLOUR_CHOICES["gamut"])
    group.add_argument("--eotf", default="wall", choices=_COLOUR_CHOICES["eotf"])
    group.add_argument("--range", dest="signal_range", default="wall", choices=_COLOUR_CHOICES["range"])
    group.add_argument("--bit-depth", default="wall", choices=_COLOUR_CHOICES["bit_depth"])
    group.add_argument("--peak-nits", type=float, default=0.0, help="the wall's peak (0: the file's)")
    group.add_argument("--scene-white-nits", type=float, default=0.0,
                       help="nits of scene-linear 1.0 (0: the file's, 100 by default)")


def plugin_module(name: str = "") -> types.ModuleType:
    """The led_wall plugin package (or one of its modules), imported like the plugin loader does.

    Raises:
        PluginError: the bundled plugin is not there or fails to import.
    """
    package = sys.modules.get(PLUGIN_MODULE)
    if package is None:
        from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

        found = [c for c in folder_candidates(bundled_dir(), Source.BUNDLED) if c.module == PLUGIN_MODULE]
        if not found:
            raise PluginError(f"the bundled plugin is missing from {bundled_dir()}", plugin="led_wall")
        found[0].load()
    return importlib.import_module(f"{PLUGIN_MODULE}.{name}" if name else PLUGIN_MODULE)


def _overrides(args: argparse.Namespace) -> Any:
    settings = plugin_module("settings")
    return settings.Overrides(gamut=args.gamut, eotf=args.eotf, signal_range=args.signal_range,
                              bit_depth=args.bit_depth, peak_nits=args.peak_nits,
                              scene_white_nits=args.scene_white_nits)


def run_plan(args: argparse.Namespace) -> int:
    """Print the wall's summary (or report.json); exit 1 with the bad field named when the file is invalid."""
    settings = plugin_module("settings")
    report_module = plugin_module("report")
    loaded = settings.load_wall(os.path.abspath(args.wall), _overrides(args))
    report = report_module.build_report(loaded.plan, wall_file=loaded.path)
    text = json.dumps(report, indent=2) + "\n"
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            handle.write(text)
    sys.stdout.write(text if args.json else report_module.summary_text(report))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Render the frames through LEDWallExport; exit 1 on a failed frame, 2 for a bad script or arguments."""
    from nodecomp.cli.render import run_job
    from nodecomp.engine.cache import ImageCache, default_render_budget_bytes
    from nodecomp.engine.evaluator import Retain
    from nodecomp.engine.jobs import RenderJob

    if args.threads is not None and args.threads < 1:
        sys.stderr.write("nodecomp: error: --threads must be at least 1\n")
        return 2
    wall = os.path.abspath(args.wall)
    loaded = plugin_module("settings").load_wall(wall, _overrides(args))  # a bad wall file fails before rendering
    registry = _registry()
    try:
        doc, source = _source(args, registry)
    except DocumentError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    node = doc.add(EXPORT_TYPE, source, wall=wall, output_dir=os.path.abspath(args.out), formats=args.formats,
                   tiles=args.tiles, patterns=not args.no_patterns, content=args.content, fit=args.fit,
                   gamut=args.gamut, eotf=args.eotf, signal_range=args.signal_range, bit_depth=args.bit_depth,
                   peak_nits=args.peak_nits, scene_white_nits=args.scene_white_nits)
    is_script = args.input.lower().endswith(".ncomp")
    frames = parse_frames(args.frames or ("" if is_script else "1"), default=doc.frame_range)
    job = RenderJob(doc, [node.name], frames, threads=args.threads, cache=ImageCache(default_render_budget_bytes()),
                    retain=Retain.RECURRING)
    code, result = run_job(job, len(frames), quiet=args.quiet)
    if code:
        return code
    width, height = loaded.plan.canvas
    sys.stdout.write(f"exported {len(result.done)} frames of the {width}x{height} canvas to "
                     f"{len(loaded.plan.processors)} processor rasters in {os.path.abspath(args.out)} "
                     f"({result.seconds:.1f} s); report: {os.path.join(os.path.abspath(args.out), 'report.txt')}\n")
    return 0


def _registry() -> Any:
    """The process registry, plus the plugin's node types when the loader did not load them."""
    from nodecomp.core.registry import NodeRegistry
    from nodecomp.plugin_loader import default_registry

    registry = default_registry()
    if EXPORT_TYPE in registry:
        return registry
    return NodeRegistry([*registry, *plugin_module().NODE_TYPES])


def _source(args: argparse.Namespace, registry: Any) -> tuple[Any, Any]:
    """(document, canvas node): the script's node, or a Read of the images in a new document."""
    import nodecomp

    if args.input.lower().endswith(".ncomp"):
        doc = nodecomp.load(args.input, registry=registry)
        if args.node:
            return doc, doc[args.node]
        for write in sorted(doc.outputs(), key=lambda n: n.name):
            upstream = next((src for src in write.inputs.values() if src is not None), None)
            if upstream is not None:
                return doc, upstream
        raise GraphError(f"{args.input} has no Write node with an input", hint="name the canvas node with --node")
    doc = nodecomp.Document(registry)
    return doc, doc.add("Read", file=os.path.abspath(args.input))
