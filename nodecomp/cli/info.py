"""`nodecomp info`: what a script contains, without rendering anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from nodecomp.core.errors import DocumentError


def register(commands: Any) -> None:
    """Add the `info` subcommand."""
    parser = commands.add_parser("info", help="describe a script: nodes, ranges, outputs")
    parser.add_argument("script", nargs="?", help="a .ncomp file")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--colorspaces", action="store_true", help="list the OCIO colour spaces in use")
    parser.set_defaults(run=run)


def describe(doc: Any) -> dict[str, Any]:
    """A plain summary of a document."""
    first, last = doc.frame_range
    fmt = doc.format
    nodes = []
    for node in doc.nodes:
        entry: dict[str, Any] = {
            "name": node.name,
            "type": node.type_id,
            "inputs": {k: (v.name if v else None) for k, v in node.inputs.items()},
        }
        if node.is_placeholder:
            entry["placeholder"] = True
        if node.disabled:
            entry["disabled"] = True
        if "file" in node.params:
            entry["file"] = node.params["file"].value
        if node.parent is not None:
            entry["group"] = node.parent.name
        nodes.append(entry)
    return {
        "name": doc.name,
        "path": doc.path,
        "frames": [first, last],
        "fps": doc.fps,
        "format": {"width": fmt.width, "height": fmt.height, "pixel_aspect": fmt.pixel_aspect, "name": fmt.name},
        "ocio_config": doc.settings.get("ocio_config") or "(default)",
        "nodes": nodes,
        "outputs": [n.name for n in doc.outputs()],
        "problems": list(getattr(doc, "load_problems", [])),
    }


def run(args: argparse.Namespace) -> int:
    """Print the summary."""
    if args.colorspaces:
        from nodecomp.engine.colour import colour_manager

        manager = colour_manager()
        sys.stdout.write(f"config {manager.source}, working space {manager.working_space}\n")
        sys.stdout.write("\n".join(manager.colorspaces()) + "\n")
        if not args.script:
            return 0
    if not args.script:
        sys.stderr.write("nodecomp: error: info needs a SCRIPT (or --colorspaces)\n")
        return 2
    import nodecomp

    try:
        doc = nodecomp.load(args.script)
    except DocumentError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    summary = describe(doc)
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return 0
    fmt = summary["format"]
    lines = [
        f"script   {summary['path']}",
        f"frames   {summary['frames'][0]}-{summary['frames'][1]} at {summary['fps']:g} fps",
        f"format   {fmt['width']}x{fmt['height']} {fmt['name']} (pixel aspect {fmt['pixel_aspect']:g})",
        f"colour   {summary['ocio_config']}",
        f"outputs  {', '.join(summary['outputs']) or '(none)'}",
        "nodes",
    ]
    for node in summary["nodes"]:
        wired = ", ".join(f"{k}<-{v}" for k, v in node["inputs"].items() if v) or "-"
        extra = f"  {node['file']}" if node.get("file") else ""
        flags = " [placeholder]" if node.get("placeholder") else ""
        flags += " [disabled]" if node.get("disabled") else ""
        flags += f" [in {node['group']}]" if node.get("group") else ""
        lines.append(f"  {node['name']:<16} {node['type']:<24} {wired}{extra}{flags}")
    lines.extend(f"problem  {p}" for p in summary["problems"])
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
