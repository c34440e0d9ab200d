"""Tidying the graph: Dots on connections ('.') and auto-layout of a selection ('L').

Both are single Document edits made through the graph view, so one Undo reverts them. The
layout itself is `nodecomp.core.layout.arrange`, a pure function on positions and sizes; this
module feeds it the nodes' boxes as the graph editor draws them and refits backdrops whose
nodes moved.
"""

from __future__ import annotations

from collections.abc import Iterable

from nodecomp.core import layout
from nodecomp.core.node import Node
from nodecomp.ui import graph_backdrops, graph_nodes
from nodecomp.ui.graph_backdrops import is_backdrop
from nodecomp.ui.graph_view import GraphView


def insert_dots(graph_view: GraphView, connections: Iterable[tuple[Node, str, Node]] | None = None,
                at: tuple[float, float] | None = None) -> list[Node]:
    """Put a Dot on each connection (the selected pipes by default), as one undo step.

    Args:
        graph_view: the graph editor.
        connections: (target node, input name, source node) triples.
        at: where the Dot's centre goes (graph units); halfway along the connection when None.

    Returns:
        The new Dots, which become the selection.
    """
    pairs = list(graph_view.selected_connections() if connections is None else connections)
    if not pairs:
        return []
    doc = graph_view.doc
    created: list[Node] = []

    def apply() -> None:
        for target, input_name, source in pairs:
            x, y = at if at is not None else _midpoint(graph_view, target, input_name, source)
            dot = doc.add(graph_nodes.DOT_TYPE)
            created.append(dot)
            doc.connect(source, dot, 0)
            doc.connect(dot, target, input_name)
            half = graph_nodes.DOT_SIZE / 2
            doc.set_ui(dot, "pos", [round(x - half, 1), round(y - half, 1)])

    label = f"Insert {len(pairs)} dot{'s' if len(pairs) != 1 else ''}"
    if not graph_view.edit(label, apply, resync=[p[0] for p in pairs]):
        return []
    graph_view.select(created)
    return created


def _midpoint(graph_view: GraphView, target: Node, input_name: str, source: Node) -> tuple[float, float]:
    """Halfway between the source's output port and the target's input port, in graph units."""
    out_port = next(iter(graph_view.view_of(source).outputs().values()))
    in_port = graph_view.view_of(target).inputs()[input_name]
    a = out_port.view.sceneBoundingRect().center()
    b = in_port.view.sceneBoundingRect().center()
    return (a.x() + b.x()) / 2, (a.y() + b.y()) / 2


def auto_layout(graph_view: GraphView, nodes: Iterable[Node] | None = None) -> bool:
    """Arrange nodes top to bottom by dataflow, as one undo step; False when nothing moved.

    Without `nodes`: the selection when it holds two nodes or more, else every node.
    Backdrops are not arranged; a backdrop whose nodes were all arranged (and that holds no
    other node) is fitted around them again, so groups stay framed.
    """
    doc = graph_view.doc
    chosen = list(nodes) if nodes is not None else graph_view.selected()
    if nodes is None and len([n for n in chosen if not is_backdrop(n)]) < 2:
        chosen = doc.nodes
    chosen = [n for n in chosen if not is_backdrop(n) and graph_view.view_of(n) is not None]
    if not chosen:
        return False
    rects = {n.id: graph_backdrops.rect_of(graph_view.view_of(n)) for n in chosen}
    bodies = {n.id: graph_backdrops.body_size(graph_view.view_of(n)) for n in chosen}
    edges = [(source.id, node.id) for node in chosen for source in node.inputs.values()
             if source is not None and source.id in rects]
    placed = layout.arrange({i: r[:2] for i, r in rects.items()}, edges, bodies,
                            margins={i: rects[i][2] - bodies[i][0] for i in rects})
    refit = _refits(graph_view, rects, placed)
    by_id = {n.id: n for n in chosen}

    def apply() -> None:
        for node_id, (x, y) in placed.items():
            doc.set_ui(by_id[node_id], "pos", [x, y])
        for backdrop, (x, y, width, height) in refit:
            doc.set_ui(backdrop, "pos", [x, y])
            doc.set_param(backdrop, "width", width)
            doc.set_param(backdrop, "height", height)

    return graph_view.edit(f"Auto-layout {len(chosen)} nodes", apply)


def _refits(graph_view: GraphView, rects: dict[str, graph_backdrops.Rect],
            placed: dict[str, layout.Point]) -> list[tuple[Node, graph_backdrops.Rect]]:
    """Backdrops to fit around their arranged nodes, with their new rectangles."""
    others = [n for n in graph_view.doc.nodes
              if n.id not in rects and not is_backdrop(n) and graph_view.view_of(n) is not None]
    refit = []
    for backdrop in graph_view.doc.nodes:
        view = graph_view.view_of(backdrop) if is_backdrop(backdrop) else None
        if view is None:
            continue
        outer = graph_backdrops.rect_of(view)
        on_it = [i for i, rect in rects.items() if graph_backdrops.contains(outer, rect)]
        if on_it and not any(graph_backdrops.contains(outer, graph_backdrops.rect_of(graph_view.view_of(n)))
                             for n in others):
            refit.append((backdrop, graph_backdrops.wrap((*placed[i], *rects[i][2:]) for i in on_it)))
    return refit
