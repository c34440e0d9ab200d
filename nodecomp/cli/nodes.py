"""`nodecomp nodes`: list, describe and document node types from their declarations.

The reference in `docs/nodes/reference.md` is generated here, so it cannot drift from the code
(a test compares the committed file with a fresh generation).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from typing import Any

from nodecomp.core.errors import GraphError
from nodecomp.core.nodetype import NodeType


def register(commands: Any) -> None:
    """Add the `nodes` subcommand."""
    parser = commands.add_parser("nodes", help="list, describe and document node types")
    sub = parser.add_subparsers(dest="nodes_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every registered node type by category")
    listing.set_defaults(run=run_list)
    describe = sub.add_parser("describe", help="one node type: inputs, params, documentation")
    describe.add_argument("type", help="short name (Grade) or type id (nodecomp.Grade)")
    describe.set_defaults(run=run_describe)
    docs = sub.add_parser("docs", help="write the Markdown reference of every node type")
    docs.add_argument("--out", default="-", help="file to write (default: standard output)")
    docs.set_defaults(run=run_docs)


def _registry():
    from nodecomp.plugin_loader import default_registry

    return default_registry()


def _doc_text(node_type: type[NodeType]) -> str:
    return inspect.cleandoc(node_type.__doc__ or "").strip()


def _format_default(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value) + ")"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _proxy_note(node_type: type[NodeType]) -> str:
    """What the node computes less of: a region of interest, a proxy scale (see docs/architecture.md)."""
    honoured = [what for what, flag in (("region of interest", node_type.supports_region),
                                        ("proxy scale", node_type.supports_scale)) if flag]
    return f"; honours {' and '.join(honoured)}" if honoured else ""


def describe_markdown(node_type: type[NodeType]) -> str:
    """The Markdown section for one node type."""
    lines = [f"### {node_type.short_name()}", "", f"`{node_type.type_id}` (version {node_type.version}, "
             f"{node_type.category}, runs on {node_type.device.value}{_proxy_note(node_type)})", "",
             _doc_text(node_type), ""]
    if node_type.inputs:
        lines += ["| input | optional | description |", "|---|---|---|"]
        lines += [f"| `{i.name}` | {'yes' if i.optional else 'no'} | {i.doc} |" for i in node_type.inputs]
        lines.append("")
    if node_type.params:
        lines += ["| param | kind | default | description |", "|---|---|---|---|"]
        for spec in node_type.params:
            kind = spec.kind + (", pixels" if spec.pixels else "")
            choices = getattr(spec, "choices", ())
            if choices:
                kind += ": " + ", ".join(choices)
            doc = " ".join(spec.doc.split()).replace("|", "\\|")
            lines.append(f"| `{spec.name}` | {kind} | `{_format_default(spec.default)}` | {doc} |")
        lines.append("")
    if node_type.actions:
        lines += ["| action | button | description |", "|---|---|---|"]
        for action in node_type.actions:
            doc = " ".join(action.doc.split()).replace("|", "\\|")
            lines.append(f"| `{action.name}` | {action.display_label} | {doc} |")
        lines.append("")
    return "\n".join(lines)


def reference_markdown() -> str:
    """The whole reference, grouped by category."""
    by_category: dict[str, list[type[NodeType]]] = {}
    for node_type in _registry():
        by_category.setdefault(node_type.category, []).append(node_type)
    parts = [
        "# Node reference",
        "",
        "Generated from the node declarations by `nodecomp nodes docs --out docs/nodes/reference.md`;",
        "do not edit by hand. The family pages beside this file explain the nodes with examples.",
        "",
    ]
    for category in sorted(by_category):
        parts += [f"## {category}", ""]
        parts += [describe_markdown(t) for t in sorted(by_category[category], key=lambda t: t.short_name())]
    return "\n".join(parts).rstrip() + "\n"


def run_list(args: argparse.Namespace) -> int:
    """Print node types by category."""
    for node_type in sorted(_registry(), key=lambda t: (t.category, t.short_name())):
        summary = _doc_text(node_type).splitlines()[0] if node_type.__doc__ else ""
        sys.stdout.write(f"{node_type.category:<12} {node_type.short_name():<18} {summary}\n")
    return 0


def run_describe(args: argparse.Namespace) -> int:
    """Print one node type's reference."""
    try:
        node_type = _registry().resolve(args.type)
    except GraphError as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    sys.stdout.write(describe_markdown(node_type) + "\n")
    return 0


def run_docs(args: argparse.Namespace) -> int:
    """Write the reference."""
    text = reference_markdown()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        from nodecomp.core.fileformat import write_atomically

        write_atomically(args.out, text)
    return 0
