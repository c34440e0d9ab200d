"""The maps a stage crew checks against the wall: a cabinet table, an nDisplay-style JSON, a Resolume-style XML.

- `cabinets.csv`: one row per installed cabinet: id, wall, col, row (from the top-left),
  canvas x/y/w/h, processor, raster x/y (top-left of the cabinet on that raster, after
  rotation), port (1-based), chain_index (1-based position on the port's daisy chain), and
  whether it is split across raster segments. Undriven cabinets have empty processor fields.
- `ndisplay.json`: the layout in the shape of an Unreal nDisplay config: one cluster node per
  processor whose window is its raster, one viewport per raster-map segment (its region on
  the raster, the canvas rectangle it shows, its rotation, and the wall mesh it projects on).
  It is a hand-off for building the real config, not a file Unreal loads as is.
- `slices.xml`: Resolume Arena's advanced-output layout: one screen per processor (the output
  size is its raster), one slice per segment with its input rectangle on the canvas
  (composition) and its output rectangle, rotated, on the raster.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from plugins.led_wall.plan import Plan
from plugins.led_wall.rasters import segment_canvas_box

CSV_COLUMNS = ("id", "wall", "col", "row", "canvas_x", "canvas_y", "canvas_w", "canvas_h", "processor",
               "raster_x", "raster_y", "port", "chain_index", "split")


def cabinets_csv(plan: Plan) -> str:
    """The cabinet table as CSV text (header first, cabinets in wall then row-major order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in plan.placements:
        c = p.cabinet
        raster = p.raster_box or ("", "")
        writer.writerow([c.id, c.wall, c.col, c.row, c.x, c.y, c.w, c.h, p.processor or "", raster[0], raster[1],
                         p.port or "", p.chain_index or "", "yes" if p.split else ""])
    return buffer.getvalue()


def ndisplay_json(plan: Plan, mesh_file: str) -> str:
    """The nDisplay-style layout (see the module docstring) as indented JSON."""
    stage = plan.stage
    nodes: dict[str, Any] = {}
    for use in plan.processors:
        processor = use.processor
        raster = stage.raster_map(processor.name)
        viewports = {}
        for index, mapping in enumerate(raster.mappings if raster is not None else ()):
            x0, y0, x1, y1 = segment_canvas_box(stage, mapping)
            width, height = mapping.raster_size
            viewports[f"{processor.name}_{index}"] = {
                "region": {"x": mapping.raster_u, "y": mapping.raster_v, "w": width, "h": height},
                "canvas": {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0},
                "rotation": mapping.wall_segment_orientation,
                "projectionPolicy": {"type": "mesh", "parameters": {"component": mapping.wall_name}},
            }
        nodes[processor.name] = {
            "window": {"x": 0, "y": 0, "w": processor.input_width, "h": processor.input_height},
            "processor": {"model": processor.model, "ports": processor.ports},
            "viewports": viewports,
        }
    components = {
        wall.name: {"type": "mesh", "file": mesh_file, "object": wall.name, "units": "metres",
                    "origin": list(wall.origin),
                    "rotation": {"yaw": wall.rotation.yaw, "pitch": wall.rotation.pitch, "roll": wall.rotation.roll}}
        for wall in stage.walls
    }
    document = {
        "nDisplay": {
            "description": f"LED wall {stage.name}: {plan.canvas[0]}x{plan.canvas[1]} canvas",
            "assetPath": "",
            "scene": {"components": components},
            "cluster": {"sync": {"fps": stage.timing.fps, "refreshHz": stage.timing.refresh_hz}, "nodes": nodes},
        }
    }
    return json.dumps(document, indent=2) + "\n"


def resolume_xml(plan: Plan) -> str:
    """The Resolume-style slice map (see the module docstring) as XML text."""
    stage = plan.stage
    root = ET.Element("XmlState", name=stage.name)
    ET.SubElement(root, "versionInfo", name="Resolume Arena", majorVersion="7", minorVersion="0",
                  microVersion="0", revision="0")
    setup = ET.SubElement(root, "ScreenSetup", name="ScreenSetup")
    ET.SubElement(setup, "CurrentCompositionTextureSize", width=str(plan.canvas[0]), height=str(plan.canvas[1]))
    screens = ET.SubElement(setup, "screens")
    unique = 1
    for use in plan.processors:
        processor = use.processor
        screen = ET.SubElement(screens, "Screen", name=processor.name, uniqueId=str(unique))
        unique += 1
        _param(ET.SubElement(screen, "Params", name="Params"), "Name", processor.name)
        layers = ET.SubElement(screen, "layers")
        raster = stage.raster_map(processor.name)
        for index, mapping in enumerate(raster.mappings if raster is not None else ()):
            slice_ = ET.SubElement(layers, "Slice", uniqueId=str(unique))
            unique += 1
            common = ET.SubElement(slice_, "Params", name="Common")
            _param(common, "Name", f"{processor.name}_{index} ({mapping.wall_name})")
            x0, y0, x1, y1 = segment_canvas_box(stage, mapping)
            _rect(slice_, "InputRect", _corners(x0, y0, x1, y1), 0)
            width, height = mapping.raster_size
            u, v = mapping.raster_u, mapping.raster_v
            corners = _corners(u, v, u + width, v + height)
            turns = mapping.wall_segment_orientation // 90  # the input's top-left corner moves clockwise
            _rect(slice_, "OutputRect", corners[turns:] + corners[:turns],
                  mapping.wall_segment_orientation)
        output = ET.SubElement(screen, "OutputDevice")
        ET.SubElement(output, "OutputDeviceVirtual", name=processor.name, deviceId=f"VirtualScreen {unique}",
                      width=str(processor.input_width), height=str(processor.input_height))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _param(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "Param", name=name, T="STRING", default="", value=value)


def _corners(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    """Top-left, top-right, bottom-right, bottom-left."""
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _rect(parent: ET.Element, tag: str, corners: list[tuple[int, int]], orientation: int) -> None:
    rect = ET.SubElement(parent, tag, orientation=str(orientation))
    for x, y in corners:
        ET.SubElement(rect, "v", x=str(x), y=str(y))
