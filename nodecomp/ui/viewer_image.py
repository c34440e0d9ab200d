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
    """A new contiguous float32 (h, w, 4) array at `scale` (area filter; exact halvings are fastest)."""
    if scale >= 1.0:
        return np.array(pixels, dtype=np.float32, order="C", copy=True)
    height, width = pixels.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(np.ascontiguousarray(pixels, dtype=np.float32), size, interpolation=cv2.INTER_AREA)


def _rgba(pixels: np.ndarray, colour: list[int], alpha: int | None) -> np.ndarray:
    """An (h, w, 4) view or array of the colour channels as R, G, B, then the alpha.

    One grey channel is repeated, a missing third channel is black, a missing alpha is opaque.
    """
    if colour == [0, 1, 2] and alpha == 3:
        return pixels if pixels.shape[2] == 4 else pixels[..., :4]
    out = np.empty(pixels.shape[:2] + (4,), dtype=np.float32)
    picks = colour * 3 if len(colour) == 1 else colour
    for index in range(3):
        out[..., index] = pixels[..., picks[index]] if index < len(picks) else 0.0
    out[..., 3] = pixels[..., alpha] if alpha is not None else 1.0
    return out


def render_display(
    image: Image, settings: DisplaySettings, transform: DisplayTransform | None,
    luma: tuple[float, float, float] = LUMA_709,
) -> DisplayFrame:
    """The viewer pixels of `image` with `settings`.

    Works on one contiguous RGBA float array, reduced first, changed in place, and quantised by
    OpenCV; OCIO's RGBA path is about three times faster than its RGB path.

    Args:
        image: the engine's result (numpy or torch pixels).
        settings: channels, layer, exposure, gamma and scale.
        transform: the display transform matching `settings.view`, or None for none.
        luma: weights for the luma view.
    """
    pixels = image.pixels if isinstance(image.pixels, np.ndarray) else image.pixels.detach().cpu().numpy()
    colour_idx, alpha_idx = _split(image, settings.layer)
    if (not colour_idx and alpha_idx is None) or image.data_window.is_empty:
        empty = np.zeros((0, 0, 4), dtype=np.uint8)
        return DisplayFrame(empty, image.data_window, image.display_window, settings.scale)
    if not colour_idx:
        colour_idx = [alpha_idx]
    work = _reduce(_rgba(pixels, colour_idx, alpha_idx), settings.scale)
    mode = settings.channels
    if mode in (Channels.RED, Channels.GREEN, Channels.BLUE):
        index = "rgb".index(mode.value)
        work[..., :3] = work[..., index:index + 1].copy()
    elif mode is Channels.LUMA:
        work[..., :3] = (work[..., :3] @ np.asarray(luma, dtype=np.float32))[..., None]
    elif mode is Channels.ALPHA:
        work[..., :3] = work[..., 3:4].copy()
    if mode is not Channels.ALPHA:
        if settings.exposure:
            gain = float(2.0 ** settings.exposure)
            cv2.multiply(work, (gain, gain, gain, 1.0), dst=work)
        if transform is not None:
            transform.apply_inplace(work)
    if settings.gamma != 1.0:
        np.maximum(work, 0.0, out=work)
        np.power(work, np.float32(1.0 / settings.gamma), out=work)
    work[..., 3] = 1.0
    cv2.threshold(work, 0.0, 0.0, cv2.THRESH_TOZERO, dst=work)  # negatives (and NaN) to black
    out = cv2.convertScaleAbs(work, alpha=255.0)  # rounds and saturates at 255
    scale = out.shape[1] / image.data_window.width
    return DisplayFrame(out, image.data_window, image.display_window, scale)
