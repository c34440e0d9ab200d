"""Reading a wall file (JSON, or YAML) into a validated `Stage`.

Every problem is collected with the path of its field and reported in one `WallError`, e.g.
`walls[0].panel_count_width: must be at least 1, got 0`. Structural checks (names that refer
to something, segments inside walls and rasters, cabinets inside walls, walls that overlap on
the canvas) run after the fields themselves are readable. The format is documented in
docs/led-wall.md; `format_version` lets later versions migrate older files.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import Any

from plugins.led_wall.errors import WallError
from plugins.led_wall.fields import Fields
from plugins.led_wall.model import (
    Arc,
    ArcDirection,
    Cabling,
    CablingMode,
    ColourSpec,
    Corner,
    Direction,
    Eotf,
    Gamut,
    Mapping,
    Packing,
    Panel,
    PortPacking,
    Processor,
    RasterMap,
    Rotation,
    SignalRange,
    Stage,
    Timing,
    Wall,
)
from plugins.led_wall.structure import check_structure

FORMAT_VERSION = 1
_MAX_PROBLEMS_SHOWN = 12
_MAX_COUNT = 1000
_MAX_PIXELS = 65536

_TOP = ("format_version", "name", "description", "panels", "walls", "processors", "raster_maps", "cabling",
        "colour", "timing")
_PANEL = ("name", "model", "px_w", "px_h", "panel_width", "panel_height", "pixel_pitch", "peak_nits", "refresh_hz")
_WALL = ("name", "panel_name", "panel_count_width", "panel_count_height", "canvas_x", "canvas_y", "origin",
         "rotation", "arc", "missing", "cabling")
_PROCESSOR = ("name", "model", "input_width", "input_height", "max_input_width", "max_input_height",
              "max_input_pixels", "ports", "pixels_per_port", "reference_bits", "reference_hz", "port_packing")
_RASTER = ("processor", "mappings")
_MAPPING = ("wall_name", "raster_u", "raster_v", "wall_segment_u_start", "wall_segment_u_end",
            "wall_segment_v_start", "wall_segment_v_end", "wall_segment_orientation")
_CABLING = ("mode", "start_corner", "direction", "packing")
_COLOUR = ("gamut", "eotf", "peak_nits", "range", "bit_depth", "scene_white_nits", "gamma")
_TIMING = ("fps", "refresh_hz")


def load_stage(path: str) -> Stage:
    """Read and validate the wall file at `path` (`.json`, or `.yaml`/`.yml` when PyYAML is installed).

    Raises:
        WallError: the file cannot be read or parsed, or any field is invalid (all are listed).
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise WallError(f"cannot read the wall file ({exc})", path=path) from None
    data = parse_text(text, path)
    return stage_from_dict(data, source=os.path.abspath(path))


def parse_text(text: str, path: str) -> Any:
    """The parsed document: YAML for .yaml/.yml names, JSON otherwise (duplicate keys and NaN refused)."""
    if path.lower().endswith((".yaml", ".yml")):
        try:
            import yaml  # PyYAML ships with the engine's dependencies (dask); imported only for YAML walls
        except ImportError:
            raise WallError("YAML wall files need PyYAML", path=path, hint="pip install pyyaml, or use JSON") from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise WallError(f"not valid YAML: {' '.join(str(exc).split())}", path=path) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except ValueError as exc:
        raise WallError(f"not valid JSON: {exc}", path=path) from None


def stage_from_dict(data: Any, source: str = "") -> Stage:
    """Validate a parsed wall document; raises WallError listing every problem with its field path."""
    fields = Fields()
    top = fields.mapping(data, "", _TOP)
    version = fields.integer(top, "format_version", "", FORMAT_VERSION, minimum=1)
    if version > FORMAT_VERSION:
        fields.problem("format_version", f"{version} is newer than this plugin reads ({FORMAT_VERSION})")
    name = fields.text(top, "name", "", "wall")
    stage_cabling = _cabling(fields, top.get("cabling"), "cabling", Cabling())
    panels = tuple(_panel(fields, item, f"panels[{i}]") for i, item in enumerate(fields.items(top, "panels", "")))
    by_name = {panel.name: panel for panel in panels}
    walls = tuple(
        _wall(fields, item, f"walls[{i}]", by_name, stage_cabling)
        for i, item in enumerate(fields.items(top, "walls", ""))
    )
    walls = tuple(wall for wall in walls if wall is not None)
    processors = tuple(
        _processor(fields, item, f"processors[{i}]")
        for i, item in enumerate(fields.items(top, "processors", "", required=False))
    )
    rasters = tuple(
        _raster(fields, item, f"raster_maps[{i}]")
        for i, item in enumerate(fields.items(top, "raster_maps", "", required=False))
    )
    stage = Stage(
        name=name, panels=panels, walls=_place(walls), processors=processors, raster_maps=rasters,
        colour=_colour(fields, top.get("colour"), "colour"), timing=_timing(fields, top.get("timing"), "timing"),
        description=fields.text(top, "description", "", ""), source=source,
    )
    if not fields.problems:
        check_structure(stage, top, fields)
    if fields.problems:
        raise _error(fields.problems, source)
    return stage


# ---------------------------------------------------------------- sections
def _panel(fields: Fields, item: Any, path: str) -> Panel:
    data = fields.mapping(item, path, _PANEL)
    return Panel(
        name=fields.text(data, "name", path),
        px_w=fields.integer(data, "px_w", path, minimum=1, maximum=_MAX_PIXELS),
        px_h=fields.integer(data, "px_h", path, minimum=1, maximum=_MAX_PIXELS),
        panel_width=fields.number(data, "panel_width", path, above=0.0),
        panel_height=fields.number(data, "panel_height", path, above=0.0),
        pixel_pitch=fields.optional_number(data, "pixel_pitch", path),
        peak_nits=fields.optional_number(data, "peak_nits", path),
        refresh_hz=fields.optional_number(data, "refresh_hz", path),
        model=fields.text(data, "model", path, ""),
    )


def _wall(fields: Fields, item: Any, path: str, panels: dict[str, Panel], default_cabling: Cabling) -> Wall | None:
    data = fields.mapping(item, path, _WALL)
    name = fields.text(data, "name", path)
    panel_name = fields.text(data, "panel_name", path)
    panel = panels.get(panel_name)
    if panel_name and panel is None:
        known = ", ".join(panels) or "none"
        fields.problem(f"{path}.panel_name", f"no panel named {panel_name!r} (panels: {known})")
    columns = fields.integer(data, "panel_count_width", path, minimum=1, maximum=_MAX_COUNT)
    rows = fields.integer(data, "panel_count_height", path, minimum=1, maximum=_MAX_COUNT)
    rotation = fields.mapping(data.get("rotation", {}), f"{path}.rotation", ("yaw", "pitch", "roll"))
    arc = None
    if data.get("arc") is not None:
        arc_data = fields.mapping(data["arc"], f"{path}.arc", ("radius", "direction"))
        arc = Arc(radius=fields.number(arc_data, "radius", f"{path}.arc", above=0.0),
                  direction=fields.choice(arc_data, "direction", f"{path}.arc", ArcDirection, ArcDirection.CONCAVE))
        if panel is not None and arc.radius < panel.panel_width / 2:
            fields.problem(f"{path}.arc.radius",
                           f"{arc.radius:g} mm is less than half a cabinet width ({panel.panel_width / 2:g} mm)")
    missing = _missing(fields, data, path, columns, rows)
    if panel is None:
        return None
    return Wall(
        name=name, panel=panel, panel_count_width=columns, panel_count_height=rows,
        canvas_x=fields.integer(data, "canvas_x", path, -1, minimum=0),
        canvas_y=fields.integer(data, "canvas_y", path, -1, minimum=0),
        origin=fields.vector(data, "origin", path, (0.0, 0.0, 0.0)),  # type: ignore[arg-type]
        rotation=Rotation(*(fields.number(rotation, k, f"{path}.rotation", 0.0) for k in ("yaw", "pitch", "roll"))),
        arc=arc, missing=missing, cabling=_cabling(fields, data.get("cabling"), f"{path}.cabling", default_cabling),
    )


def _missing(fields: Fields, data: dict[str, Any], path: str, columns: int, rows: int) -> frozenset[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for index, cell in enumerate(fields.items(data, "missing", path, required=False)):
        where = f"{path}.missing[{index}]"
        if (not isinstance(cell, list) or len(cell) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in cell)):
            fields.problem(where, f"must be [column, row], got {cell!r}")
            continue
        column, row = cell
        if not (0 <= column < columns and 0 <= row < rows):
            fields.problem(where, f"cabinet [{column}, {row}] is outside the wall ({columns} x {rows} cabinets)")
        elif (column, row) in found:
            fields.problem(where, f"cabinet [{column}, {row}] is listed twice")
        found.add((column, row))
    return frozenset(found)


def _cabling(fields: Fields, value: Any, path: str, default: Cabling) -> Cabling:
    if value is None:
        return default
    data = fields.mapping(value, path, _CABLING)
    return Cabling(
        mode=fields.choice(data, "mode", path, CablingMode, default.mode),
        start_corner=fields.choice(data, "start_corner", path, Corner, default.start_corner),
        direction=fields.choice(data, "direction", path, Direction, default.direction),
        packing=fields.choice(data, "packing", path, Packing, default.packing),
    )


def _processor(fields: Fields, item: Any, path: str) -> Processor:
    data = fields.mapping(item, path, _PROCESSOR)
    max_w = fields.integer(data, "max_input_width", path, minimum=1, maximum=_MAX_PIXELS)
    max_h = fields.integer(data, "max_input_height", path, minimum=1, maximum=_MAX_PIXELS)
    return Processor(
        name=fields.text(data, "name", path),
        model=fields.text(data, "model", path, ""),
        input_width=fields.integer(data, "input_width", path, max_w, minimum=1, maximum=_MAX_PIXELS),
        input_height=fields.integer(data, "input_height", path, max_h, minimum=1, maximum=_MAX_PIXELS),
        max_input_width=max_w,
        max_input_height=max_h,
        max_input_pixels=fields.integer(data, "max_input_pixels", path, max_w * max_h or 1, minimum=1),
        ports=fields.integer(data, "ports", path, minimum=1, maximum=_MAX_COUNT),
        pixels_per_port=fields.integer(data, "pixels_per_port", path, minimum=1),
        reference_bits=fields.integer(data, "reference_bits", path, 8, minimum=8, maximum=16),
        reference_hz=fields.number(data, "reference_hz", path, 60.0, above=0.0),
        port_packing=fields.choice(data, "port_packing", path, PortPacking, PortPacking.PACKED),
    )


def _raster(fields: Fields, item: Any, path: str) -> RasterMap:
    data = fields.mapping(item, path, _RASTER)
    mappings = []
    for index, entry in enumerate(fields.items(data, "mappings", path)):
        where = f"{path}.mappings[{index}]"
        m = fields.mapping(entry, where, _MAPPING)
        mappings.append(Mapping(
            wall_name=fields.text(m, "wall_name", where),
            raster_u=fields.integer(m, "raster_u", where, minimum=0),
            raster_v=fields.integer(m, "raster_v", where, minimum=0),
            wall_segment_u_start=fields.integer(m, "wall_segment_u_start", where, minimum=0),
            wall_segment_u_end=fields.integer(m, "wall_segment_u_end", where, minimum=1),
            wall_segment_v_start=fields.integer(m, "wall_segment_v_start", where, minimum=0),
            wall_segment_v_end=fields.integer(m, "wall_segment_v_end", where, minimum=1),
            wall_segment_orientation=fields.integer(m, "wall_segment_orientation", where, 0),
        ))
    return RasterMap(processor=fields.text(data, "processor", path), mappings=tuple(mappings))


def _colour(fields: Fields, value: Any, path: str) -> ColourSpec:
    data = fields.mapping(value if value is not None else {}, path, _COLOUR)
    return ColourSpec(
        gamut=fields.choice(data, "gamut", path, Gamut, Gamut.REC2020),
        eotf=fields.choice(data, "eotf", path, Eotf, Eotf.PQ),
        peak_nits=fields.number(data, "peak_nits", path, 1000.0, above=0.0, maximum=10000.0),
        range=fields.choice(data, "range", path, SignalRange, SignalRange.FULL),
        bit_depth=_bit_depth(fields, data, path),
        scene_white_nits=fields.number(data, "scene_white_nits", path, 100.0, above=0.0, maximum=10000.0),
        gamma=fields.number(data, "gamma", path, 2.4, above=0.0, maximum=10.0),
    )


def _bit_depth(fields: Fields, data: dict[str, Any], path: str) -> int:
    depth = fields.integer(data, "bit_depth", path, 10)
    if depth not in (8, 10, 12):
        fields.problem(f"{path}.bit_depth", f"must be 8, 10 or 12, got {depth}")
        return 10
    return depth


def _timing(fields: Fields, value: Any, path: str) -> Timing:
    data = fields.mapping(value if value is not None else {}, path, _TIMING)
    return Timing(fps=fields.number(data, "fps", path, 24.0, above=0.0, maximum=1000.0),
                  refresh_hz=fields.number(data, "refresh_hz", path, 60.0, above=0.0, maximum=1000.0))


def _place(walls: tuple[Wall, ...]) -> tuple[Wall, ...]:
    """Walls without canvas_x/canvas_y go to the right of those before them, at the top."""
    placed: list[Wall] = []
    right = 0
    for wall in walls:
        x = wall.canvas_x if wall.canvas_x >= 0 else right
        y = wall.canvas_y if wall.canvas_y >= 0 else 0
        wall = replace(wall, canvas_x=x, canvas_y=y)
        right = max(right, x + wall.width_px)
        placed.append(wall)
    return tuple(placed)


# ---------------------------------------------------------------- parsing helpers
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number a wall file may hold")


def _error(problems: list[tuple[str, str]], source: str) -> WallError:
    if len(problems) == 1:
        field, message = problems[0]
        return WallError(message, path=source or None, field=field or None)
    shown = "; ".join(f"{field or '(file)'}: {message}" for field, message in problems[:_MAX_PROBLEMS_SHOWN])
    more = len(problems) - _MAX_PROBLEMS_SHOWN
    if more > 0:
        shown += f"; and {more} more"
    return WallError(f"{len(problems)} problems: {shown}", path=source or None, field=None)
