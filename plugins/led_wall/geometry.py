"""Where every cabinet is: on the canvas (pixels) and on stage (metres).

Canvas: each wall is a `panel_count_width * px_w` by `panel_count_height * px_h` rectangle at
its `canvas_x`, `canvas_y`, whether it is flat or curved; columns and rows are counted from
its top-left cabinet. Cabinets listed as missing have no pixels anywhere downstream.

Stage: metres, x to the right, y up, z towards the audience (a right-handed frame). A wall's
origin is the bottom-left corner of its LED face. A curved wall bends about a vertical axis:
every cabinet is a flat chord of a circle of radius R (mm, to the LED face), so each column
turns by the cabinet angle 2 * asin(w / 2R) for a cabinet w mm wide; a concave wall bends
towards the audience (+z), a convex one away from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from plugins.led_wall.model import ArcDirection, Stage, Wall


@dataclass(frozen=True)
class Cabinet:
    """One installed cabinet: its wall, column and row, and its rectangle on the canvas."""

    wall: str
    col: int
    row: int
    x: int
    y: int
    w: int
    h: int
    digits: int = 2

    @property
    def id(self) -> str:
        """`<wall>_C03_R07`: the name used in maps, tiles and on the overlay."""
        return f"{self.wall}_C{self.col:0{self.digits}d}_R{self.row:0{self.digits}d}"

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) on the canvas, half-open."""
        return (self.x, self.y, self.x + self.w, self.y + self.h)


def id_digits(wall: Wall) -> int:
    """Digits used for column and row numbers: 2, or more for walls over 100 cabinets across."""
    return max(2, len(str(max(wall.panel_count_width, wall.panel_count_height) - 1)))


def wall_cabinets(wall: Wall) -> list[Cabinet]:
    """The installed cabinets of `wall`, row by row from the top-left."""
    digits = id_digits(wall)
    px_w, px_h = wall.panel.px_w, wall.panel.px_h
    return [
        Cabinet(wall.name, col, row, wall.canvas_x + col * px_w, wall.canvas_y + row * px_h, px_w, px_h, digits)
        for row in range(wall.panel_count_height)
        for col in range(wall.panel_count_width)
        if (col, row) not in wall.missing
    ]


def stage_cabinets(stage: Stage) -> list[Cabinet]:
    """Every installed cabinet of every wall, walls in file order."""
    return [cabinet for wall in stage.walls for cabinet in wall_cabinets(wall)]


def canvas_size(stage: Stage) -> tuple[int, int]:
    """(width, height) of the canvas: the bounding box of every wall, from (0, 0)."""
    width = max((w.canvas_x + w.width_px for w in stage.walls), default=0)
    height = max((w.canvas_y + w.height_px for w in stage.walls), default=0)
    return width, height


def cabinet_angle(panel_width_mm: float, radius_mm: float) -> float:
    """Degrees one cabinet column turns on an arc: the chord angle 2 * asin(w / 2R)."""
    return math.degrees(2.0 * math.asin(panel_width_mm / (2.0 * radius_mm)))


def arc_angles(wall: Wall) -> tuple[float, float]:
    """(per-cabinet, whole-wall) angles in degrees; (0, 0) for a flat wall."""
    if wall.arc is None:
        return 0.0, 0.0
    per = cabinet_angle(wall.panel.panel_width, wall.arc.radius)
    return per, per * wall.panel_count_width


def column_edges(wall: Wall) -> np.ndarray:
    """(columns + 1, 2) local (x, z) in metres of the vertical edges between cabinet columns."""
    count = wall.panel_count_width
    width_m = wall.panel.panel_width / 1000.0
    if wall.arc is None:
        return np.stack([np.arange(count + 1) * width_m, np.zeros(count + 1)], axis=1)
    radius_m = wall.arc.radius / 1000.0
    theta = math.radians(cabinet_angle(wall.panel.panel_width, wall.arc.radius))
    angles = np.arange(count + 1) * theta
    sign = 1.0 if wall.arc.direction is ArcDirection.CONCAVE else -1.0
    return np.stack([radius_m * np.sin(angles), sign * radius_m * (1.0 - np.cos(angles))], axis=1)


def rotation_matrix(yaw: float, pitch: float, roll: float) -> np.ndarray:
    """3x3 rotation: roll about +Z first, then pitch about +X, then yaw about +Y (degrees)."""
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return ry @ rx @ rz


def wall_vertices(wall: Wall) -> np.ndarray:
    """(rows + 1, columns + 1, 3) stage positions (metres) of every cabinet corner.

    Index [r, c] is the corner at the top of row r and the left of column c (r = rows is the
    bottom edge), so cabinet (c, r) spans [r:r+2, c:c+2].
    """
    edges = column_edges(wall)
    height_m = wall.panel.panel_height / 1000.0
    rows = wall.panel_count_height
    ys = (rows - np.arange(rows + 1)) * height_m
    local = np.empty((rows + 1, wall.panel_count_width + 1, 3))
    local[..., 0] = edges[None, :, 0]
    local[..., 1] = ys[:, None]
    local[..., 2] = edges[None, :, 1]
    matrix = rotation_matrix(wall.rotation.yaw, wall.rotation.pitch, wall.rotation.roll)
    return local @ matrix.T + np.asarray(wall.origin)


def wall_size_m(wall: Wall) -> tuple[float, float]:
    """(width along the face, height) in metres: cabinet count times the cabinet size."""
    panel = wall.panel
    return wall.panel_count_width * panel.panel_width / 1000.0, wall.panel_count_height * panel.panel_height / 1000.0
