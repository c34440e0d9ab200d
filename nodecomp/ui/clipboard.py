"""Copy and paste of nodes as `.ncomp` text, so they travel between documents and sessions.

The clipboard holds a small `.ncomp` document with only the copied nodes: it can be pasted
into any comp, saved as a file, or read in a text editor. Connections between copied nodes
are kept; a connection to a node outside the selection is restored when the target document
has a node of that name (pasting into the comp it came from), as compositors expect.
A copied Group takes everything inside it along, with its published params; pasted nodes go
into the group the document is showing (`doc.scope`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from nodecomp.core import expressions, groups
from nodecomp.core.document import Document
from nodecomp.core.errors import DocumentError
from nodecomp.core.fileformat import FORMAT_VERSION, GENERATOR, document_from_dict, node_to_dict
from nodecomp.core.node import Node
from nodecomp.core.params import ParamState

FRAGMENT_KIND = "fragment"


def fragment_text(nodes: Sequence[Node]) -> str:
    """The nodes (and everything inside the groups among them) as `.ncomp` JSON text."""
    chosen = list(dict.fromkeys(nodes))
    picked = [g for g in chosen if groups.role(g) == "group"]
    if picked:
        ids = {n.id for n in chosen}
        chosen += [n for n in chosen[0].document.nodes
                   if n.id not in ids and any(groups.is_inside(n, g) for g in picked)]
    ids = {n.id for n in chosen}
    records = []
    for node in chosen:
        record = node_to_dict(node)
        if node.parent is not None and node.parent.id not in ids:
            del record["parent"]  # the top of the fragment goes wherever it is pasted
        records.append(record)
    data = {"format_version": FORMAT_VERSION, "generator": GENERATOR, "kind": FRAGMENT_KIND, "nodes": records}
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


def _parse(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise DocumentError("the clipboard holds no nodecomp nodes (not .ncomp text)") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not data["nodes"]:
        raise DocumentError("the clipboard holds no nodecomp nodes")
    return data


def paste_fragment(doc: Document, text: str, *, at: tuple[float, float] | None = None,
                   offset: tuple[float, float] = (40.0, 40.0)) -> list[Node]:
    """Add the nodes of a fragment to `doc` as one undo step; returns the new nodes.

    Args:
        doc: the document pasted into.
        text: `.ncomp` text (a fragment or a whole document).
        at: where the fragment's top-left node goes; when None the nodes keep their saved
            positions moved by `offset`.
        offset: shift applied when `at` is None, so a paste never hides the original.

    Raises:
        DocumentError: the text is not `.ncomp` data, or names the bad field.
    """
    data = _parse(text)
    raw_nodes = copy.deepcopy(data["nodes"])
    names = {raw.get("name") for raw in raw_nodes if isinstance(raw, dict)}
    outside: dict[str, dict[str, str]] = {}
    for raw in raw_nodes:
        if isinstance(raw, dict) and isinstance(raw.get("inputs"), dict):
            kept = {k: v for k, v in raw["inputs"].items() if v is None or v in names}
            outside[str(raw.get("name"))] = {k: v for k, v in raw["inputs"].items() if k not in kept}
            raw["inputs"] = kept
    fragment = document_from_dict(
        {"format_version": data.get("format_version", FORMAT_VERSION), "nodes": raw_nodes}, doc.registry
    )
    renamed = {n.name: (n.name if n.name not in doc else doc.unique_name(n.name)) for n in fragment.nodes}
    shift = _shift([n for n in fragment.nodes if n.parent is None], at, offset)
    created: dict[str, Node] = {}
    with doc.macro(f"Paste {len(fragment.nodes)} node{'s' if len(fragment.nodes) != 1 else ''}"):
        for source in sorted(fragment.nodes, key=groups.depth):  # groups before what they hold
            parent = created[source.parent.name] if source.parent is not None else doc.scope
            created[source.name] = _copy_node(doc, source, renamed, shift, parent)
        for source in fragment.nodes:
            target = created[source.name]
            # a group's inputs are named after its GroupInput nodes, which may have been renamed
            port = (lambda name: renamed.get(name, name)) if groups.role(source) == "group" else str
            for input_name, upstream in source.inputs.items():
                if upstream is not None:
                    doc.connect(created[upstream.name], target, port(input_name))
            for input_name, name in outside.get(source.name, {}).items():
                existing = doc.find(name) if isinstance(name, str) else None
                if existing is not None and existing not in created.values() and existing.parent is target.parent:
                    doc.connect(existing, target, port(input_name))
        for source in sorted(fragment.nodes, key=groups.depth, reverse=True):  # inner groups publish first
            for pub in source.published:
                doc.publish(created[source.name], created[pub.node.name], pub.param, pub.name)
                doc.set_param_state(created[source.name], pub.name, _renamed_state(source.params[pub.name], renamed))
    return [node for node in created.values() if node.parent is doc.scope]


def _shift(nodes: list[Node], at: tuple[float, float] | None, offset: tuple[float, float]) -> tuple[float, float]:
    positions = [n.ui["pos"] for n in nodes if _is_position(n.ui.get("pos"))]
    if at is None or not positions:
        return offset
    return at[0] - min(p[0] for p in positions), at[1] - min(p[1] for p in positions)


def _is_position(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int | float) for v in value)


def _copy_node(
    doc: Document, source: Node, renamed: dict[str, str], shift: tuple[float, float], parent: Node | None
) -> Node:
    base = groups.base_type(source.node_type) if source.node_type is not None else None
    node = doc.insert_node(source.type_id, base, renamed[source.name], parent=parent)
    node.raw_params = dict(source.raw_params)
    if source.is_placeholder:
        node.raw_inputs = {name: None for name in source.raw_inputs}
        node.inputs = {name: None for name in source.raw_inputs}
        node.ui["_type_version"] = source.ui.get("_type_version", 1)
    published = {pub.name for pub in source.published}  # set once the group publishes them
    for name, state in source.params.items():
        if name in published:
            continue
        state = _renamed_state(state, renamed)
        if state != ParamState(node.spec(name).default):
            doc.set_param_state(node, name, state)
    if source.disabled:
        doc.set_disabled(node, True)
    for key, value in source.ui.items():
        if key.startswith("_"):
            continue
        if key == "pos" and _is_position(value):
            value = [value[0] + shift[0], value[1] + shift[1]]
        doc.set_ui(node, key, value)
    return node


def _renamed_state(state: ParamState, renamed: dict[str, str]) -> ParamState:
    """Point expressions at the pasted copies of the nodes they name."""
    for component, source in state.expressions.items():
        rewritten = source
        for old, new in renamed.items():
            if old != new and old in expressions.referenced_nodes(rewritten):
                rewritten = expressions.rename_references(rewritten, old, new)
        if rewritten != source:
            state = state.with_expression(component, rewritten)
    return state
