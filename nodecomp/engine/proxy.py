"""Region-of-interest crops and proxy reductions of images, and the pixel params they scale.

These implement the request contract (`engine/request.py`) for results made at full
resolution: the evaluator uses them for node types that do not opt in, Read for the pixels
it decodes, and node authors through `EvalContext.fit`. A reduction is the exact n x n block
mean on the proxy grid (OpenCV's area filter at a whole factor), so reducing a crop and
cropping a reduction give the same pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from nodecomp.core.params import Float, Int, ParamSpec, Vec2, Vec3
from nodecomp.engine.image import Box, Image, Region, conform
from nodecomp.engine.request import Request


def crop(image: Image, box: Box | None) -> Image:
    """`image` with its data window limited to `box` (pixels copied only when it shrinks).

    Pixels outside a data window are black by convention, so a crop changes no pixel inside `box`.
    """
    if box is None:
        return image
    window = image.data_window.intersect(box)
    if window == image.data_window:
        return image
    dw = image.data_window
    rows = slice(window.y0 - dw.y0, window.y1 - dw.y0)
    cols = slice(window.x0 - dw.x0, window.x1 - dw.x0)
    pixels = image.pixels[rows, cols]
    pixels = np.ascontiguousarray(pixels) if isinstance(pixels, np.ndarray) else pixels.contiguous()
    return image.with_pixels(pixels, data_window=window)


def reduce(image: Image, step: int) -> Image:
    """`image` at 1/`step` resolution: n x n block means on the proxy grid, windows reduced.

    The data window is first padded with black to whole blocks, so a block straddling its edge
    averages in the black that lies outside it. Torch pixels are reduced with the same block mean.
    """
    if step == 1:
        return image
    dw = image.data_window
    out = dw.reduced(step)
    display = image.display_window.reduced(step)
    if out.is_empty:
        empty = np.zeros((out.height, out.width, len(image.channels)), dtype=np.float32)
        return image.replace(pixels=empty, data_window=out, display_window=display)
    grid = out.enlarged(step)
    if not isinstance(image.pixels, np.ndarray):
        return image.replace(pixels=_reduce_tensor(image, grid, step), data_window=out, display_window=display)
    pixels = image.pixels if grid == dw else conform(image, grid)
    reduced = cv2.resize(np.ascontiguousarray(pixels, dtype=np.float32), (out.width, out.height),
                         interpolation=cv2.INTER_AREA)
    reduced = reduced.reshape(out.height, out.width, len(image.channels))  # OpenCV drops a single channel axis
    return image.replace(pixels=reduced, data_window=out, display_window=display)


def _reduce_tensor(image: Image, grid: Box, step: int) -> Any:
    """The block mean of torch pixels (on their device), padded with black to `grid`; torch is not imported."""
    pixels = image.pixels
    dw = image.data_window
    if grid != dw:
        padded = pixels.new_zeros((grid.height, grid.width, pixels.shape[2]))
        padded[dw.y0 - grid.y0:dw.y1 - grid.y0, dw.x0 - grid.x0:dw.x1 - grid.x0] = pixels
        pixels = padded
    blocks = pixels.reshape(grid.height // step, step, grid.width // step, step, pixels.shape[2])
    return blocks.mean(dim=(1, 3)).contiguous()


def fit_image(image: Image, request: Request) -> Image:
    """A full-resolution result cut to `request`: cropped to its region, then reduced to its scale."""
    return reduce(crop(image, request.region), request.step)


def fit_region(region: Region, request: Request) -> Region:
    """The windows `fit_image` gives an image whose full-resolution windows are `region`."""
    data = region.data_window if request.region is None else region.data_window.intersect(request.region)
    return Region(data.reduced(request.step), region.display_window.reduced(request.step))


def clip_to_request(image: Image, request: Request) -> Image:
    """A result made for `request` limited to its window (a node may return a little more)."""
    return crop(image, request.window)


def is_pixel_param(spec: ParamSpec) -> bool:
    """True when the declaration says the value is in pixels (scaled at proxy resolution)."""
    return bool(getattr(spec, "pixels", False))


def scale_params(specs: tuple[ParamSpec, ...], params: Mapping[str, Any], scale: float) -> dict[str, Any]:
    """`params` with every value declared `pixels=True` multiplied by `scale`.

    Floats and vector components are scaled exactly; an Int is rounded, kept at its minimum.
    """
    scaled = dict(params)
    if scale == 1.0:
        return scaled
    for spec in specs:
        if not is_pixel_param(spec) or spec.name not in scaled:
            continue
        value = scaled[spec.name]
        if isinstance(spec, Int):
            number = round(value * scale)
            scaled[spec.name] = number if spec.min is None else max(spec.min, number)
        elif isinstance(spec, Float):
            scaled[spec.name] = value * scale
        elif isinstance(spec, Vec2 | Vec3):
            scaled[spec.name] = tuple(v * scale for v in value)
    return scaled
