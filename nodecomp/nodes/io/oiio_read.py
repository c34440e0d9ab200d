"""Reading an image file with OpenImageIO into one float32 (H, W, C) array.

OIIO converts half and integer pixels to float while decoding, so the common case (one part,
float or half, channels already R, G, B, A first) hands the array OIIO returns straight to the
Image: no copy. Multi-part EXRs are merged into one image: every part is read, channels of
parts other than the main one get the part name as a layer prefix, and parts whose data
windows differ are placed on the union window. Every OIIO call is checked; a failure becomes
an `ImageReadError` carrying OIIO's message on one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import OpenImageIO as oiio

from nodecomp.api import RGBA, Box, Region, layer_of
from nodecomp.nodes.io import formats  # noqa: F401 - applies the exr_threads setting
from nodecomp.nodes.io.metadata import input_metadata

# Ask readers of formats that store colour unpremultiplied (PNG, some TIFFs) to return it
# as stored: Read premultiplies after linearising, which is where premultiplication belongs.
_HINT = oiio.ImageSpec()
_HINT.attribute("oiio:UnassociatedAlpha", 1)
_FLOAT_BASETYPES = (oiio.HALF, oiio.FLOAT, oiio.DOUBLE)


class ImageReadError(Exception):
    """The file exists but cannot be decoded (truncated, not an image, unsupported)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LayerError(ValueError):
    """The requested layers are not in the file."""


@dataclass
class FileImage:
    """What a file holds, ready to become an Image.

    Attributes:
        pixels: (H, W, C) float32 covering `data_window`.
        channels: one name per channel, main R, G, B, A first.
        data_window, display_window: from the header (EXR convention, y down).
        pixel_aspect: the header's PixelAspectRatio.
        metadata: header attributes under `input/` names.
        is_float: the file stores half or float pixels (decides the "auto" colour space).
        unassociated: colour is not premultiplied by alpha.
        warnings: non-fatal oddities (duplicate channel names across parts).
    """

    pixels: np.ndarray
    channels: tuple[str, ...]
    data_window: Box
    display_window: Box
    pixel_aspect: float
    metadata: dict[str, Any]
    is_float: bool
    unassociated: bool
    warnings: list[str] = field(default_factory=list)


def one_line(text: str, fallback: str, path: str = "") -> str:
    """OIIO's (often multi-line, repetitive) error text as one short line.

    Lines are de-duplicated, the `EXR Error (<path>): ` prefix OpenEXR puts on each is dropped
    (the error names the file already), and the result is capped at 300 characters.
    """
    lines = []
    for line in text.splitlines():
        line = " ".join(line.replace(f"EXR Error ({path}): ", "").split()) if path else " ".join(line.split())
        if line and line not in lines:
            lines.append(line)
    joined = "; ".join(lines)
    return (joined[:297] + "...") if len(joined) > 300 else joined or fallback


def _windows(spec: oiio.ImageSpec) -> tuple[Box, Box]:
    data = Box(spec.x, spec.y, spec.x + spec.width, spec.y + spec.height)
    if spec.full_width <= 0 or spec.full_height <= 0:
        return data, data
    return data, Box(spec.full_x, spec.full_y, spec.full_x + spec.full_width, spec.full_y + spec.full_height)


def header_region(path: str) -> Region | None:
    """Data and display window from the file header alone (union over the parts); None if unreadable."""
    inp = oiio.ImageInput.open(path)
    if inp is None:
        oiio.geterror()  # clear the pending message: the read itself will report it with context
        return None
    try:
        windows = [_windows(spec) for spec in _specs(inp, path)]
    except ImageReadError:
        return None
    finally:
        inp.close()
    data = windows[0][0]
    for part_data, _ in windows[1:]:
        data = data.union(part_data)
    return Region(data, windows[0][1])


def read_image_file(path: str, layers: frozenset[str] | None = None, region: Box | None = None) -> FileImage:
    """Read every channel (or those of `layers`) of the file at `path` as float32.

    Args:
        path: an existing file.
        layers: layer names to keep (`rgba` is the unprefixed main layer); None keeps all.
        region: only the pixels inside this box are needed: only the scanlines (or tiles)
            that hold them are decoded, and the data window is cut to it. None reads everything.

    Raises:
        ImageReadError: OIIO cannot open or decode the file.
        LayerError: a requested layer is not in the file.
    """
    inp = oiio.ImageInput.open(path, _HINT)
    if inp is None:
        raise ImageReadError(one_line(oiio.geterror(), "OpenImageIO cannot open the file", path))
    try:
        return _read(inp, layers, path, region)
    finally:
        inp.close()


def _specs(inp: oiio.ImageInput, path: str) -> list[oiio.ImageSpec]:
    first = inp.spec()
    count = first.get_int_attribute("oiio:subimages", 1) if inp.format_name() == "openexr" else 1
    specs = [first]
    for index in range(1, count):
        if not inp.seek_subimage(index, 0):
            raise ImageReadError(one_line(inp.geterror(), f"cannot read the header of part {index}", path))
        specs.append(inp.spec())
    for spec in specs:
        if spec.deep:
            raise ImageReadError("deep images are not supported")
        if spec.depth > 1:
            raise ImageReadError("volume images are not supported")
    return specs


def part_channel_names(specs: list[oiio.ImageSpec]) -> list[tuple[str, ...]]:
    """Channel names per part, prefixed with the part name unless main or already prefixed.

    The main part is the first one holding an unprefixed R, G, B or A; its channels keep
    their names, so its RGBA stays the image's main layer.
    """
    if len(specs) == 1:
        return [tuple(specs[0].channelnames)]
    main = next((i for i, s in enumerate(specs) if any(c in RGBA for c in s.channelnames)), 0)
    names = []
    for index, spec in enumerate(specs):
        part = spec.get_string_attribute("name") or f"part{index}"
        names.append(tuple(c if index == main or "." in c else f"{part}.{c}" for c in spec.channelnames))
    return names


def _select(names: list[tuple[str, ...]], layers: frozenset[str] | None) -> tuple[list[list[int]], list[str]]:
    """Per part, the channel indices to read; plus warnings about duplicate names."""
    available = {layer_of(n) for part in names for n in part}
    if layers is not None and not layers <= available:
        missing = ", ".join(sorted(layers - available))
        raise LayerError(f"layer {missing} is not in the file (layers: {', '.join(sorted(available))})")
    seen: set[str] = set()
    warnings = []
    picked: list[list[int]] = []
    for part in names:
        keep = []
        for index, name in enumerate(part):
            if layers is not None and layer_of(name) not in layers:
                continue
            if name in seen:
                warnings.append(f"channel {name} appears in more than one part; the first is used")
                continue
            seen.add(name)
            keep.append(index)
        picked.append(keep)
    return picked, warnings


def _read_part(inp: oiio.ImageInput, subimage: int, spec: oiio.ImageSpec, indices: list[int], path: str,
               region: Box | None) -> tuple[Box, np.ndarray]:
    """The part's data window (cut to `region`) and its pixels for the channels at `indices`."""
    begin, end = indices[0], indices[-1] + 1
    window = _windows(spec)[0]
    if region is None:
        pixels = inp.read_image(subimage, 0, begin, end, "float")
    else:
        wanted = window.intersect(region)
        if wanted.is_empty:
            return wanted, np.zeros((wanted.height, wanted.width, len(indices)), dtype=np.float32)
        pixels, read = _read_window(inp, subimage, spec, window, wanted, begin, end)
        window = wanted
    if pixels is None or inp.has_error:
        raise ImageReadError(one_line(inp.geterror(), "OpenImageIO could not decode the pixels", path))
    if pixels.ndim == 2:
        pixels = pixels[..., np.newaxis]
    if region is not None and read != window:
        pixels = np.ascontiguousarray(
            pixels[window.y0 - read.y0:window.y1 - read.y0, window.x0 - read.x0:window.x1 - read.x0])
    if len(indices) != end - begin:
        pixels = pixels[..., [i - begin for i in indices]]
    return window, pixels


def _read_window(inp: oiio.ImageInput, subimage: int, spec: oiio.ImageSpec, window: Box, wanted: Box,
                 begin: int, end: int) -> tuple[np.ndarray | None, Box]:
    """Decode the scanlines, or the whole tiles, holding `wanted`; returns the pixels and the box they cover."""
    if spec.tile_width > 0 and spec.tile_height > 0:
        tw, th = spec.tile_width, spec.tile_height
        read = Box(
            window.x0 + (wanted.x0 - window.x0) // tw * tw, window.y0 + (wanted.y0 - window.y0) // th * th,
            min(window.x1, window.x0 - (-(wanted.x1 - window.x0) // tw) * tw),
            min(window.y1, window.y0 - (-(wanted.y1 - window.y0) // th) * th),
        )
        pixels = inp.read_tiles(subimage, 0, read.x0, read.x1, read.y0, read.y1, 0, 1, begin, end, "float")
        return pixels, read
    read = Box(window.x0, wanted.y0, window.x1, wanted.y1)
    return inp.read_scanlines(subimage, 0, read.y0, read.y1, 0, begin, end, "float"), read


def _main_first(channels: list[str]) -> list[int]:
    """Positions of `channels` reordered so the main R, G, B, A come first."""
    main = [channels.index(c) for c in RGBA if c in channels]
    return main + [i for i in range(len(channels)) if i not in main]


def _read(inp: oiio.ImageInput, layers: frozenset[str] | None, path: str, region: Box | None = None) -> FileImage:
    specs = _specs(inp, path)
    names = part_channel_names(specs)
    picked, warnings = _select(names, layers)
    parts = [i for i, keep in enumerate(picked) if keep]
    if not parts:
        raise ImageReadError("the file has no channels")
    display_window = _windows(specs[parts[0]])[1]
    channels: list[str] = []
    arrays: list[tuple[Box, np.ndarray]] = []
    for index in parts:
        arrays.append(_read_part(inp, index, specs[index], picked[index], path, region))
        channels.extend(names[index][i] for i in picked[index])
    order = _main_first(channels)
    data_window = arrays[0][0]
    if len(arrays) == 1:
        pixels = arrays[0][1]
        if order != list(range(len(channels))):
            pixels = pixels[..., order]
    else:
        for window, _ in arrays[1:]:
            data_window = data_window.union(window)
        pixels = _merge(arrays, data_window, order)
    spec = specs[parts[0]]
    return FileImage(
        pixels=pixels,
        channels=tuple(channels[i] for i in order),
        data_window=data_window,
        display_window=display_window,
        pixel_aspect=spec.get_float_attribute("PixelAspectRatio", 1.0) or 1.0,
        metadata=input_metadata(specs[0]),
        is_float=spec.format.basetype in _FLOAT_BASETYPES,
        unassociated=spec.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1,
        warnings=warnings,
    )


def _merge(arrays: list[tuple[Box, np.ndarray]], window: Box, order: list[int]) -> np.ndarray:
    """Parts' pixels side by side on `window` (zero where a part has no data), in `order`."""
    total = sum(a.shape[2] for _, a in arrays)
    same = all(box == window for box, _ in arrays)
    out = (np.empty if same else np.zeros)((window.height, window.width, total), dtype=np.float32)
    position = {source: target for target, source in enumerate(order)}
    column = 0
    for box, part in arrays:
        if box.is_empty:  # a part with no pixels in the region read
            column += part.shape[2]
            continue
        rows = slice(box.y0 - window.y0, box.y1 - window.y0)
        cols = slice(box.x0 - window.x0, box.x1 - window.x0)
        for c in range(part.shape[2]):
            out[rows, cols, position[column]] = part[..., c]
            column += 1
    return out
