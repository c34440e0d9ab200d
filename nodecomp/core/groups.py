"""Groups: sub-graphs that live in the same document, one level per Group node.

A node inside a group has `parent` set to the Group node; names stay unique across the whole
document, so expressions and files name nodes the same way inside and out. A Group's inputs are
its GroupInput nodes (named after them, in creation order) and its result is what its GroupOutput
node receives. Published params are inner params shown on the group (`Published`).

Because a group's inputs and params belong to one node, not to its type, each Group node gets its
own subclass of the registered Group type (`refresh_group_type`); everything that reads a node's
schema (the engine, the properties panel, the file format) then works unchanged.

The edits here are built from the document's undoable commands, so collapsing, ungrouping and
publishing are single undo steps like any other edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from nodecomp.core.commands import Command
from nodecomp.core.errors import GraphError, ParamError
from nodecomp.core.node import Node, Published
from nodecomp.core.nodetype import Input, NodeType
from nodecomp.core.params import ParamState

if TYPE_CHECKING:
    from nodecomp.core.document import Document


def role(node: Node) -> str:
    """"group", "input", "output" or "" (also for placeholders)."""
    return node.node_type.group_role if node.node_type is not None else ""


def children(doc: Document, group: Node | None) -> list[Node]:
    """Nodes directly inside `group` (None: the top level), in creation order."""
    return [node for node in doc.nodes if node.parent is group]


def group_inputs(doc: Document, group: Node) -> list[Node]:
    """The group's GroupInput nodes, in creation order: they are its inputs."""
    return [node for node in children(doc, group) if role(node) == "input"]


def group_output(doc: Document, group: Node) -> Node | None:
    """The group's GroupOutput node (the first, when several), or None."""
    return next((node for node in children(doc, group) if role(node) == "output"), None)


def depth(node: Node) -> int:
    """How many groups `node` is inside."""
    count, parent = 0, node.parent
    while parent is not None:
        count, parent = count + 1, parent.parent
    return count


def is_inside(node: Node, group: Node) -> bool:
    """True when `node` is `group` or lies in it at any depth."""
    current: Node | None = node
    while current is not None:
        if current is group:
            return True
        current = current.parent
    return False


def base_type(node_type: type[NodeType]) -> type[NodeType]:
    """The registered Group type behind a per-node subclass."""
    return getattr(node_type, "group_base", node_type)


def refresh_group_type(doc: Document, group: Node, states: dict[str, ParamState] | None = None) -> None:
    """Rebuild `group`'s per-node type from its GroupInput nodes and published params.

    Connections of inputs that still exist are kept (by name); a published param keeps its state,
    a newly published one starts from `states` or from the inner node's current state.
    """
    assert group.node_type is not None  # noqa: S101 - only called for loaded Group nodes
    base = base_type(group.node_type)
    inputs = tuple(
        Input(node.name, optional=True, doc=f"Feeds the group's {node.name} node.") for node in group_inputs(doc, group)
    )
    published = tuple(replace(pub.node.spec(pub.param), name=pub.name) for pub in group.published)
    group.node_type = type(
        base.__name__, (base,), {"inputs": inputs, "params": published + base.params, "group_base": base,
                                 "__module__": base.__module__, "__doc__": base.__doc__},
    )
    group.inputs = {spec.name: group.inputs.get(spec.name) for spec in inputs}
    old = group.params
    group.params = {}
    for pub in group.published:
        if pub.name in old:
            group.params[pub.name] = old[pub.name]
        elif states and pub.name in states:
            group.params[pub.name] = states[pub.name]
        else:
            group.params[pub.name] = pub.node.params[pub.param]
    for spec in base.params:
        group.params[spec.name] = old.get(spec.name, ParamState(spec.default))


def role_type(doc: Document, wanted: str) -> type[NodeType]:
    """The registered node type playing group role `wanted` ("group", "input", "output")."""
    for node_type in doc.registry:
        if node_type.group_role == wanted:
            return node_type
    raise GraphError(f"no node type for group {wanted}s is registered", hint="the built-in nodes provide them")


def _insert(doc: Document, wanted: str, stem: str, parent: Node | None, name: str | None = None) -> Node:
    node_type = role_type(doc, wanted)
    return doc.insert_node(node_type.type_id, node_type, name or doc.unique_name(stem), parent=parent)


def linked(node: Node, name: str) -> tuple[Node, str] | None:
    """The (group, published name) holding param `name` of `node`, when it is published."""
    group = node.parent
    if group is None:
        return None
    for pub in group.published:
        if pub.node is node and pub.param == name:
            return group, pub.name
    return None


# ------------------------------------------------------------------ publish
def publish(doc: Document, group: Node, node: Node, param: str, name: str | None = None) -> str:
    """Show `node.param` on `group` as `name` (default: the param's own name); returns the name."""
    _check_group(group)
    if node.parent is not group:
        raise GraphError(f"{node.name} is not directly inside {group.name}; publish from the group it is in")
    node.spec(param)  # raises ParamError naming the node when unknown
    if linked(node, param) is not None:
        raise ParamError(f"already published on {group.name}", node=node.name, param=param)
    name = name or param
    if name in group.params:
        raise ParamError(f"{group.name} already has a param {name!r}", node=group.name, param=name)
    published = Published(name, node, param)

    def apply(add: bool) -> None:
        if add:
            group.published.append(published)
        else:
            group.published.remove(published)
        refresh_group_type(doc, group)
        doc.events.node_changed.emit(group, "published")

    doc.undo_stack.push(Command(f"Publish {node.name}.{param} on {group.name}", lambda: apply(True),
                                lambda: apply(False)))
    return name


def unpublish(doc: Document, group: Node, name: str) -> None:
    """Stop showing param `name` on `group`; the inner param keeps the value the group had."""
    _check_group(group)
    published = next((pub for pub in group.published if pub.name == name), None)
    if published is None:
        raise ParamError(f"{group.name} publishes no param {name!r}", node=group.name, param=name)
    index = group.published.index(published)
    with doc.macro(f"Unpublish {group.name}.{name}"):
        state = group.params[name]
        inner_old = published.node.params[published.param]

        def apply(remove: bool) -> None:
            if remove:
                group.published.remove(published)
                published.node.params[published.param] = state
                refresh_group_type(doc, group)
            else:
                group.published.insert(index, published)
                published.node.params[published.param] = inner_old
                refresh_group_type(doc, group, {name: state})
            doc.events.node_changed.emit(group, "published")
            doc.events.param_changed.emit(published.node, published.param)

        doc.undo_stack.push(Command(f"Unpublish {group.name}.{name}", lambda: apply(True), lambda: apply(False)))


def _check_group(group: Node) -> None:
    if role(group) != "group":
        raise GraphError(f"{group.name} is not a Group")


# -------------------------------------------------------------- structure
def set_parent(doc: Document, node: Node, parent: Node | None) -> None:
    """Move `node` into `parent` (None: top level), undoably; group inputs follow GroupInput nodes."""
    old = node.parent
    if old is parent:
        return
    if parent is not None and is_inside(parent, node):
        raise GraphError(f"{node.name} cannot go inside {parent.name}: it would contain itself")

    def apply(value: Node | None) -> None:
        previous = node.parent
        node.parent = value
        for group in (previous, value):
            if group is not None and role(node) == "input":
                refresh_group_type(doc, group)
        doc.events.node_changed.emit(node, "parent")

    doc.undo_stack.push(Command(f"Move {node.name}", lambda: apply(parent), lambda: apply(old)))


def collapse(doc: Document, nodes: Iterable[Node], name: str | None = None) -> Node:
    """Move `nodes` into a new Group wired in their place (Nuke's Collapse to Group); one undo step.

    Each outside node feeding the selection becomes a group input (through a GroupInput node),
    and the selection's result (the node feeding outside, else the last node nothing inside
    reads) goes to a GroupOutput whose consumers outside now read the group.
    """
    chosen = list(dict.fromkeys(nodes))
    if not chosen:
        raise GraphError("select the nodes to group")
    scope = chosen[0].parent
    if any(node.parent is not scope for node in chosen):
        raise GraphError("the nodes to group must all be in the same group")
    inside = set(map(id, chosen))
    feeds_outside: list[Node] = []
    outside_reads: list[tuple[Node, str, Node]] = []
    for other in doc.nodes:
        if id(other) in inside:
            continue
        for input_name, source in other.inputs.items():
            if source is not None and id(source) in inside:
                outside_reads.append((other, input_name, source))
                if source not in feeds_outside:
                    feeds_outside.append(source)
    read_inside = {id(src) for node in chosen for src in node.inputs.values() if src is not None}
    result = feeds_outside[0] if feeds_outside else next(
        (node for node in reversed(chosen) if id(node) not in read_inside), chosen[-1]
    )
    with doc.macro("Collapse to group"):
        group = _insert(doc, "group", "Group", scope, name)
        positions = [node.ui["pos"] for node in chosen if isinstance(node.ui.get("pos"), list | tuple)]
        if positions:
            doc.set_ui(group, "pos", [sum(p[0] for p in positions) / len(positions),
                                      sum(p[1] for p in positions) / len(positions)])
        outside_sources: dict[int, Node] = {}
        rewire: list[tuple[Node, str, Node]] = []
        for node in chosen:
            for input_name, source in list(node.inputs.items()):
                if source is not None and id(source) not in inside:
                    doc.disconnect(node, input_name)
                    rewire.append((node, input_name, source))
                    outside_sources.setdefault(id(source), source)
        for other, input_name, _source in outside_reads:
            doc.disconnect(other, input_name)
        for node in chosen:
            set_parent(doc, node, group)
        group_input_for: dict[int, Node] = {}
        for key, source in outside_sources.items():
            group_input = _insert(doc, "input", "Input", group)
            group_input_for[key] = group_input
            doc.connect(source, group, group_input.name)
        for node, input_name, source in rewire:
            doc.connect(group_input_for[id(source)], node, input_name)
        output = _insert(doc, "output", "Output", group)
        doc.connect(result, output, 0)
        for other, input_name, _source in outside_reads:
            doc.connect(group, other, input_name)
    return group


def expand(doc: Document, group: Node) -> list[Node]:
    """Put a group's nodes back in its place and delete it (Nuke's Expand Group); one undo step.

    Returns the nodes that were inside (without the GroupInput/GroupOutput nodes).
    """
    _check_group(group)
    inner = children(doc, group)
    output = group_output(doc, group)
    result = output.input_node(0) if output is not None else None
    if result is not None and role(result) == "input":  # the group passed an input straight through
        result = group.inputs.get(result.name)
    with doc.macro(f"Expand {group.name}"):
        for pub in list(group.published):
            unpublish(doc, group, pub.name)
        rewire: list[tuple[Node, str, Node | None]] = []
        for group_input in group_inputs(doc, group):
            source = group.inputs.get(group_input.name)
            for other in inner:
                for input_name, feeding in list(other.inputs.items()):
                    if feeding is group_input:
                        doc.disconnect(other, input_name)
                        rewire.append((other, input_name, source))
        consumers = [(other, input_name) for other in doc.nodes for input_name, src in other.inputs.items()
                     if src is group]
        for other, input_name in consumers:
            doc.disconnect(other, input_name)
        kept = [node for node in inner if role(node) not in ("input", "output")]
        for node in kept:
            set_parent(doc, node, group.parent)
        for node in inner:
            if node not in kept:
                doc.remove(node)
        doc.remove(group)
        for node, input_name, source in rewire:
            if source is not None and node in kept:
                doc.connect(source, node, input_name)
        if result is not None:
            for other, input_name in consumers:
                doc.connect(result, other, input_name)
    return kept
