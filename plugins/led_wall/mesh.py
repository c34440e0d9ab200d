"""The wall as a Wavefront OBJ mesh: one flat quad per installed cabinet, textured by the canvas.

Positions are stage metres (x right, y up, z towards the audience), from `geometry.wall_vertices`,
so a curved wall's cabinets are chords of its arc. Texture coordinates address the canvas
(u = x / canvas width, v = 1 - y / canvas height, OBJ's v pointing up), so projecting the
canvas on the mesh (nDisplay's mesh policy, a previs scene) shows each cabinet's own pixels.
Faces wind counter-clockwise seen from the audience.
"""

from __future__ import annotations

from plugins.led_wall.geometry import wall_vertices
from plugins.led_wall.plan import Plan


def wall_obj(plan: Plan) -> str:
    """OBJ text with one object per wall."""
    canvas_w, canvas_h = plan.canvas
    lines = [f"# LED wall {plan.stage.name}: stage metres, x right, y up, z towards the audience",
             f"# texture coordinates address the {canvas_w}x{canvas_h} canvas"]
    offset = 1
    for wall in plan.stage.walls:
        vertices = wall_vertices(wall)
        rows, cols = wall.panel_count_height, wall.panel_count_width
        lines.append(f"o {wall.name}")
        for r in range(rows + 1):
            for c in range(cols + 1):
                x, y, z = vertices[r, c]
                lines.append(f"v {x:.6f} {y:.6f} {z:.6f}")
        for r in range(rows + 1):
            for c in range(cols + 1):
                u = (wall.canvas_x + c * wall.panel.px_w) / canvas_w
                v = 1.0 - (wall.canvas_y + r * wall.panel.px_h) / canvas_h
                lines.append(f"vt {u:.6f} {v:.6f}")

        def index(r: int, c: int, base: int = offset, stride: int = cols + 1) -> int:
            return base + r * stride + c

        for r in range(rows):
            for c in range(cols):
                if (c, r) in wall.missing:
                    continue
                corners = (index(r + 1, c), index(r + 1, c + 1), index(r, c + 1), index(r, c))
                lines.append("f " + " ".join(f"{i}/{i}" for i in corners))
        offset += (rows + 1) * (cols + 1)
    return "\n".join(lines) + "\n"
