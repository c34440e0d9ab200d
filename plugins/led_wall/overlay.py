"""The pixel-map overlay: the canvas as the crew sees the wall, drawn with OpenCV.

Each cabinet is tinted by its port (one hue per port number, darker for every other
processor; processors are outlined and named), outlined, and labelled with its column/row and
its port and chain position; arrows follow every port's daisy chain from the processor end (a
dot) to its last cabinet, right of the cabinet centres so they never cross the labels. Missing
cabinets are grey and crossed out, cabinets split across rasters are outlined in red, and
cabinets no raster drives are outlined in magenta. The overlay is an 8-bit RGBA layer (sRGB
display values) at any scale of the canvas: the export writes it over a dark background,
the preview node lays it over the picture.
"""

from __future__ import annotations

import colorsys

import cv2
import numpy as np

from plugins.led_wall.plan import Placement, Plan

_FILL_ALPHA = 110
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_RED = (235, 40, 40)
_MAGENTA = (230, 40, 230)
_GREY = (90, 90, 90)
_WHITE = (245, 245, 245)
_BLACK = (15, 15, 15)


def port_colour(port: int, processor_index: int = 0) -> tuple[int, int, int]:
    """An RGB colour per port number (neighbouring ports differ clearly), darker for every other processor."""
    hue = ((port - 1) * 0.618034) % 1.0
    value = 0.95 if processor_index % 2 == 0 else 0.7
    r, g, b = colorsys.hsv_to_rgb(hue, 0.75, value)
    return int(r * 255), int(g * 255), int(b * 255)


class _Layer:
    """RGB pixels and an alpha mask drawn together."""

    def __init__(self, width: int, height: int) -> None:
        self.rgb = np.zeros((height, width, 3), np.uint8)
        self.alpha = np.zeros((height, width), np.uint8)

    def rect(self, box: tuple[int, int, int, int], colour: tuple[int, int, int], thickness: int,
             alpha: int = 255) -> None:
        x0, y0, x1, y1 = box
        cv2.rectangle(self.rgb, (x0, y0), (x1 - 1, y1 - 1), colour, thickness)
        cv2.rectangle(self.alpha, (x0, y0), (x1 - 1, y1 - 1), alpha, thickness)

    def line(self, a: tuple[int, int], b: tuple[int, int], colour: tuple[int, int, int], thickness: int,
             arrow: bool = False) -> None:
        if not arrow:
            cv2.line(self.rgb, a, b, colour, thickness, cv2.LINE_AA)
            cv2.line(self.alpha, a, b, 255, thickness, cv2.LINE_AA)
            return
        length = max(1.0, float(np.hypot(b[0] - a[0], b[1] - a[1])))
        tip = min(0.4, (6.0 * thickness + 4.0) / length)  # a head of fixed size, whatever the distance
        cv2.arrowedLine(self.rgb, a, b, colour, thickness, cv2.LINE_AA, tipLength=tip)
        cv2.arrowedLine(self.alpha, a, b, 255, thickness, cv2.LINE_AA, tipLength=tip)

    def label(self, text: str, origin: tuple[int, int], size: float, thickness: int) -> None:
        """White text on a dark box (titles that must read over anything)."""
        (width, height), base = cv2.getTextSize(text, _FONT, size, thickness)
        pad = max(2, thickness * 2)
        x, y = origin
        box = (x - pad, y - height - pad, x + width + pad, y + base + pad)
        cv2.rectangle(self.rgb, box[:2], box[2:], _BLACK, -1)
        cv2.rectangle(self.alpha, box[:2], box[2:], 230, -1)
        cv2.putText(self.rgb, text, origin, _FONT, size, _WHITE, thickness, cv2.LINE_AA)
        cv2.putText(self.alpha, text, origin, _FONT, size, 255, thickness, cv2.LINE_AA)

    def dot(self, centre: tuple[int, int], radius: int, colour: tuple[int, int, int]) -> None:
        cv2.circle(self.rgb, centre, radius, colour, -1, cv2.LINE_AA)
        cv2.circle(self.alpha, centre, radius, 255, -1, cv2.LINE_AA)

    def text(self, text: str, origin: tuple[int, int], size: float, colour: tuple[int, int, int],
             thickness: int) -> None:
        for rgb, value, weight in ((_BLACK, 255, thickness + 2), (colour, 255, thickness)):
            cv2.putText(self.rgb, text, origin, _FONT, size, rgb, weight, cv2.LINE_AA)
            cv2.putText(self.alpha, text, origin, _FONT, size, value, weight, cv2.LINE_AA)


def draw_overlay(plan: Plan, scale: float = 1.0, *, labels: bool = True, arrows: bool = True) -> np.ndarray:
    """The overlay as (H, W, 4) uint8 RGBA at `scale` times the canvas size."""
    width, height = (max(1, round(v * scale)) for v in plan.canvas)
    layer = _Layer(width, height)

    def box(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return tuple(round(v * scale) for v in b)  # type: ignore[return-value]

    cabinet_px = min((p.cabinet.w for p in plan.placements), default=64) * scale
    line = max(1, round(cabinet_px / 96))
    size = max(0.25, cabinet_px / 200)
    order = {use.processor.name: index for index, use in enumerate(plan.processors)}
    for placement in plan.placements:
        if placement.port is not None and placement.processor is not None:
            x0, y0, x1, y1 = box(placement.cabinet.box)
            layer.rgb[y0:y1, x0:x1] = port_colour(placement.port, order[placement.processor])
            layer.alpha[y0:y1, x0:x1] = _FILL_ALPHA
    _missing(plan, layer, box, line)
    for placement in plan.placements:
        layer.rect(box(placement.cabinet.box), _WHITE, line)
    for placement in plan.placements:
        if placement.split:
            layer.rect(box(placement.cabinet.box), _RED, line * 3)
        elif placement.processor is None:
            layer.rect(box(placement.cabinet.box), _MAGENTA, line * 3)
    if arrows:
        _chains(plan, layer, box, line)
    if labels:
        for placement in plan.placements:
            _label(layer, placement, box(placement.cabinet.box), size, line)
    _processor_outlines(plan, layer, box, line, size)
    return np.dstack([layer.rgb, layer.alpha])


def over_background(rgba: np.ndarray, background: np.ndarray | int = 32) -> np.ndarray:
    """(H, W, 3) uint8: the overlay composited over a grey level or an RGB uint8 picture."""
    colour = np.ascontiguousarray(rgba[..., :3])
    if isinstance(background, np.ndarray):
        base = np.ascontiguousarray(background, dtype=np.uint8)
    else:
        base = np.full_like(colour, int(background))
    weight = rgba[..., 3].astype(np.float32) * np.float32(1.0 / 255.0)
    return cv2.blendLinear(colour, base, weight, 1.0 - weight)


def _missing(plan: Plan, layer: _Layer, box: object, line: int) -> None:
    for wall in plan.stage.walls:
        for col, row in wall.missing:
            x0 = wall.canvas_x + col * wall.panel.px_w
            y0 = wall.canvas_y + row * wall.panel.px_h
            b = box((x0, y0, x0 + wall.panel.px_w, y0 + wall.panel.px_h))  # type: ignore[operator]
            layer.rgb[b[1]:b[3], b[0]:b[2]] = _GREY
            layer.alpha[b[1]:b[3], b[0]:b[2]] = 200
            layer.line((b[0], b[1]), (b[2] - 1, b[3] - 1), _WHITE, line)
            layer.line((b[2] - 1, b[1]), (b[0], b[3] - 1), _WHITE, line)


def _processor_outlines(plan: Plan, layer: _Layer, box: object, line: int, size: float) -> None:
    for use in plan.processors:
        mine = [p.cabinet.box for p in plan.placements if p.processor == use.processor.name]
        if not mine:
            continue
        bounds = (min(b[0] for b in mine), min(b[1] for b in mine), max(b[2] for b in mine), max(b[3] for b in mine))
        b = box(bounds)  # type: ignore[operator]
        layer.rect(b, _WHITE, line * 4)
        label = f"{use.processor.name}: {use.cabinets} cabinets, {use.ports_needed}/{use.processor.ports} ports"
        layer.label(label, ((b[0] + b[2]) // 3, (b[1] + b[3]) // 2), size * 1.6, max(1, line * 2))


def _chains(plan: Plan, layer: _Layer, box: object, line: int) -> None:
    ports: dict[tuple[str, int], list[Placement]] = {}
    for placement in plan.placements:
        if placement.port is not None and placement.processor is not None:
            ports.setdefault((placement.processor, placement.port), []).append(placement)
    for chain in ports.values():
        chain.sort(key=lambda p: p.chain_index or 0)
        centres = [_centre(box(p.cabinet.box)) for p in chain]  # type: ignore[operator]
        layer.dot(centres[0], line * 5, _WHITE)
        for a, b in zip(centres, centres[1:], strict=False):
            layer.line(a, b, _WHITE, line * 2, arrow=True)


def _label(layer: _Layer, placement: Placement, b: tuple[int, int, int, int], size: float, line: int) -> None:
    cabinet = placement.cabinet
    pad = 4 * line
    layer.text(f"C{cabinet.col:0{cabinet.digits}d} R{cabinet.row:0{cabinet.digits}d}",
               (b[0] + pad, b[1] + pad + round(22 * size)), size, _WHITE, line)
    if placement.port is not None:
        layer.text(f"P{placement.port} #{placement.chain_index}", (b[0] + pad, b[3] - pad), size, _WHITE, line)


def _centre(b: tuple[int, int, int, int]) -> tuple[int, int]:
    """Where a chain passes through a cabinet: right of centre, clear of the labels on the left."""
    return b[0] + (b[2] - b[0]) * 4 // 5, (b[1] + b[3]) // 2
