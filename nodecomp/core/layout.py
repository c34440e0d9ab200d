"""Auto-layout of a node graph: positions in, positions out (the graph editor's L key).

Nodes are arranged top to bottom by dataflow: each node goes one row below its deepest input
(longest-path layering, so every pipe points down), and sits right under its first input, so a
chain of nodes lines up in one column and a side branch steps aside. Nodes of one row that
would overlap are pushed apart as little as possible around where they want to be (pool
adjacent violators: neighbours that collide form a block centred on their wishes). The
arrangement keeps the group where it was: its top edge and the mean of its centres stay put.

It works on plain positions and sizes so it can be tested without a graph editor; positions
are the top-left corners of the node boxes, in graph units with y pointing down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Point = tuple[float, float]

DEFAULT_SIZE: Point = (160.0, 60.0)
COLUMN_GAP = 50.0
ROW_GAP = 60.0


def arrange(
    positions: Mapping[str, Point],
    edges: Iterable[tuple[str, str]],
    sizes: Mapping[str, Point] | None = None,
    *,
    margins: Mapping[str, float] | None = None,
    column_gap: float = COLUMN_GAP,
    row_gap: float = ROW_GAP,
) -> dict[str, Point]:
    """New top-left positions for the nodes of `positions`.

    Args:
        positions: node id -> current top-left corner; only these nodes move.
        edges: (source id, target id) pairs, each target's in input order: its first edge is
            the input it lines up under. Edges to nodes outside `positions` are ignored.
        sizes: node id -> (width, height); `DEFAULT_SIZE` for nodes not listed. Columns line
            up the centres of these boxes.
        margins: node id -> room to keep free right of the box (a name written beside it).
        column_gap: the least horizontal space between two nodes of a row.
        row_gap: the vertical space between the bottom of one row and the top of the next.

    Returns:
        Node id -> new top-left corner, for every node of `positions`.
    """
    if not positions:
        return {}
    sizes = sizes or {}
    size = {node: tuple(sizes.get(node, DEFAULT_SIZE)) for node in positions}
    inputs: dict[str, list[str]] = {node: [] for node in positions}
    for source, target in edges:
        if source in positions and target in positions and source != target and source not in inputs[target]:
            inputs[target].append(source)
    rank = _ranks(inputs)
    rows: dict[int, list[str]] = {}
    for node in positions:  # dict order: ties keep the caller's order
        rows.setdefault(rank[node], []).append(node)
    old_centre = {node: positions[node][0] + size[node][0] / 2 for node in positions}
    centre: dict[str, float] = {}
    tops: dict[int, float] = {}
    top = 0.0
    for row in sorted(rows):
        members = rows[row]
        wanted = {n: centre.get(inputs[n][0], old_centre[n]) if inputs[n] else old_centre[n] for n in members}
        ordered = sorted(members, key=lambda n: (wanted[n], old_centre[n]))
        halves = {n: (size[n][0] / 2, size[n][0] / 2 + (margins or {}).get(n, 0.0)) for n in members}
        centre.update(_pack(ordered, wanted, halves, column_gap))
        tops[row] = top
        top += max(size[n][1] for n in members) + row_gap
    shift_x = sum(old_centre.values()) / len(old_centre) - sum(centre.values()) / len(centre)
    shift_y = min(p[1] for p in positions.values())
    return {
        node: (round(centre[node] + shift_x - size[node][0] / 2, 1), round(tops[rank[node]] + shift_y, 1))
        for node in positions
    }


def _ranks(inputs: Mapping[str, list[str]]) -> dict[str, int]:
    """Row of each node: 0 without inputs, else one more than its deepest input (cycles cut)."""
    rank: dict[str, int] = {}
    for start in inputs:
        if start in rank:
            continue
        stack = [(start, iter(inputs[start]))]
        walking = {start}
        while stack:
            node, sources = stack[-1]
            for source in sources:
                if source not in rank and source not in walking:
                    stack.append((source, iter(inputs[source])))
                    walking.add(source)
                    break
            else:
                stack.pop()
                walking.discard(node)
                rank[node] = 1 + max((rank[s] for s in inputs[node] if s in rank), default=-1)
    return rank


def _pack(ordered: list[str], wanted: Mapping[str, float], halves: Mapping[str, tuple[float, float]],
          gap: float) -> dict[str, float]:
    """Centres for one row, in `ordered` order, without overlaps and as close to `wanted` as can be.

    `halves` holds each node's extent left and right of its centre. Each block is a run of
    touching nodes; its members' offsets from the block's first centre are fixed, and the
    block sits where the mean of (wish - offset) puts it. A block that would overlap the one
    before merges with it.
    """
    blocks: list[tuple[list[str], list[float], float]] = []  # members, offsets, first centre
    for node in ordered:
        members, offsets = [node], [0.0]
        start = wanted[node]
        while blocks:
            prev_members, prev_offsets, prev_start = blocks[-1]
            last = prev_members[-1]
            step = prev_offsets[-1] + halves[last][1] + halves[members[0]][0] + gap
            if start >= prev_start + step:
                break
            blocks.pop()
            members = prev_members + members
            offsets = prev_offsets + [step + offset for offset in offsets]
            start = sum(wanted[m] - o for m, o in zip(members, offsets, strict=True)) / len(members)
        blocks.append((members, offsets, start))
    return {m: start + o for members, offsets, start in blocks for m, o in zip(members, offsets, strict=True)}
