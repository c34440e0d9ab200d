"""Test patterns for lining up the wall, drawn straight in the wall's code values.

Levels are luminances encoded like the picture (PQ or gamma, full or legal range), so a
pattern shows the same on the wall as content at that level: `white` is the scene white
(100 nits by default), `grey` a quarter of it. Neutral levels are the same in every gamut.

- checker: every cabinet a 4 x 4 checkerboard whose phase alternates from cabinet to
  cabinet, outlined, with its column and row written in it: a swapped or rotated cabinet
  or a raster segment in the wrong place is obvious.
- outline: the cabinet grid, each raster segment outlined and named, and a one-pixel border
  around the whole raster: shows scaling or cropping in the processor's input.
- frame counter: the frame number and a bar that steps across the canvas each frame and
  starts again every second: shows dropped or repeated frames, tearing and processors out of
  sync. It is exported frame by frame like a picture (LEDWallExport's `content`).
"""

from __future__ import annotations

import cv2
import numpy as np

from plugins.led_wall.encoding import SignalEncoder
from plugins.led_wall.plan import Plan
from plugins.led_wall.rasters import canvas_to_raster, segment_canvas_box

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def levels(encoder: SignalEncoder, white_light: float) -> dict[str, int]:
    """16-bit containers of black, grey (1/4 white) and white for an encoder unit `white_light`."""
    light = np.array([0.0, white_light / 4.0, white_light], np.float32)
    black, grey, white = (int(v) for v in encoder.encode(np.minimum(light, np.float32(encoder.peak))))
    return {"black": black, "grey": grey, "white": white}


def checker(plan: Plan, level: dict[str, int], squares: int = 4) -> np.ndarray:
    """(H, W, 3) uint16 containers of the per-cabinet checker on the canvas."""
    width, height = plan.canvas
    canvas = np.full((height, width, 3), level["black"], np.uint16)
    for placement in plan.placements:
        c = placement.cabinet
        ys = (np.arange(c.h) * squares // c.h)[:, None]
        xs = (np.arange(c.w) * squares // c.w)[None, :]
        on = ((ys + xs + c.col + c.row) % 2).astype(bool)
        block = canvas[c.y:c.y + c.h, c.x:c.x + c.w]
        block[on] = level["white"]
        cv2.rectangle(block, (0, 0), (c.w - 1, c.h - 1), _colour(level["grey"]), max(1, c.w // 96))
        _text(block, f"C{c.col} R{c.row}", c.w, c.h, level["grey"])
    return canvas


def grid(plan: Plan, level: dict[str, int]) -> np.ndarray:
    """(H, W, 3) uint16 containers: cabinet outlines in grey on black."""
    width, height = plan.canvas
    canvas = np.full((height, width, 3), level["black"], np.uint16)
    for placement in plan.placements:
        c = placement.cabinet
        cv2.rectangle(canvas, (c.x, c.y), (c.x + c.w - 1, c.y + c.h - 1), _colour(level["grey"]), 1)
    return canvas


def outline_raster(plan: Plan, processor: str, raster: np.ndarray, level: dict[str, int]) -> np.ndarray:
    """Draw segment outlines, their names and the raster border on an assembled grid raster (in place)."""
    stage = plan.stage
    raster_map = stage.raster_map(processor)
    white = _colour(level["white"])
    for index, mapping in enumerate(raster_map.mappings if raster_map is not None else ()):
        x0, y0, x1, y1 = canvas_to_raster(stage, mapping, segment_canvas_box(stage, mapping))
        cv2.rectangle(raster, (x0, y0), (x1 - 1, y1 - 1), white, 3)
        label = f"{processor} segment {index}: {mapping.wall_name} rot {mapping.wall_segment_orientation}"
        _put_text(raster, label, (x0 + 12, y0 + 40), 1.0, level["white"], 2)
    height, width = raster.shape[:2]
    cv2.rectangle(raster, (0, 0), (width - 1, height - 1), white, 1)
    return raster


def frame_counter(plan: Plan, level: dict[str, int], frame: int, loop: int) -> np.ndarray:
    """(H, W, 3) uint16 containers: the frame number on every wall and a bar one `loop`-th of the canvas wide.

    The bar moves one step per frame and starts again every `loop` frames (one second at the
    content frame rate), so a dropped frame leaves a gap and a repeated one a stall.
    """
    width, height = plan.canvas
    canvas = np.full((height, width, 3), level["black"], np.uint16)
    loop = max(1, loop)
    step = max(1, width // loop)
    position = frame % loop
    canvas[:, position * step:(position + 1) * step] = level["grey"]
    for wall in plan.stage.walls:
        region = canvas[wall.canvas_y:wall.canvas_y + wall.height_px, wall.canvas_x:wall.canvas_x + wall.width_px]
        _text(region, f"{frame}  {position + 1}/{loop}", wall.width_px, wall.height_px, level["white"], fill=0.5)
    return canvas


def _text(block: np.ndarray, text: str, width: int, height: int, value: int, fill: float = 0.7) -> None:
    """Centred text about `fill` of the block's width."""
    (tw, th), _ = cv2.getTextSize(text, _FONT, 1.0, 2)
    size = fill * width / max(1, tw)
    size = min(size, 0.5 * height / max(1, th))
    thickness = max(1, round(2 * size))
    (tw, th), _ = cv2.getTextSize(text, _FONT, size, thickness)
    _put_text(block, text, ((width - tw) // 2, (height + th) // 2), size, value, thickness)


def _put_text(image: np.ndarray, text: str, origin: tuple[int, int], size: float, value: int, thickness: int) -> None:
    """Text in code value `value` on a uint16 image (OpenCV draws text on 8-bit images only)."""
    (tw, th), baseline = cv2.getTextSize(text, _FONT, size, thickness)
    x0, y0 = max(0, origin[0]), max(0, origin[1] - th - thickness)
    x1, y1 = min(image.shape[1], origin[0] + tw + thickness), min(image.shape[0], origin[1] + baseline + thickness)
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.putText(mask, text, (origin[0] - x0, origin[1] - y0), _FONT, size, 255, thickness, cv2.LINE_8)
    image[y0:y1, x0:x1][mask > 0] = value


def _colour(value: int) -> tuple[int, int, int]:
    return (value, value, value)
