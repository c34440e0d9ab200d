"""Backdrop: a coloured, titled frame behind nodes in the graph, saved with the comp like any node."""

from __future__ import annotations

from nodecomp.api import Color, EvalContext, Float, Image, NodeType, String

MIN_SIZE = 80.0


class Backdrop(NodeType):
    """A coloured box behind a group of nodes, with a title and a note (Nuke's BackdropNode).

    It organises the graph and nothing else: no inputs, no output, never evaluated by renders
    or the viewer, and no effect on any cache key. Its place is the node's position in the
    graph; `width` and `height` are its size in graph units. Moving it in the graph editor
    moves the nodes standing on it.
    """

    type_id = "nodecomp.Backdrop"
    version = 1
    category = "Utility"
    outputs = ()
    cacheable = False
    params = (
        String("label", doc="Title shown in the bar at the top; the node's name when empty."),
        Color("colour", default=(0.27, 0.36, 0.42, 1.0), min=0.0, max=1.0,
              doc="Display colour of the box, 0 to 1 per channel as shown on screen (alpha is not used)."),
        Float("width", default=400.0, min=MIN_SIZE, slider_max=2000.0, doc="Width in graph units."),
        Float("height", default=260.0, min=MIN_SIZE, slider_max=2000.0, doc="Height in graph units."),
        String("note", multiline=True, doc="Text shown inside the box, under the title."),
    )

    @staticmethod
    def compute(ctx: EvalContext, label: str, colour: tuple[float, ...], width: float, height: float,
                note: str) -> Image:
        """A backdrop has no image: the engine refuses it before compute (it has no output)."""
        raise ctx.error("a Backdrop is a note in the node graph and has no image",
                        hint="view or render one of the nodes on it")
