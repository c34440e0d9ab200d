"""From an engine Image to the 8-bit pixels the viewer paints.

Layer, channels, scale, exposure, display transform, gamma, in that order. It runs on the
viewer's worker thread, so it is plain numpy/OpenCV/OCIO with no Qt. The image is reduced to
the size it is shown at *before* the display transform, so the transform's cost follows the
widget, not the plate. Exposure (in stops) applies to linear values before the
transform and gamma to display values after it, as in compositing viewers. Alpha is shown as
it is (no display transform), so 1 stays white.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import cv2
import numpy as np

from nodecomp.engine.image import MAIN_LAYER, Box, Image
from nodecomp.ui.display import DisplayTransform, DisplayView

# Rec.709 / sRGB luma weights, used when the config gives none.
LUMA_709 = (0.2126, 0.7152, 0.0722)


class Channels(StrEnum):
    """What the viewer shows: colour, one channel as grey, or luma."""

    RGB = "rgb"
    RED = "r"
    GREEN = "g"
    BLUE = "b"
    ALPHA = "a"
    LUMA = "luma"


@dataclass(frozen=True)
class DisplaySettings:
    """Everything that turns an image into viewer pixels, besides the image itself.

    Attributes:
        channels: colour, one channel, or luma.
        layer: the layer shown (`rgba`, or `diffuse`, `depth`... of a multi-layer image).
        exposure: stops applied to linear values (+1 doubles them).
        gamma: applied to display values as v ** (1 / gamma).
        view: OCIO display/view; None shows working-space values clamped (no transform).
        exact: use the exact OCIO processor instead of the baked LUT.
        scale: shown pixels per image pixel (1 = full resolution; below 1 the image is reduced).
    """

    channels: Channels = Channels.RGB
    layer: str = MAIN_LAYER
    exposure: float = 0.0
    gamma: float = 1.0
    view: DisplayView | None = None
    exact: bool = False
    scale: float = 1.0

    def at_scale(self, scale: float) -> DisplaySettings:
        """The same settings at another scale."""
        return replace(self, scale=scale)


@dataclass(frozen=True)
class DisplayFrame:
    """Viewer-ready pixels and where they sit in image coordinates.

    Attributes:
        rgba: (h, w, 4) uint8, opaque.
        data_window: the image's data window (what `rgba` covers).
        display_window: the image's format.
        scale: `rgba` pixels per image pixel.
        key: cache key of the image shown (None when uncacheable).
        node: name of the node shown; frame: the frame.
    """

    rgba: np.ndarray
    data_window: Box
    display_window: Box
    scale: float
    key: str | None = None
    node: str = ""
    frame: float = 0.0


def layer_channels(image: Image, layer: str) -> list[str]:
    """The channels of `layer` in display order: R, G, B, A (or X, Y, Z...) first, as found."""
    names = image.layers().get(layer, [])
    order = {"R": 0, "G": 1, "B": 2, "A": 3}
    return sorted(names, key=lambda name: order.get(name.rsplit(".", 1)[-1], 4))


def _split(image: Image, layer: str) -> tuple[list[int], int | None]:
    """Pixel indices of up to three colour channels and of the alpha of `layer`."""
    names = layer_channels(image, layer) or list(image.channels)
    alpha = next((n for n in names if n.rsplit(".", 1)[-1] == "A"), None)
    colour = [image.channels.index(n) for n in names if n != alpha][:3]
    return colour, image.channels.index(alpha) if alpha else None


def _reduce(pixels: np.ndarray, scale: float) -> np.ndarray:
    if scale >= 1.0:
        return pixels
    height, width = pixels.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if pixels.shape[2] > 4:  # OpenCV resizes at most 4 channels at once
        return np.concatenate([_reduce(pixels[..., i:i + 4], scale) for i in range(0, pixels.shape[2], 4)], axis=2)
    reduced = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    return reduced.reshape(size[1], size[0], pixels.shape[2])


def render_display(
    image: Image, settings: DisplaySettings, transform: DisplayTransform | None,
    luma: tuple[float, float, float] = LUMA_709,
) -> DisplayFrame:
    """The viewer pixels of `image` with `settings`.

    Args:
        image: the engine's result (numpy or torch pixels).
        settings: channels, layer, exposure, gamma and scale.
        transform: the display transform matching `settings.view`, or None for none.
        luma: weights for the luma view.
    """
    pixels = image.pixels if isinstance(image.pixels, np.ndarray) else image.pixels.detach().cpu().numpy()
    colour_idx, alpha_idx = _split(image, settings.layer)
    picked = colour_idx + ([alpha_idx] if alpha_idx is not None else [])
    if not picked or image.data_window.is_empty:
        empty = np.zeros((0, 0, 4), dtype=np.uint8)
        return DisplayFrame(empty, image.data_window, image.display_window, settings.scale)
    work = _reduce(np.ascontiguousarray(pixels[..., picked], dtype=np.float32), settings.scale)
    colour = work[..., : len(colour_idx)]
    alpha = work[..., len(colour_idx)] if alpha_idx is not None else None
    if colour.shape[2] == 1:
        rgb = np.repeat(colour, 3, axis=2)
    elif colour.shape[2] == 2:
        rgb = np.concatenate([colour, np.zeros_like(colour[..., :1])], axis=2)
    else:
        rgb = colour
    mode = settings.channels
    if mode is Channels.ALPHA:
        grey = alpha if alpha is not None else np.ones(rgb.shape[:2], dtype=np.float32)
        rgb = np.repeat(grey[..., None], 3, axis=2)
    else:
        if mode in (Channels.RED, Channels.GREEN, Channels.BLUE):
            index = "rgb".index(mode.value)
            rgb = np.repeat(rgb[..., index:index + 1], 3, axis=2)
        elif mode is Channels.LUMA:
            grey = rgb @ np.asarray(luma, dtype=np.float32)
            rgb = np.repeat(grey[..., None], 3, axis=2)
        if settings.exposure:
            rgb = rgb * np.float32(2.0 ** settings.exposure)
        if transform is not None:
            rgb = transform.apply(rgb)
    if settings.gamma != 1.0:
        rgb = np.power(np.maximum(rgb, 0.0), np.float32(1.0 / settings.gamma))
    out = np.empty(rgb.shape[:2] + (4,), dtype=np.uint8)
    out[..., :3] = np.clip(rgb * 255.0 + 0.5, 0.0, 255.0)
    out[..., 3] = 255
    scale = out.shape[1] / image.data_window.width
    return DisplayFrame(out, image.data_window, image.display_window, scale)
