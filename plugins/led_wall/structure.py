"""Checks across sections of a wall file: names that must exist or be unique, and geometry that must fit.

Run by `schema.stage_from_dict` once every field is readable; problems are added to the same
list, with the path of the field to change.
"""

from __future__ import annotations

from typing import Any

from plugins.led_wall.fields import Fields
from plugins.led_wall.model import Mapping, Stage

_MAX_CANVAS = 65536
_ORIENTATIONS = (0, 90, 180, 270)


def check_structure(stage: Stage, raw: dict[str, Any], fields: Fields) -> None:
    """Add every cross-section problem of `stage` to `fields.problems`."""
    _unique(fields, [p.name for p in stage.panels], "panels")
    _unique(fields, [w.name for w in stage.walls], "walls")
    _unique(fields, [p.name for p in stage.processors], "processors")
    _walls_fit(stage, fields)
    for index, processor in enumerate(stage.processors):
        path = f"processors[{index}]"
        if processor.input_width > processor.max_input_width:
            fields.problem(f"{path}.input_width",
                           f"{processor.input_width} is wider than the processor accepts ({processor.max_input_width})")
        if processor.input_height > processor.max_input_height:
            fields.problem(f"{path}.input_height", f"{processor.input_height} is taller than the processor "
                                                   f"accepts ({processor.max_input_height})")
    processors = {p.name: p for p in stage.processors}
    walls = {w.name: w for w in stage.walls}
    seen: set[str] = set()
    for index, raster in enumerate(stage.raster_maps):
        path = f"raster_maps[{index}]"
        processor = processors.get(raster.processor)
        if processor is None:
            fields.problem(f"{path}.processor",
                           f"no processor named {raster.processor!r} (processors: {', '.join(processors) or 'none'})")
            continue
        if raster.processor in seen:
            fields.problem(f"{path}.processor", f"processor {raster.processor!r} already has a raster map")
        seen.add(raster.processor)
        placed: list[tuple[int, tuple[int, int, int, int]]] = []
        for m_index, mapping in enumerate(raster.mappings):
            where = f"{path}.mappings[{m_index}]"
            box = _mapping_box(fields, mapping, where, walls, processor.input_width, processor.input_height)
            if box is None:
                continue
            for other_index, other in placed:
                if _overlap(box, other):
                    fields.problem(where, f"overlaps mappings[{other_index}] on the raster of {raster.processor}")
                    break
            placed.append((m_index, box))


def _unique(fields: Fields, names: list[str], section: str) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            fields.problem(f"{section}[{index}].name", f"{name!r} is used twice")
        seen.add(name)


def _walls_fit(stage: Stage, fields: Fields) -> None:
    boxes: list[tuple[int, tuple[int, int, int, int]]] = []
    for index, wall in enumerate(stage.walls):
        box = (wall.canvas_x, wall.canvas_y, wall.canvas_x + wall.width_px, wall.canvas_y + wall.height_px)
        if box[2] > _MAX_CANVAS or box[3] > _MAX_CANVAS:
            fields.problem(f"walls[{index}]", f"reaches {box[2]} x {box[3]} on the canvas (at most {_MAX_CANVAS})")
        for other_index, other in boxes:
            if _overlap(box, other):
                fields.problem(f"walls[{index}].canvas_x",
                               f"wall {wall.name!r} overlaps wall {stage.walls[other_index].name!r} on the canvas")
                break
        boxes.append((index, box))


def _mapping_box(fields: Fields, mapping: Mapping, where: str, walls: dict[str, Any], raster_w: int,
                 raster_h: int) -> tuple[int, int, int, int] | None:
    """The raster rectangle a mapping covers, or None (with problems recorded) when it is invalid."""
    wall = walls.get(mapping.wall_name)
    ok = True
    if wall is None:
        fields.problem(f"{where}.wall_name", f"no wall named {mapping.wall_name!r} (walls: {', '.join(walls)})")
        ok = False
    if mapping.wall_segment_orientation not in _ORIENTATIONS:
        fields.problem(f"{where}.wall_segment_orientation",
                       f"must be 0, 90, 180 or 270, got {mapping.wall_segment_orientation}")
        ok = False
    for axis, start, end in (("u", mapping.wall_segment_u_start, mapping.wall_segment_u_end),
                             ("v", mapping.wall_segment_v_start, mapping.wall_segment_v_end)):
        if end <= start:
            fields.problem(f"{where}.wall_segment_{axis}_end", f"{end} must be greater than the start {start}")
            ok = False
        elif wall is not None:
            size = wall.width_px if axis == "u" else wall.height_px
            if end > size:
                fields.problem(f"{where}.wall_segment_{axis}_end",
                               f"{end} is beyond the wall's {'width' if axis == 'u' else 'height'} of {size} px")
                ok = False
    if not ok:
        return None
    width, height = mapping.raster_size
    box = (mapping.raster_u, mapping.raster_v, mapping.raster_u + width, mapping.raster_v + height)
    if box[2] > raster_w or box[3] > raster_h:
        fields.problem(where, f"the segment lands at {box[0]},{box[1]}-{box[2]},{box[3]}, outside the "
                              f"{raster_w} x {raster_h} raster")
        return None
    return box


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
