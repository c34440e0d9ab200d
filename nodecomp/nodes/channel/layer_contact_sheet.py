"""LayerContactSheet: every layer of a multi-layer image side by side, labelled."""

from __future__ import annotations

import cv2
import numpy as np

from nodecomp.api import RGBA, Bool, Box, EvalContext, Image, Input, Int, NodeType
from nodecomp.nodes.channel import sheet


class LayerContactSheet(NodeType):
    """Lays every layer of the input out in a grid, each tile labelled with its layer name.

    For checking a multi-layer EXR at a glance (which AOVs a render has, whether a pass is
    empty). Each layer shows as colour: R, G, B (or X, Y, Z) when it has them, else its first
    three channels; a one-channel layer (depth.Z) shows as grey, a two-channel one (motion.u,
    motion.v) as red and green. The main layer is labelled rgba and shows R, G, B; with
    `show_alpha` its alpha gets a tile of its own. Values are shown as they are (no
    normalisation): grade a depth pass first to see it.

    With `fit` (default) the sheet has the input's format and tiles are resized (OpenCV
    INTER_AREA when shrinking) to fill a grid of `columns` (0: near square), keeping their
    aspect; without it tiles keep their size and the sheet grows. Labels are drawn with
    OpenCV's Hershey font in white with a black outline, `label_size` pixels tall (0: a tenth
    of a tile, at least 10). The output is RGBA with alpha 1 over the whole sheet, gaps black.
    """

    type_id = "nodecomp.LayerContactSheet"
    version = 1
    category = "Channel"
    inputs = (Input("source", doc="The multi-layer image to lay out."),)
    params = (
        Int("columns", default=0, min=0, max=64, doc="Tiles per row; 0 picks a near-square grid."),
        Int("gap", default=4, min=0, max=512, doc="Black pixels between and around tiles."),
        Bool("fit", default=True, doc="Fit the sheet into the input's format (off: tiles keep full size)."),
        Bool("labels", default=True, doc="Write each layer's name on its tile."),
        Int("label_size", default=0, min=0, max=512, doc="Label height in pixels; 0 scales with the tile."),
        Bool("show_alpha", default=True, doc="Give the main layer's alpha a tile of its own."),
    )

    @staticmethod
    def compute(ctx: EvalContext, source: Image, columns: int, gap: int, fit: bool, labels: bool,
                label_size: int, show_alpha: bool) -> Image:
        """Draw the sheet."""
        entries = sheet.tiles(source, show_alpha)
        display = source.display_window
        fit_size = (display.width, display.height) if fit else None
        if fit_size is not None and 0 in fit_size:
            raise ctx.error("the input's format is empty, so there is nothing to fit the sheet into",
                            hint="turn fit off")
        (width, height), slots = sheet.layout(len(entries), source.width, source.height, columns, gap, fit_size)
        canvas = np.zeros((height, width, 4), dtype=np.float32)
        canvas[..., 3] = 1.0
        for (label, names), slot in zip(entries, slots, strict=True):
            ctx.check_cancelled()
            if slot.width and slot.height and source.width and source.height:
                canvas[slot.y:slot.y + slot.height, slot.x:slot.x + slot.width, :3] = _tile(source, names, slot)
            if labels:
                size = label_size or max(10, slot.height // 10)
                sheet.draw_label(canvas, label, slot, size)
        box = Box(display.x0, display.y0, display.x0 + width, display.y0 + height) if fit else Box(0, 0, width, height)
        return source.replace(pixels=canvas, channels=RGBA, data_window=box, display_window=box)


def _tile(image: Image, names: list[str], slot: sheet.Slot) -> np.ndarray:
    """The layer's three display channels resized to the slot (missing ones black)."""
    tile = np.zeros((image.height, image.width, 3), dtype=np.float32)
    pairs = [index for c, name in enumerate(names) if name for index in (image.index(name), c)]
    cv2.mixChannels([np.ascontiguousarray(image.pixels, dtype=np.float32)], [tile], pairs)
    if (slot.width, slot.height) == (image.width, image.height):
        return tile
    shrinking = slot.width < image.width
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    return cv2.resize(tile, (slot.width, slot.height), interpolation=interpolation)
