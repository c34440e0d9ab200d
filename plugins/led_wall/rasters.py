"""Processor rasters: wall segments cut from the canvas, rotated, and pasted at their raster position.

A mapping's segment is a half-open rectangle of one wall's pixels. Orientation turns it
clockwise as seen on the raster: 90 puts the segment's top edge on the right, so its pixel
(x, y) lands at (h - 1 - y, x) for a segment h pixels tall. Pixels are moved, never
resampled, so a raster holds exactly the canvas's code values.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from plugins.led_wall.model import Mapping, Stage

Box = tuple[int, int, int, int]


def segment_canvas_box(stage: Stage, mapping: Mapping) -> Box:
    """The mapping's segment on the canvas (x0, y0, x1, y1)."""
    wall = stage.wall(mapping.wall_name)
    return (wall.canvas_x + mapping.wall_segment_u_start, wall.canvas_y + mapping.wall_segment_v_start,
            wall.canvas_x + mapping.wall_segment_u_end, wall.canvas_y + mapping.wall_segment_v_end)


def rotate_box(box: Box, width: int, height: int, orientation: int) -> Box:
    """`box` inside a width x height image, after turning the image clockwise by `orientation` degrees."""
    x0, y0, x1, y1 = box
    if orientation == 90:
        return (height - y1, x0, height - y0, x1)
    if orientation == 180:
        return (width - x1, height - y1, width - x0, height - y0)
    if orientation == 270:
        return (y0, width - x1, y1, width - x0)
    return box


def rotate_pixels(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """(H, W, C) pixels turned clockwise by `orientation` degrees (a view, no copy)."""
    if orientation == 90:
        return np.rot90(pixels, k=-1)
    if orientation == 180:
        return pixels[::-1, ::-1]
    if orientation == 270:
        return np.rot90(pixels, k=1)
    return pixels


def canvas_to_raster(stage: Stage, mapping: Mapping, canvas_box: Box) -> Box:
    """Where a canvas rectangle inside the mapping's segment lands on the raster."""
    sx0, sy0, _, _ = segment_canvas_box(stage, mapping)
    local = (canvas_box[0] - sx0, canvas_box[1] - sy0, canvas_box[2] - sx0, canvas_box[3] - sy0)
    x0, y0, x1, y1 = rotate_box(local, mapping.segment_width, mapping.segment_height,
                                mapping.wall_segment_orientation)
    return (x0 + mapping.raster_u, y0 + mapping.raster_v, x1 + mapping.raster_u, y1 + mapping.raster_v)


def assemble(canvas: np.ndarray, stage: Stage, processor: str, blackout: Iterable[Box] = (),
             out: np.ndarray | None = None, black: int = 0) -> np.ndarray:
    """The raster of `processor`: its segments of `canvas` (H, W, C) placed per its raster map.

    Args:
        canvas: encoded canvas pixels (any dtype; copied as they are).
        stage: the stage with the processor and its raster map.
        processor: the processor's name.
        blackout: raster rectangles to clear (missing cabinets inside a segment).
        out: an array of the raster's shape to fill (reused across frames); allocated when None.
        black: the value of unmapped areas and blacked-out rectangles (the signal's black: 64 << 6
            for 10-bit legal range).

    Returns:
        (input_height, input_width, C) array of `canvas.dtype`; `black` where nothing is mapped.
    """
    spec = stage.processor(processor)
    shape = (spec.input_height, spec.input_width, canvas.shape[2])
    if out is None:
        out = np.full(shape, black, dtype=canvas.dtype) if black else np.zeros(shape, dtype=canvas.dtype)
    else:
        out[...] = black
    raster_map = stage.raster_map(processor)
    for mapping in raster_map.mappings if raster_map is not None else ():
        x0, y0, x1, y1 = segment_canvas_box(stage, mapping)
        width, height = mapping.raster_size
        u, v = mapping.raster_u, mapping.raster_v
        out[v:v + height, u:u + width] = rotate_pixels(canvas[y0:y1, x0:x1], mapping.wall_segment_orientation)
    for bx0, by0, bx1, by1 in blackout:
        out[by0:by1, bx0:bx1] = black
    return out
