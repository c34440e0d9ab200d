"""Backdrops in the graph editor: their look comes from the node's params, their geometry from rects.

A Backdrop node keeps its title, note, colour and size as params and its place as
`ui["pos"]`, like any node, so saving, copy/paste and undo need nothing special. This module
pushes those values onto NodeGraphQt's BackdropNode and works out the rectangles the graph
view needs: the box that wraps a set of nodes (a backdrop created with nodes selected, or
re-fitted after an auto-layout) and which nodes stand on a backdrop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from NodeGraphQt import BackdropNode

from nodecomp.core.node import Node
from nodecomp.nodes.util.backdrop import MIN_SIZE
from nodecomp.ui.graph_nodes import BACKDROP_TYPE, DotItem

Rect = tuple[float, float, float, float]  # x, y, width, height in graph units

PADDING = 20.0
TITLE_BAR = 26.0


def is_backdrop(node: Node | None) -> bool:
    """True for Backdrop nodes (which have no ports and are never evaluated)."""
    return node is not None and node.type_id == BACKDROP_TYPE


def title(node: Node) -> str:
    """What the bar shows: the label, else the node's name."""
    label = node.params["label"].value if "label" in node.params else ""
    return label.strip() or node.name


def show(view: BackdropNode, node: Node) -> None:
    """Make the view show the node's label, note, colour and size (no NodeGraphQt undo)."""
    colour = node["colour"]
    rgb = [max(0, min(255, round(float(c) * 255))) for c in colour[:3]]
    view.set_property("color", (*rgb, 255), push_undo=False)
    view.set_property("backdrop_text", node["note"], push_undo=False)
    width, height = float(node["width"]), float(node["height"])
    if (view.view.width, view.view.height) != (width, height):
        view.view.width, view.view.height = width, height
        view.model.width, view.model.height = width, height
    view.view.name = title(node)  # display only: the view node's own name stays the node's name
    view.view.update()


def wrap(rects: Iterable[Rect], padding: float = PADDING) -> Rect | None:
    """The backdrop rectangle around `rects`: padded, with room for the title bar, at least MIN_SIZE."""
    rects = list(rects)
    if not rects:
        return None
    left = min(r[0] for r in rects) - padding
    top = min(r[1] for r in rects) - padding - TITLE_BAR
    right = max(r[0] + r[2] for r in rects) + padding
    bottom = max(r[1] + r[3] for r in rects) + padding
    return (round(left, 1), round(top, 1), round(max(right - left, MIN_SIZE), 1),
            round(max(bottom - top, MIN_SIZE), 1))


def contains(outer: Rect, inner: Rect) -> bool:
    """True when `inner` lies entirely inside `outer` (a node standing on a backdrop)."""
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[0] + inner[2] <= outer[0] + outer[2] and inner[1] + inner[3] <= outer[1] + outer[3])


def rect_of(view: Any) -> Rect:
    """A view node's rectangle in graph units: from its position, as wide as its name reaches.

    In the vertical layout NodeGraphQt writes a node's name to the right of its body, so the
    width runs to the end of that text (layouts and backdrops must leave room for it).
    """
    x, y = view.pos()
    item = view.view
    reach = item.boundingRect().right()
    text = None if isinstance(view, BackdropNode) or isinstance(item, DotItem) else getattr(item, "text_item", None)
    if text is not None:  # hidden when zoomed far out, but the layout must not depend on the zoom
        reach = max(reach, text.mapRectToParent(text.boundingRect()).right())
    return (float(x), float(y), float(reach), float(item.height))


def body_size(view: Any) -> tuple[float, float]:
    """A view node's own box (without its name), which layouts line up by."""
    return (float(view.view.width), float(view.view.height))
