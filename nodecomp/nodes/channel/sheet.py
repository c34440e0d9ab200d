"""The pieces of a layer contact sheet: which channels show a layer, the grid, the labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from nodecomp.api import MAIN_LAYER, Image

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_LABEL_MARGIN = 4


@dataclass(frozen=True)
class Slot:
    """Where a tile goes on the sheet: top-left corner and size in pixels."""

    x: int
    y: int
    width: int
    height: int


def display_channels(names: Sequence[str]) -> list[str]:
    """The (up to) three channels that show a layer as colour.

    R, G, B (or X, Y, Z) by suffix when the layer has all three, else its first three; one
    channel shows as grey (it is repeated), two as red and green.
    """
    suffixes = {name.rsplit(".", 1)[-1].upper(): name for name in names}
    for triple in (("R", "G", "B"), ("X", "Y", "Z")):
        if all(s in suffixes for s in triple):
            return [suffixes[s] for s in triple]
    if len(names) == 1:
        return [names[0]] * 3
    return list(names[:3])


def tiles(image: Image, show_alpha: bool) -> list[tuple[str, list[str]]]:
    """(label, three channel names, "" for a black one) for every layer, in image order.

    The main layer is labelled `rgba` and shows R, G, B; its alpha gets a tile of its own
    (labelled `alpha`) when `show_alpha` is set.
    """
    result: list[tuple[str, list[str]]] = []
    for layer, names in image.layers().items():
        colour = [n for n in names if n != "A"] if layer == MAIN_LAYER else names
        if colour:
            shown = display_channels(colour)
            result.append((layer, shown if len(shown) == 3 else [*shown, ""]))
        if layer == MAIN_LAYER and show_alpha and "A" in names:
            result.append(("alpha", ["A", "A", "A"]))
    return result


def grid(count: int, columns: int) -> tuple[int, int]:
    """(columns, rows) for `count` tiles; 0 columns picks a near-square grid."""
    if count <= 0:
        return 1, 1
    columns = columns if columns > 0 else math.ceil(math.sqrt(count))
    columns = min(columns, count)
    return columns, math.ceil(count / columns)


def layout(count: int, tile_width: int, tile_height: int, columns: int, gap: int,
           fit: tuple[int, int] | None) -> tuple[tuple[int, int], list[Slot]]:
    """The sheet size and one slot per tile, row by row.

    Without `fit` tiles keep the input size with `gap` pixels around each. With `fit`
    (width, height) the sheet is that size and tiles shrink (or grow) to fill their cells,
    keeping the input's aspect, centred in the cell.
    """
    cols, rows = grid(count, columns)
    if fit is None:
        size = (cols * tile_width + (cols + 1) * gap, rows * tile_height + (rows + 1) * gap)
        cell_w, cell_h, scale = tile_width, tile_height, 1.0
    else:
        size = fit
        cell_w = max(1, (fit[0] - (cols + 1) * gap) // cols)
        cell_h = max(1, (fit[1] - (rows + 1) * gap) // rows)
        scale = min(cell_w / max(tile_width, 1), cell_h / max(tile_height, 1))
    width = max(1, round(tile_width * scale)) if tile_width else 0
    height = max(1, round(tile_height * scale)) if tile_height else 0
    slots = []
    for index in range(count):
        col, row = index % cols, index // cols
        x = gap + col * (cell_w + gap) + (cell_w - width) // 2
        y = gap + row * (cell_h + gap) + (cell_h - height) // 2
        slots.append(Slot(x, y, width, height))
    return size, slots


def label_scale(height_px: int) -> float:
    """The cv2 font scale whose capital letters are about `height_px` tall."""
    (_, reference), _ = cv2.getTextSize("Ag", _FONT, 1.0, 1)
    return max(0.2, height_px / reference)


def draw_label(canvas: np.ndarray, text: str, slot: Slot, height_px: int) -> None:
    """White text with a black outline at the tile's bottom-left, composited into an RGBA canvas.

    OpenCV draws text only into 8-bit images, so the outline and the letters are drawn as
    8-bit coverage masks over the slot (anti-aliased) and blended into the float canvas:
    colour * (1 - outline), then towards white by the letters' coverage.
    """
    if slot.width <= 0 or slot.height <= 0:
        return
    scale = label_scale(height_px)
    thickness = max(1, round(height_px / 12))
    origin = (_LABEL_MARGIN, slot.height - _LABEL_MARGIN)
    outline = np.zeros((slot.height, slot.width), dtype=np.uint8)
    letters = np.zeros_like(outline)
    cv2.putText(outline, text, origin, _FONT, scale, 255, thickness + 2, cv2.LINE_AA)
    cv2.putText(letters, text, origin, _FONT, scale, 255, thickness, cv2.LINE_AA)
    region = canvas[slot.y:slot.y + slot.height, slot.x:slot.x + slot.width, :3]
    cover = letters.astype(np.float32)[..., np.newaxis] / np.float32(255.0)
    region *= np.float32(1.0) - outline.astype(np.float32)[..., np.newaxis] / np.float32(255.0)
    region *= np.float32(1.0) - cover
    region += cover
