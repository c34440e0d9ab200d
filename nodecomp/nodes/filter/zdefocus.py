"""ZDefocus: depth-of-field from a depth channel, as a stack of disc blurs blended per pixel."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, Int, NodeType, String
from nodecomp.nodes.filter.blur import SELECTIONS, selected_indices
from nodecomp.nodes.filter.kernels import convolve, disc_kernel
from nodecomp.nodes.filter.window import filter_channels


def circle_of_confusion(depth: np.ndarray, focal_plane: float, depth_of_field: float, size: float,
                        max_size: float) -> np.ndarray:
    """Blur radius in pixels per pixel: size * (distance outside the in-focus range), capped.

    coc = min(max_size, size * max(|depth - focal_plane| - depth_of_field / 2, 0)); NaN depth
    counts as in focus.
    """
    distance = np.abs(depth - np.float32(focal_plane)) - np.float32(depth_of_field / 2.0)
    coc = np.clip(distance * np.float32(size), 0.0, np.float32(max_size))
    return np.nan_to_num(coc, nan=0.0)


def level_radii(largest: float, layers: int) -> list[float]:
    """The radii of the blur stack: `layers` steps from 0 (sharp) to `largest`, evenly spaced."""
    return [largest * i / (layers - 1) for i in range(layers)]


def zdefocus_pixels(pixels: np.ndarray, coc: np.ndarray, radii: list[float],
                    check: Callable[[], None] | None = None) -> np.ndarray:
    """Blend a stack of disc blurs by each pixel's circle of confusion.

    With levels r_0 = 0 < r_1 < ... < r_n and f = the fractional level of coc, a pixel takes
    (1 - t) * B_k + t * B_(k+1), B_i the image convolved with a disc of radius r_i: a linear
    interpolation between the two blurs that bracket its radius. Only one blur is held at a
    time. Black beyond the array's edge.

    Args:
        pixels: (H, W, C) float32; only read.
        coc: (H, W) radius in pixels, within [0, radii[-1]].
        radii: increasing level radii starting at 0.
        check: called between levels (a render's cancellation check).

    Returns:
        A new (H, W, C) float32 array.
    """
    step = radii[-1] / (len(radii) - 1)
    level = coc / np.float32(step) if step > 0 else np.zeros_like(coc)
    out = np.zeros(pixels.shape, np.float32)
    for index, radius in enumerate(radii):
        if check is not None:
            check()
        weight = np.clip(1.0 - np.abs(level - np.float32(index)), 0.0, 1.0)
        if not weight.any():
            continue
        blurred = pixels if index == 0 else convolve(pixels, disc_kernel(radius))
        out += blurred * weight[..., None]
    return out


class ZDefocus(NodeType):
    """Depth of field: pixels blur more the farther their depth is from the focal plane.

    coc = min(max_size, size * max(|Z - focal_plane| - depth_of_field / 2, 0)) pixels of
    disc radius per pixel, Z read from `depth_channel` (NaN depth counts as in focus). The
    image is convolved with `layers` discs of radius evenly spaced from 0 to the largest coc
    in the frame; each pixel linearly blends the two blurs that bracket its coc. This is a
    gather approximation ("lite"): a sharp foreground edge over a blurred background keeps
    a little of the background's blur around it, and a blurred foreground does not spread over
    a sharp background. More layers give smoother depth transitions at proportional cost.

    Depth is in the units of the depth channel (often distance from camera). The depth channel
    itself is copied, never blurred. Pixels outside the data window are black and take the
    depth of the nearest pixel inside it; the data window grows by the largest radius and,
    with `crop` on, is clipped to the format. A
    missing depth channel is an error naming the channels there are.
    """

    type_id = "nodecomp.ZDefocus"
    version = 1
    category = "Filter"
    inputs = (Input("source", doc="The image with a depth channel (scene-linear, premultiplied)."),)
    params = (
        String("depth_channel", default="depth.Z", doc="Channel holding depth, e.g. depth.Z or Z."),
        Float("focal_plane", default=1.0, doc="Depth that is in focus, in depth units."),
        Float("depth_of_field", default=0.0, min=0.0,
              doc="Depth range around the focal plane kept fully sharp, in depth units."),
        Float("size", default=10.0, min=0.0, slider_max=100.0,
              doc="Blur radius in pixels per depth unit outside the in-focus range."),
        Float("max_size", default=20.0, min=0.0, slider_max=100.0, doc="Largest blur radius, in pixels."),
        Int("layers", default=8, min=2, max=64,
            doc="Number of blur levels from sharp to the largest radius; more is smoother and slower."),
        Choice("channels", default="rgba", choices=tuple(SELECTIONS),
               doc="Which channels to defocus: the main layer's RGBA, RGB, alpha, or every layer."),
        Bool("crop", default=True, doc="Clip the grown data window to the format."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No blur allowed means nothing changes."""
        return "source" if params["size"] == 0.0 or params["max_size"] <= 0.5 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, depth_channel: str, focal_plane: float, depth_of_field: float,
                size: float, max_size: float, layers: int, channels: str, crop: bool) -> Image:
        """Blend the disc-blur stack over the grown data window."""
        if depth_channel not in source.channels:
            raise ctx.error(
                f"no depth channel {depth_channel!r} (channels: {', '.join(source.channels)})",
                hint="set depth_channel to the channel holding depth",
            )
        depth = source.pixels[..., source.index(depth_channel)]
        largest = float(circle_of_confusion(depth, focal_plane, depth_of_field, size, max_size).max(initial=0.0))
        reach = len(disc_kernel(largest)) // 2
        if reach == 0:
            return source
        radii = level_radii(largest, layers)

        def defocus(pixels: np.ndarray) -> np.ndarray:
            coc = circle_of_confusion(pixels[..., -1], focal_plane, depth_of_field, size, largest)
            return zdefocus_pixels(np.ascontiguousarray(pixels[..., :-1]), coc, radii, ctx.check_cancelled)

        result = filter_channels(source, channels, defocus, reach=(reach, reach), grow=True, crop=crop,
                                 guide=depth_channel, repeat_guide=True)
        depth_index = source.index(depth_channel)
        if depth_index in selected_indices(source.channels, channels):  # depth itself is never blurred
            return _restore(result, source, [depth_index])
        return result


def _restore(result: Image, source: Image, indices: list[int]) -> Image:
    """`result` with the channels at `indices` taken unblurred from `source` (black outside its data window)."""
    pixels = np.array(result.pixels)
    window, data = result.data_window, source.data_window
    overlap = data.intersect(window)
    for index in indices:
        pixels[..., index] = 0.0
        if not overlap.is_empty:
            pixels[overlap.y0 - window.y0:overlap.y1 - window.y0, overlap.x0 - window.x0:overlap.x1 - window.x0,
                   index] = source.pixels[overlap.y0 - data.y0:overlap.y1 - data.y0,
                                          overlap.x0 - data.x0:overlap.x1 - data.x0, index]
    return result.with_pixels(pixels)

