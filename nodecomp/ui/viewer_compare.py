"""A/B compare geometry: where A and B sit in the viewer and which one is under a point.

Plain Python, no Qt, so the canvas (drawing, dragging the wipe) and the viewer (the pixel probe)
share one answer. Coordinates are image pixels (x right, y down, origin at A's format's
top-left, as in the engine). In wipe mode both images sit where they are and a line splits the
view: A on one side, B on the other. Side by side puts B's format to the right of A's, tops
aligned, with a small gap. Difference shows one picture, |A - B|, where A is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from nodecomp.engine.image import Box

A, B, DIFFERENCE = "A", "B", "D"
SIDE_GAP = 0.03  # side-by-side gap, as a fraction of A's format width


class CompareMode(StrEnum):
    """How the viewer shows its A and B inputs."""

    OFF = "off"
    WIPE = "wipe"
    SIDE_BY_SIDE = "side_by_side"
    DIFFERENCE = "difference"

    @property
    def label(self) -> str:
        """The name shown in the viewer's menu."""
        return {"off": "Off (A only)", "wipe": "Wipe", "side_by_side": "Side by side",
                "difference": "Difference |A-B|"}[self.value]


@dataclass(frozen=True)
class Wipe:
    """The wipe line: a point (as fractions of A's format) and an angle.

    Attributes:
        x, y: the line's centre handle, 0..1 across and down the format (0.5, 0.5 is the middle).
        angle: degrees, clockwise on screen; 0 is a vertical line with A left and B right,
            90 a horizontal one with A above and B below.
    """

    x: float = 0.5
    y: float = 0.5
    angle: float = 0.0

    def centre(self, box: Box) -> tuple[float, float]:
        """The centre handle in image pixels of the format `box`."""
        return box.x0 + self.x * box.width, box.y0 + self.y * box.height

    def normal(self) -> tuple[float, float]:
        """Unit vector across the line, pointing to B's side."""
        radians = math.radians(self.angle)
        return math.cos(radians), math.sin(radians)

    def direction(self) -> tuple[float, float]:
        """Unit vector along the line (down the screen at angle 0)."""
        nx, ny = self.normal()
        return -ny, nx

    def side(self, x: float, y: float, box: Box) -> str:
        """A or B: which image the wipe shows at image point (x, y); the line itself is B's."""
        cx, cy = self.centre(box)
        nx, ny = self.normal()
        return B if (x - cx) * nx + (y - cy) * ny >= 0.0 else A

    def moved_to(self, x: float, y: float, box: Box) -> Wipe:
        """The same wipe with its centre at image point (x, y), kept inside the format."""
        fx = (x - box.x0) / box.width if box.width else 0.5
        fy = (y - box.y0) / box.height if box.height else 0.5
        return Wipe(min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0), self.angle)

    def turned_towards(self, dx: float, dy: float, snap: float = 0.0) -> Wipe:
        """The wipe turned so its rotation handle (ahead of the centre, up at angle 0) points along (dx, dy).

        Args:
            dx, dy: from the centre to where the handle is dragged (any units with y down).
            snap: round the angle to multiples of this many degrees (0: no rounding).
        """
        if dx == 0.0 and dy == 0.0:
            return self
        angle = math.degrees(math.atan2(dx, -dy))
        if snap:
            angle = round(angle / snap) * snap
        return Wipe(self.x, self.y, (angle + 180.0) % 360.0 - 180.0)


def side_by_side_offset(box_a: Box, box_b: Box) -> tuple[int, int]:
    """Where B's pixels are moved to sit right of A's format, tops aligned, past a small gap."""
    gap = max(4, round(box_a.width * SIDE_GAP))
    return box_a.x1 + gap - box_b.x0, box_a.y0 - box_b.y0


@dataclass(frozen=True)
class CompareLayout:
    """What the viewer draws where, for one mode and the formats of A and B.

    Attributes:
        mode: the compare mode.
        box_a, box_b: the formats of A and B (B's is A's until B has a picture).
        wipe: the wipe line (used in wipe mode).
    """

    mode: CompareMode
    box_a: Box
    box_b: Box
    wipe: Wipe = Wipe()

    def slots(self) -> tuple[str, ...]:
        """The pictures drawn, in drawing order."""
        if self.mode is CompareMode.OFF:
            return (A,)
        if self.mode is CompareMode.DIFFERENCE:
            return (DIFFERENCE,)
        return (A, B)

    def offset(self, slot: str) -> tuple[int, int]:
        """How far `slot`'s pixels are moved from their own coordinates (only B, side by side)."""
        if slot == B and self.mode is CompareMode.SIDE_BY_SIDE:
            return side_by_side_offset(self.box_a, self.box_b)
        return 0, 0

    def bounds(self) -> Box:
        """Everything there is to frame: A's format, and B's beside it when side by side."""
        if self.mode is not CompareMode.SIDE_BY_SIDE:
            return self.box_a
        dx, dy = self.offset(B)
        b = self.box_b
        return self.box_a.union(Box(b.x0 + dx, b.y0 + dy, b.x1 + dx, b.y1 + dy))

    def locate(self, x: float, y: float) -> tuple[str, float, float]:
        """The picture under view point (x, y) and the point in that picture's own coordinates.

        Side by side, a point right of the middle of the gap belongs to B; in wipe mode the side
        of the line decides.
        """
        if self.mode is CompareMode.WIPE:
            return self.wipe.side(x, y, self.box_a), x, y
        if self.mode is CompareMode.SIDE_BY_SIDE:
            dx, dy = self.offset(B)
            if x >= (self.box_a.x1 + self.box_b.x0 + dx) / 2:
                return B, x - dx, y - dy
            return A, x, y
        return self.slots()[0], x, y
