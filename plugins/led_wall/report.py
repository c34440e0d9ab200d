"""`report.json` and its readable summary: what the wall needs and what to look at before the shoot.

The report holds the canvas size, cabinets per wall (installed and missing), curved walls'
cabinet and total angles, every processor's raster, input and port load (pixels per port used
against capacity), a capacity table at 8/10/12-bit and 60/120 Hz (ports each processor would
need), the fewest processors that could drive the wall, the colour settings, warnings, and
per-frame clipping counts once frames are exported (and a warning when any frame was clipped
above the peak or outside the gamut).
"""

from __future__ import annotations

from typing import Any

from plugins.led_wall import capacity
from plugins.led_wall.cabling import chains
from plugins.led_wall.geometry import arc_angles, wall_cabinets, wall_size_m
from plugins.led_wall.plan import Plan, ProcessorUse

TABLE_BITS = (8, 10, 12)
TABLE_HZ = (60.0, 120.0)


def build_report(plan: Plan, *, wall_file: str = "", frames: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    stage = plan.stage
    colour = stage.colour
    walls = []
    for wall in stage.walls:
        width_m, height_m = wall_size_m(wall)
        per, total = arc_angles(wall)
        walls.append({
            "name": wall.name, "panel": wall.panel.name,
            "cabinets": {"columns": wall.panel_count_width, "rows": wall.panel_count_height,
                         "installed": len(wall_cabinets(wall)), "missing": len(wall.missing)},
            "canvas": {"x": wall.canvas_x, "y": wall.canvas_y, "width": wall.width_px, "height": wall.height_px},
            "size_m": {"width": round(width_m, 4), "height": round(height_m, 4)},
            "arc": None if wall.arc is None else {
                "radius_mm": wall.arc.radius, "direction": wall.arc.direction.value,
                "cabinet_angle_deg": round(per, 6), "total_angle_deg": round(total, 6)},
        })
    return {
        "wall_file": wall_file or stage.source,
        "name": stage.name,
        "canvas": {"width": plan.canvas[0], "height": plan.canvas[1]},
        "cabinets": {"installed": len(plan.placements), "missing": sum(len(w.missing) for w in stage.walls),
                     "driven": sum(1 for p in plan.placements if p.port is not None)},
        "walls": walls,
        "processors": [_processor(use, plan) for use in plan.processors],
        "processors_used": sum(1 for use in plan.processors if use.cabinets),
        "processors_needed": plan.processors_needed,
        "capacity_model": {"bit_depth": colour.bit_depth, "refresh_hz": stage.timing.refresh_hz,
                           "rule": "port pixels = pixels_per_port * reference_bits * reference_hz "
                                   "/ (wire bits * refresh); whole cabinets per port"},
        "colour": {"gamut": colour.gamut.value, "eotf": colour.eotf.value, "peak_nits": colour.peak_nits,
                   "range": colour.range.value, "bit_depth": colour.bit_depth,
                   "scene_white_nits": colour.scene_white_nits, "gamma": colour.gamma},
        "timing": {"fps": stage.timing.fps, "refresh_hz": stage.timing.refresh_hz},
        "warnings": list(plan.warnings) + over_range_warnings(dict(frames or {}), colour.peak_nits),
        "frames": dict(frames or {}),
    }


def _processor(use: ProcessorUse, plan: Plan) -> dict[str, Any]:
    processor = use.processor
    used = [port.pixels for port in use.ports]
    return {
        "name": processor.name, "model": processor.model,
        "raster": {"width": processor.input_width, "height": processor.input_height},
        "max_input": {"width": processor.max_input_width, "height": processor.max_input_height,
                      "pixels_at_refresh": use.input_capacity},
        "cabinets": use.cabinets, "pixels": use.pixels,
        "ports": {"available": processor.ports, "needed": use.ports_needed,
                  "pixels_per_port_capacity": use.port_capacity, "cabinets_per_port": use.cabinets_per_port,
                  "pixels_per_port_used_max": max(used, default=0),
                  "usage": [{"port": p.port, "cabinets": p.cabinets, "pixels": p.pixels,
                             "fraction": round(p.pixels / p.capacity, 4) if p.capacity else None}
                            for p in use.ports]},
        "capacity_table": capacity_table(plan, use),
    }


def capacity_table(plan: Plan, use: ProcessorUse) -> dict[str, dict[str, int]]:
    """Port capacity and ports needed for this processor's cabinets at 8/10/12-bit and 60/120 Hz."""
    table = {}
    mine = {p.cabinet.id for p in plan.placements if p.processor == use.processor.name}
    for hz in TABLE_HZ:
        for bits in TABLE_BITS:
            port_pixels = capacity.port_capacity(use.processor, bits, hz)
            ports = 0
            for wall in plan.stage.walls:
                cabinets = [c for c in wall_cabinets(wall) if c.id in mine]
                if cabinets:
                    per_port = port_pixels // (wall.panel.px_w * wall.panel.px_h)
                    ports += len(chains(cabinets, wall.cabling, per_port)[0])
            table[f"{bits}bit_{hz:g}hz"] = {"pixels_per_port": port_pixels, "ports_needed": ports}
    return table


def over_range_warnings(frames: dict[str, Any], peak_nits: float) -> list[str]:
    """Warnings for exported frames whose light was clipped above the peak or outside the gamut."""
    warnings = []
    clipped = sorted((int(k) for k, v in frames.items() if v.get("clipped_pixels")), key=int)
    if clipped:
        worst = max(frames[str(f)].get("clipped_fraction", 0.0) for f in clipped)
        brightest = max(frames[str(f)].get("max_nits", 0.0) for f in clipped)
        shown = ", ".join(map(str, clipped[:10])) + (" ..." if len(clipped) > 10 else "")
        warnings.append(f"light above the wall's peak of {peak_nits:g} nits was clipped on {len(clipped)} of "
                        f"{len(frames)} exported frames ({shown}); up to {100 * worst:.3g}% of the pixels, "
                        f"brightest {brightest:.0f} nits")
    outside = sorted((int(k) for k, v in frames.items() if v.get("out_of_gamut_pixels")), key=int)
    if outside:
        worst_count = max(frames[str(f)].get("out_of_gamut_pixels", 0) for f in outside)
        warnings.append(f"colours outside the wall's gamut were clipped on {len(outside)} of {len(frames)} exported "
                        f"frames (up to {worst_count} pixels)")
    return warnings


def summary_text(report: dict[str, Any]) -> str:
    """A few readable lines for the crew (and `nodecomp led plan`)."""
    canvas = report["canvas"]
    lines = [f"LED wall {report['name']}: canvas {canvas['width']} x {canvas['height']} px, "
             f"{report['cabinets']['installed']} cabinets ({report['cabinets']['missing']} missing, "
             f"{report['cabinets']['driven']} driven)"]
    for wall in report["walls"]:
        size = wall["size_m"]
        line = (f"  wall {wall['name']}: {wall['cabinets']['columns']} x {wall['cabinets']['rows']} cabinets of "
                f"{wall['panel']}, {size['width']:g} x {size['height']:g} m, {wall['canvas']['width']} x "
                f"{wall['canvas']['height']} px at ({wall['canvas']['x']}, {wall['canvas']['y']})")
        if wall["arc"]:
            arc = wall["arc"]
            line += (f", {arc['direction']} arc R {arc['radius_mm']:g} mm: {arc['cabinet_angle_deg']:.3f} deg per "
                     f"cabinet, {arc['total_angle_deg']:.2f} deg in all")
        lines.append(line)
    colour = report["colour"]
    timing = report["timing"]
    lines.append(f"  signal: {colour['eotf']} {colour['gamut']} {colour['bit_depth']}-bit {colour['range']} range, "
                 f"peak {colour['peak_nits']:g} nits, scene 1.0 = {colour['scene_white_nits']:g} nits; "
                 f"{timing['fps']:g} fps at {timing['refresh_hz']:g} Hz")
    lines.append(f"processors: {report['processors_used']} used, {report['processors_needed']} needed at least")
    for proc in report["processors"]:
        ports = proc["ports"]
        lines.append(f"  {proc['name']} ({proc['model'] or 'processor'}): raster {proc['raster']['width']} x "
                     f"{proc['raster']['height']}, {proc['cabinets']} cabinets, {proc['pixels']} px; ports "
                     f"{ports['needed']}/{ports['available']}, up to {ports['pixels_per_port_used_max']} of "
                     f"{ports['pixels_per_port_capacity']} px per port ({ports['cabinets_per_port']} cabinets)")
        table = proc["capacity_table"]
        lines.append("    ports needed at " + ", ".join(f"{k.replace('_', ' ')}: {v['ports_needed']}"
                                                       for k, v in table.items()))
    if report["frames"]:
        clipped = sum(f["clipped_pixels"] for f in report["frames"].values())
        lines.append(f"frames: {len(report['frames'])} exported, {clipped} pixels clipped above the peak in all")
    lines.append(f"warnings: {len(report['warnings'])}")
    lines.extend(f"  - {warning}" for warning in report["warnings"])
    return "\n".join(lines) + "\n"
