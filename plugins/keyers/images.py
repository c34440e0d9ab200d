"""Moving pixels between nodecomp Images and the keyer maths: RGB planes in, RGBA (+ mattes) out."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nodecomp.api import RGB, RGBA, Box, Image, conform


def rgb_planes(image: Image, window: Box | None = None) -> np.ndarray:
    """The main layer's R, G, B as a new contiguous (H, W, 3) float32 array over `window`.

    Missing colour channels read as 0; the default window is the image's data window.
    """
    return conform(image, window or image.data_window, RGB)


def matte_channel(image: Image) -> str | None:
    """The channel a matte is read from: alpha, else the image's only channel; None if neither."""
    if "A" in image.channels:
        return "A"
    return image.channels[0] if len(image.channels) == 1 else None


def matte_plane(image: Image, window: Box, channel: str | None = None) -> np.ndarray:
    """One (H, W) matte plane of `image` over `window` (0 outside its data window).

    Raises:
        ValueError: the image has neither the named channel nor an alpha or single channel.
    """
    name = channel or matte_channel(image)
    if name is None or name not in image.channels:
        raise ValueError(
            f"the matte input has no {'channel ' + repr(channel) if channel else 'alpha channel'} "
            f"(channels: {', '.join(image.channels)})"
        )
    return conform(image, window, (name,))[..., 0]


def assemble(source: Image, rgb: np.ndarray, alpha: np.ndarray,
             extra: Mapping[str, np.ndarray] | None = None) -> Image:
    """An image like `source` (windows, metadata, colour space) with new RGBA and extra planes.

    The source's channels outside the main layer (depth, other passes) are copied after them.
    """
    extra = dict(extra or {})
    carried = tuple(c for c in source.channels if c not in RGBA and c not in extra)
    names = RGBA + tuple(extra) + carried
    height, width = alpha.shape
    pixels = np.empty((height, width, len(names)), np.float32)
    pixels[..., :3] = rgb
    pixels[..., 3] = alpha
    for offset, plane in enumerate(extra.values(), start=4):
        pixels[..., offset] = plane
    if carried:
        pixels[..., 4 + len(extra):] = conform(source, source.data_window, carried)
    return source.replace(pixels=pixels, channels=names)
