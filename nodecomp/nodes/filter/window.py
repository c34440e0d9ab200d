"""Running a neighbourhood filter over an image: data window growth, crop, channel choice, edges.

Every filter in this family has the same bookkeeping around its pixel maths: pick the channels
to filter, decide the output data window (grown by the filter's reach, optionally cropped to the
format), gather the input pixels within reach of it with a defined value outside the input's
data window, run the maths, cut the result to the output window and copy the channels that were
not filtered. `filter_channels` does that once so each node only supplies the maths.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from nodecomp.api import Box, Image, conform
from nodecomp.nodes.filter.blur import selected_indices

PixelFn = Callable[[np.ndarray], np.ndarray]


def region_pixels(source: Image, region: Box, indices: list[int], fill: float = 0.0) -> np.ndarray:
    """The chosen channels of `source` on `region`, `fill` where the data window does not reach.

    Returns the source's own (read-only) array when it already is exactly that, so full-frame
    filtering of every channel costs no copy.
    """
    if region == source.data_window and list(indices) == list(range(len(source.channels))):
        return source.pixels
    out = np.full((region.height, region.width, len(indices)), fill, dtype=np.float32)
    overlap = source.data_window.intersect(region)
    if not overlap.is_empty:
        sy, sx = overlap.y0 - source.data_window.y0, overlap.x0 - source.data_window.x0
        dy, dx = overlap.y0 - region.y0, overlap.x0 - region.x0
        out[dy:dy + overlap.height, dx:dx + overlap.width] = source.pixels[
            sy:sy + overlap.height, sx:sx + overlap.width
        ][..., indices]
    return out


def output_window(source: Image, reach: tuple[int, int], *, grow: bool, crop: bool) -> Box:
    """The result's data window: the input's, grown by `reach` if `grow`, then clipped to the format if `crop`."""
    window = source.data_window.padded(*reach) if grow else source.data_window
    return window.intersect(source.display_window) if crop else window


def filter_channels(
    source: Image,
    selection: str,
    fn: PixelFn,
    *,
    reach: tuple[int, int] = (0, 0),
    grow: bool = False,
    crop: bool = False,
    fill: float = 0.0,
    guide: str | None = None,
    repeat_guide: bool = False,
) -> Image:
    """Apply `fn` to the selected channels of `source` and return the new image.

    Args:
        source: the input image; never written.
        selection: a `channels` choice (`rgba`, `rgb`, `alpha`, `all`; see `blur.SELECTIONS`).
        fn: maths on an (H, W, C) float32 array holding the selected channels over a region
            that covers the output window plus every input pixel within `reach` of it; returns
            a new array of the same shape. It must treat pixels beyond the array's edge as
            `fill` (OpenCV: `BORDER_CONSTANT` with that value) or as the edge repeated, as the
            node documents.
        reach: how far (x, y pixels) one input pixel affects the output.
        grow: whether the output data window grows by `reach` (filters that spread pixels).
        crop: clip the output window to the source's display window.
        fill: value of the pixels outside the source's data window inside the region (0 is
            the EXR convention; rank filters pass +-inf so those pixels never win). Where a
            grown margin is left holding an infinite `fill`, it becomes 0.
        guide: a channel `fn` reads but does not write (EdgeBlur's alpha, ZDefocus's depth):
            it is appended as the last channel of `fn`'s input, and `fn` returns only the
            selected channels.
        repeat_guide: beyond the data window the guide repeats its edge values instead of
            `fill` (a depth channel: the margin a blur grows into has the depth of the
            nearest pixel).

    Returns:
        A new image with the same channels, metadata and windows except the data window.
    """
    selected = selected_indices(source.channels, selection)
    if not selected:
        return source
    rx, ry = reach
    data = source.data_window
    window = output_window(source, reach, grow=grow, crop=crop)
    if window.is_empty:
        return source.with_pixels(np.zeros((0, 0, len(source.channels)), np.float32), data_window=window)
    region = window.union(data.intersect(window.padded(rx, ry)))
    read = selected if guide is None else [*selected, source.index(guide)]
    pixels = region_pixels(source, region, read, fill)
    if guide is not None and repeat_guide:
        _repeat_edges(pixels[..., -1], region, data.intersect(region))
    result = fn(pixels).reshape(region.height, region.width, len(selected))
    if region != window:
        result = result[window.y0 - region.y0:window.y1 - region.y0, window.x0 - region.x0:window.x1 - region.x0]
    if np.isinf(fill) and window != data.intersect(window):
        result = np.array(result)  # margins outside the data window that only saw `fill` become black
        _clear_fill_outside(result, window, data, fill)
    if len(selected) < len(source.channels):
        pixels = conform(source, window)
        pixels[..., selected] = result
        result = pixels
    return source.with_pixels(np.ascontiguousarray(result, dtype=np.float32), data_window=window)


def _repeat_edges(plane: np.ndarray, region: Box, inside: Box) -> None:
    """Fill `plane` (on `region`) outside `inside` with the nearest value inside it, in place."""
    if inside.is_empty or inside == region:
        return
    top, left = inside.y0 - region.y0, inside.x0 - region.x0
    core = plane[top:top + inside.height, left:left + inside.width].copy()
    plane[...] = cv2.copyMakeBorder(core, top, region.y1 - inside.y1, left, region.x1 - inside.x1,
                                    cv2.BORDER_REPLICATE)


def _clear_fill_outside(result: np.ndarray, window: Box, data: Box, fill: float) -> None:
    inside = np.zeros(result.shape[:2], dtype=bool)
    overlap = data.intersect(window)
    if not overlap.is_empty:
        inside[overlap.y0 - window.y0:overlap.y1 - window.y0, overlap.x0 - window.x0:overlap.x1 - window.x0] = True
    result[(result == fill) & ~inside[..., None]] = 0.0
