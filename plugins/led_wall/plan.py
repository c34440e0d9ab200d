"""The export plan: every cabinet's processor, raster position, port and chain index, and what to warn about.

Built once per wall file (it depends on nothing else) and shared by the export, the preview,
the maps and the report. A cabinet belongs to the raster-map segment that holds it; one that
straddles two segments is reported (its pixels are split across rasters), one on no segment
is reported as not driven. Ports are filled per processor and wall by `cabling.chains` at the
wall's bit depth and refresh rate (`capacity` explains the model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from plugins.led_wall import capacity
from plugins.led_wall.cabling import chains
from plugins.led_wall.geometry import Cabinet, arc_angles, canvas_size, stage_cabinets, wall_cabinets
from plugins.led_wall.model import Mapping, Processor, Stage
from plugins.led_wall.rasters import Box, canvas_to_raster, segment_canvas_box


@dataclass(frozen=True)
class Placement:
    """One installed cabinet and where its signal goes (None: not driven).

    Attributes:
        raster_box: the cabinet's rectangle on its processor's raster (after rotation).
        port: 1-based output port of the processor.
        chain_index: 1-based position in that port's daisy chain.
        split: True when the cabinet straddles raster segments.
    """

    cabinet: Cabinet
    processor: str | None = None
    mapping: Mapping | None = None
    raster_box: Box | None = None
    port: int | None = None
    chain_index: int | None = None
    split: bool = False


@dataclass(frozen=True)
class PortUse:
    """How full one port is."""

    port: int
    cabinets: int
    pixels: int
    capacity: int


@dataclass
class ProcessorUse:
    """One processor's load: raster size, cabinets, ports needed against ports available."""

    processor: Processor
    cabinets: int = 0
    pixels: int = 0
    input_capacity: int = 0
    port_capacity: int = 0
    cabinets_per_port: int = 0
    ports: list[PortUse] = field(default_factory=list)

    @property
    def ports_needed(self) -> int:
        """Ports with at least one cabinet."""
        return len(self.ports)


@dataclass
class Plan:
    """Everything an export needs to know about the stage, computed once."""

    stage: Stage
    canvas: tuple[int, int]
    placements: list[Placement]
    processors: list[ProcessorUse]
    blackouts: dict[str, list[Box]]
    warnings: list[str]
    processors_needed: int

    def placement(self, cabinet_id: str) -> Placement:
        """The placement of the cabinet with this id (KeyError when absent)."""
        for placement in self.placements:
            if placement.cabinet.id == cabinet_id:
                return placement
        raise KeyError(cabinet_id)


def build_plan(stage: Stage, *, bit_depth: int | None = None, refresh_hz: float | None = None) -> Plan:
    """Assign every cabinet of `stage` to a processor, raster position, port and chain.

    Args:
        stage: the validated wall file.
        bit_depth: signal bit depth for port capacity (default: the wall's colour bit depth).
        refresh_hz: video refresh for port and input capacity (default: the wall's timing).
    """
    bits = bit_depth or stage.colour.bit_depth
    hz = refresh_hz or stage.timing.refresh_hz
    warnings = _stage_warnings(stage)
    hits = _assign(stage, warnings)
    placements: dict[str, Placement] = {}
    uses: list[ProcessorUse] = []
    for processor in stage.processors:
        use = ProcessorUse(processor, input_capacity=capacity.input_capacity(processor, hz),
                           port_capacity=capacity.port_capacity(processor, bits, hz))
        _chain_processor(stage, processor, use, hits, placements, warnings)
        _check_processor(use, hz, warnings)
        uses.append(use)
    ordered = [placements.get(c.id) or hits.get(c.id) or Placement(c) for c in stage_cabinets(stage)]
    return Plan(stage=stage, canvas=canvas_size(stage), placements=ordered, processors=uses,
                blackouts=_blackouts(stage), warnings=warnings,
                processors_needed=processors_needed(stage, ordered, bits, hz))


def _assign(stage: Stage, warnings: list[str]) -> dict[str, Placement]:
    """Each cabinet's raster segment (by largest overlap), with split and double-driven cabinets reported."""
    segments = [(raster.processor, m, segment_canvas_box(stage, m))
                for raster in stage.raster_maps for m in raster.mappings]
    result: dict[str, Placement] = {}
    undriven: list[str] = []
    for cabinet in stage_cabinets(stage):
        overlaps = []
        for processor, mapping, box in segments:
            if mapping.wall_name != cabinet.wall:
                continue
            part = _intersect(cabinet.box, box)
            if part is not None:
                overlaps.append((_area(part), processor, mapping, part))
        if not overlaps:
            undriven.append(cabinet.id)
            continue
        overlaps.sort(key=lambda o: -o[0])
        area, processor, mapping, part = overlaps[0]
        whole = area == cabinet.w * cabinet.h
        if not whole:
            names = sorted({o[1] for o in overlaps})
            warnings.append(f"cabinet {cabinet.id} is split across raster segments ({', '.join(names)})")
        elif len(overlaps) > 1:
            warnings.append(f"cabinet {cabinet.id} is mapped more than once ({', '.join(o[1] for o in overlaps)}); "
                            f"its ports follow {processor}")
        result[cabinet.id] = Placement(cabinet, processor, mapping, canvas_to_raster(stage, mapping, part),
                                       split=not whole)
    if undriven:
        shown = ", ".join(undriven[:6]) + (f" and {len(undriven) - 6} more" if len(undriven) > 6 else "")
        warnings.append(f"{len(undriven)} cabinets are on no raster map and are not driven: {shown}")
    return result


def _chain_processor(stage: Stage, processor: Processor, use: ProcessorUse, hits: dict[str, Placement],
                     placements: dict[str, Placement], warnings: list[str]) -> None:
    port = 0
    for wall in stage.walls:
        mine = [c for c in wall_cabinets(wall) if (p := hits.get(c.id)) is not None and p.processor == processor.name]
        if not mine:
            continue
        cabinet_pixels = wall.panel.px_w * wall.panel.px_h
        per_port = use.port_capacity // cabinet_pixels
        if per_port == 0:
            warnings.append(f"one cabinet of wall {wall.name} ({cabinet_pixels} px) is more than a port of "
                            f"{processor.name} carries ({use.port_capacity} px); counted as one per port")
        use.cabinets_per_port = max(use.cabinets_per_port, per_port)
        found, notes = chains(mine, wall.cabling, per_port, f"wall {wall.name} on {processor.name}")
        warnings.extend(notes)
        for chain in found:
            port += 1
            for index, cabinet in enumerate(chain.cabinets, start=1):
                hit = hits[cabinet.id]
                placements[cabinet.id] = Placement(cabinet, hit.processor, hit.mapping, hit.raster_box,
                                                   port, index, hit.split)
            pixels = len(chain.cabinets) * cabinet_pixels
            use.ports.append(PortUse(port, len(chain.cabinets), pixels, use.port_capacity))
        use.cabinets += len(mine)
        use.pixels += len(mine) * cabinet_pixels


def _check_processor(use: ProcessorUse, hz: float, warnings: list[str]) -> None:
    processor = use.processor
    if use.ports_needed > processor.ports:
        warnings.append(f"{processor.name} needs {use.ports_needed} ports and has {processor.ports}")
    raster_pixels = processor.input_width * processor.input_height
    if raster_pixels > use.input_capacity:
        warnings.append(f"the {processor.input_width}x{processor.input_height} raster of {processor.name} is over "
                        f"its input capacity at {hz:g} Hz ({use.input_capacity} px per frame)")


def processors_needed(stage: Stage, placements: list[Placement], bits: int, hz: float) -> int:
    """Fewest processors of the first processor's model that could drive every installed cabinet.

    Bound by input pixels (cabinet pixels over the input capacity) and by ports (each wall's
    cabinets over whole cabinets per port); 0 when the file has no processor.
    """
    if not stage.processors:
        return 0
    model = stage.processors[0]
    port_cap = capacity.port_capacity(model, bits, hz)
    total_pixels = 0
    ports = 0
    for wall in stage.walls:
        count = sum(1 for p in placements if p.cabinet.wall == wall.name)
        cabinet_pixels = wall.panel.px_w * wall.panel.px_h
        total_pixels += count * cabinet_pixels
        ports += math.ceil(count / max(1, port_cap // cabinet_pixels))
    by_input = math.ceil(total_pixels / max(1, min(capacity.input_capacity(model, hz),
                                                   model.input_width * model.input_height)))
    return max(by_input, math.ceil(ports / model.ports))


def _blackouts(stage: Stage) -> dict[str, list[Box]]:
    """Raster rectangles of missing cabinets that fall inside mapped segments, per processor."""
    result: dict[str, list[Box]] = {}
    for raster in stage.raster_maps:
        boxes = result.setdefault(raster.processor, [])
        for mapping in raster.mappings:
            wall = stage.wall(mapping.wall_name)
            segment = segment_canvas_box(stage, mapping)
            for col, row in sorted(wall.missing):
                cabinet = (wall.canvas_x + col * wall.panel.px_w, wall.canvas_y + row * wall.panel.px_h,
                           wall.canvas_x + (col + 1) * wall.panel.px_w, wall.canvas_y + (row + 1) * wall.panel.px_h)
                part = _intersect(cabinet, segment)
                if part is not None:
                    boxes.append(canvas_to_raster(stage, mapping, part))
    return result


def _stage_warnings(stage: Stage) -> list[str]:
    warnings = []
    for panel in stage.panels:
        if panel.pixel_pitch:
            for axis, count, size in (("width", panel.px_w, panel.panel_width), ("height", panel.px_h,
                                                                                   panel.panel_height)):
                derived = count * panel.pixel_pitch
                if abs(derived - size) > 0.02 * size:
                    warnings.append(f"panel {panel.name}: {count} px at {panel.pixel_pitch:g} mm pitch is "
                                    f"{derived:g} mm, but its {axis} is {size:g} mm (the stated pixels are used)")
        if panel.peak_nits and panel.peak_nits < stage.colour.peak_nits:
            warnings.append(f"the signal peak {stage.colour.peak_nits:g} nits is above panel {panel.name}'s "
                            f"peak of {panel.peak_nits:g} nits")
    for wall in stage.walls:
        total = arc_angles(wall)[1]
        if total > 360.0:
            warnings.append(f"wall {wall.name} turns {total:.1f} degrees on its arc, more than a full circle")
    return warnings


def _intersect(a: Box, b: Box) -> Box | None:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _area(box: Box) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])
