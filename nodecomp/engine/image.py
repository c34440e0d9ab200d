"""The image that flows between nodes: float32 pixels plus what a compositor needs to know.

Pixels are one (height, width, channels) array covering the data window: numpy on the CPU, a
torch tensor on CUDA. Coordinates follow OpenEXR: x right, y down, origin top-left, boxes
half-open. Colour is premultiplied by alpha and tagged with its colour space. Images are
immutable once they leave a node: the cache shares them between consumers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

RGBA = ("R", "G", "B", "A")
RGB = ("R", "G", "B")
MAIN_LAYER = "rgba"


@dataclass(frozen=True)
class Box:
    """A half-open pixel rectangle [x0, x1) x [y0, y1)."""

    x0: int
    y0: int
    x1: int
    y1: int

    @classmethod
    def from_size(cls, width: int, height: int, x: int = 0, y: int = 0) -> Box:
        """The box of a `width` x `height` image whose top-left pixel is (x, y)."""
        return cls(x, y, x + width, y + height)

    @property
    def width(self) -> int:
        """Width in pixels (0 when empty)."""
        return max(0, self.x1 - self.x0)

    @property
    def height(self) -> int:
        """Height in pixels (0 when empty)."""
        return max(0, self.y1 - self.y0)

    @property
    def is_empty(self) -> bool:
        """True when the box holds no pixel."""
        return self.width == 0 or self.height == 0

    def union(self, other: Box) -> Box:
        """The smallest box holding both (an empty box adds nothing)."""
        if self.is_empty:
            return other
        if other.is_empty:
            return self
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def intersect(self, other: Box) -> Box:
        """The overlap; empty boxes are normalised to zero size at the overlap's corner."""
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        x1, y1 = max(x0, min(self.x1, other.x1)), max(y0, min(self.y1, other.y1))
        return Box(x0, y0, x1, y1)

    def padded(self, dx: int, dy: int | None = None) -> Box:
        """The box grown by `dx` columns and `dy` rows on each side."""
        dy = dx if dy is None else dy
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def as_tuple(self) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1)."""
        return (self.x0, self.y0, self.x1, self.y1)

    def reduced(self, step: int) -> Box:
        """The box at 1/`step` resolution: every proxy pixel it touches (floor of the start, ceil of the end).

        Proxy pixel (i, j) covers full-resolution pixels [i*step, (i+1)*step) on each axis.
        """
        if step == 1:
            return self
        return Box(self.x0 // step, self.y0 // step, -(-self.x1 // step), -(-self.y1 // step))

    def enlarged(self, step: int) -> Box:
        """The full-resolution pixels covered by this box of 1/`step` proxy pixels."""
        if step == 1:
            return self
        return Box(self.x0 * step, self.y0 * step, self.x1 * step, self.y1 * step)

    def aligned(self, step: int) -> Box:
        """The box grown outward to multiples of `step` (whole proxy pixels)."""
        return self.reduced(step).enlarged(step)


@dataclass(frozen=True)
class Region:
    """Where an image's pixels are (data window) and its format (display window)."""

    data_window: Box
    display_window: Box


def layer_of(channel: str) -> str:
    """`"diffuse.R"` -> `"diffuse"`; the unprefixed R, G, B, A (and Z) belong to the main layer."""
    return channel.rsplit(".", 1)[0] if "." in channel else MAIN_LAYER


class Image:
    """Immutable pixels with channels, windows, aspect, metadata and colour space.

    Args:
        pixels: (height, width, channels) float32 numpy array or torch tensor covering `data_window`.
        channels: one name per pixel channel (`R`, `G`, `B`, `A`, `depth.Z`, `diffuse.R`...).
        data_window: where the pixels are, in the image's coordinate space.
        display_window: the format (what a viewer frames and a Write crops to by default).
        pixel_aspect: width/height of one pixel.
        metadata: free key/values carried downstream (timecode, source file, camera...).
        colorspace: OCIO colour space name of the pixel values.
    """

    __slots__ = ("pixels", "channels", "data_window", "display_window", "pixel_aspect", "metadata", "colorspace")

    def __init__(
        self,
        pixels: Any,
        channels: Iterable[str],
        data_window: Box,
        display_window: Box | None = None,
        *,
        pixel_aspect: float = 1.0,
        metadata: Mapping[str, Any] | None = None,
        colorspace: str = "",
    ) -> None:
        channels = tuple(channels)
        shape = tuple(pixels.shape)
        if len(shape) != 3 or shape[2] != len(channels):
            raise ValueError(f"pixels of shape {shape} do not match channels {channels}")
        if shape[0] != data_window.height or shape[1] != data_window.width:
            raise ValueError(f"pixels of shape {shape} do not match data window {data_window}")
        if len(set(channels)) != len(channels):
            raise ValueError(f"duplicate channel names in {channels}")
        self.pixels = pixels
        self.channels = channels
        self.data_window = data_window
        self.display_window = display_window or data_window
        self.pixel_aspect = float(pixel_aspect)
        self.metadata = dict(metadata or {})
        self.colorspace = colorspace

    # ---------------------------------------------------------------- building
    @classmethod
    def blank(
        cls,
        display_window: Box,
        channels: Iterable[str] = RGBA,
        value: Iterable[float] | float = 0.0,
        *,
        data_window: Box | None = None,
        colorspace: str = "",
    ) -> Image:
        """A constant image (black by default) filling `data_window` (the display window by default)."""
        channels = tuple(channels)
        window = data_window or display_window
        pixels = np.empty((window.height, window.width, len(channels)), dtype=np.float32)
        if window.height:
            pixels[0] = np.asarray(value, dtype=np.float32)  # one row, then block copies: ~8x faster
            pixels[1:] = pixels[0]
        return cls(pixels, channels, window, display_window, colorspace=colorspace)

    def replace(self, **changes: Any) -> Image:
        """A new image with some fields changed (pixels are shared unless replaced)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        pixels = fields.pop("pixels")
        channels = fields.pop("channels")
        data_window = fields.pop("data_window")
        display_window = fields.pop("display_window")
        return Image(pixels, channels, data_window, display_window, **fields)

    def with_pixels(self, pixels: Any, channels: Iterable[str] | None = None, data_window: Box | None = None) -> Image:
        """Same windows, metadata and colour space, new pixels (and optionally channels/window)."""
        return self.replace(
            pixels=pixels,
            channels=tuple(channels) if channels is not None else self.channels,
            data_window=data_window or self.data_window,
        )

    def freeze(self) -> Image:
        """Make numpy pixels read-only so a shared cached result cannot be changed by mistake."""
        if isinstance(self.pixels, np.ndarray):
            self.pixels.flags.writeable = False
        return self

    # ---------------------------------------------------------------- queries
    @property
    def device(self) -> str:
        """`"cpu"` for numpy pixels, else the torch device type (`"cuda"`)."""
        if isinstance(self.pixels, np.ndarray):
            return "cpu"
        return str(self.pixels.device.type)

    @property
    def nbytes(self) -> int:
        """Bytes held by the pixels (what the cache budget counts)."""
        if isinstance(self.pixels, np.ndarray):
            return int(self.pixels.nbytes)
        return int(self.pixels.element_size() * self.pixels.nelement())

    @property
    def width(self) -> int:
        """Data window width."""
        return self.data_window.width

    @property
    def height(self) -> int:
        """Data window height."""
        return self.data_window.height

    def has(self, *channels: str) -> bool:
        """True when every named channel exists."""
        return all(c in self.channels for c in channels)

    def index(self, channel: str) -> int:
        """Position of `channel` in the pixel array; ValueError when absent."""
        try:
            return self.channels.index(channel)
        except ValueError:
            raise ValueError(f"no channel {channel!r} (channels: {', '.join(self.channels)})") from None

    def layers(self) -> dict[str, list[str]]:
        """Channels grouped by layer, in pixel order (`{"rgba": [...], "depth": ["depth.Z"]}`)."""
        grouped: dict[str, list[str]] = {}
        for channel in self.channels:
            grouped.setdefault(layer_of(channel), []).append(channel)
        return grouped

    def color_indices(self) -> list[int]:
        """Indices of R, G, B of the main layer that exist (what colour operations touch)."""
        return [i for i, c in enumerate(self.channels) if c in RGB]

    def alpha_index(self) -> int | None:
        """Index of the main alpha channel, or None."""
        return self.channels.index("A") if "A" in self.channels else None

    def __repr__(self) -> str:
        dw = self.data_window
        return (
            f"<Image {dw.width}x{dw.height} at ({dw.x0},{dw.y0}) {','.join(self.channels)} "
            f"{self.device} {self.colorspace or 'untagged'}>"
        )


def conform(image: Image, window: Box, channels: Iterable[str] | None = None) -> np.ndarray:
    """The image's pixels on `window` (zero outside its data window), optionally in a channel order.

    Missing channels read as zero, except a missing alpha which reads as one when the image has
    colour but no alpha (an opaque plate). Returns a new writable float32 array; CPU only.
    """
    names = tuple(channels) if channels is not None else image.channels
    out = np.zeros((window.height, window.width, len(names)), dtype=np.float32)
    overlap = image.data_window.intersect(window)
    src = image.pixels
    if not overlap.is_empty:
        sy, sx = overlap.y0 - image.data_window.y0, overlap.x0 - image.data_window.x0
        dy, dx = overlap.y0 - window.y0, overlap.x0 - window.x0
        for out_index, name in enumerate(names):
            if name in image.channels:
                out[dy:dy + overlap.height, dx:dx + overlap.width, out_index] = src[
                    sy:sy + overlap.height, sx:sx + overlap.width, image.channels.index(name)
                ]
            elif name == "A" and image.color_indices():
                out[dy:dy + overlap.height, dx:dx + overlap.width, out_index] = 1.0
    return out
