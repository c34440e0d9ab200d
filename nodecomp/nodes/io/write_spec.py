"""What Write puts in a file: which channels, and the header (windows, pixel type, metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import OpenImageIO as oiio

from nodecomp.api import RGB, RGBA, Box, Image
from nodecomp.nodes.io.choices import Compression, DataType, FileType
from nodecomp.nodes.io.formats import FORMATS, OIIO_TYPES
from nodecomp.nodes.io.metadata import fps_rational, pack_timecode, parse_custom, timecode_for_frame

DWA = (Compression.DWAA, Compression.DWAB)


class ChannelError(ValueError):
    """The `channels` param names nothing the image has, or more than the format holds."""


def select_channels(image: Image, text: str, file_type: FileType) -> list[str]:
    """The image channels `text` asks for, in image order.

    `text` is "rgba", "rgb", "all", or a comma list of channel names (`diffuse.R`, `A`) and
    layer names (`diffuse`, `rgba` for the main layer). "rgba" and "rgb" take whichever of
    those channels exist (an RGB plate writes three channels). JPEG never stores alpha.

    Raises:
        ChannelError: nothing selected, an unknown name, or too many channels for the format.
    """
    info = FORMATS[file_type]
    words = [w.strip() for w in text.split(",") if w.strip()]
    lowered = [w.lower() for w in words]
    if lowered in (["rgba"], ["rgb"], []):
        wanted: set[str] = set(RGB if lowered == ["rgb"] else RGBA)
    elif lowered == ["all"]:
        wanted = set(image.channels)
    else:
        layers = image.layers()
        wanted = set()
        for word in words:
            if word in image.channels:
                wanted.add(word)
            elif word in layers:
                wanted.update(layers[word])
            else:
                known = ", ".join(sorted({*image.channels, *layers}))
                raise ChannelError(f"no channel or layer {word!r} in the image (it has: {known})")
    if not info.alpha:
        wanted.discard("A")
    chosen = [c for c in image.channels if c in wanted]
    if not chosen:
        raise ChannelError(f"channels {text!r} selects nothing from {', '.join(image.channels)}")
    if info.max_channels is not None and len(chosen) > info.max_channels:
        raise ChannelError(
            f"{file_type.value} files hold at most {info.max_channels} channels, {len(chosen)} selected "
            f"({', '.join(chosen)}); write exr or choose fewer channels"
        )
    return chosen


def output_window(image: Image, file_type: FileType) -> Box:
    """EXR keeps the data window (it may reach outside the format); others fill the display window."""
    if file_type == FileType.EXR and not image.data_window.is_empty:
        return image.data_window
    return image.display_window


@dataclass
class Header:
    """Everything about the file except its pixels."""

    file_type: FileType
    datatype: DataType
    channels: list[str]
    window: Box
    display_window: Box
    pixel_aspect: float = 1.0
    compression: str = Compression.ZIP
    dwa_level: float = 45.0
    unassociated: bool = False
    attributes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (name, oiio type or None, value)

    def to_spec(self) -> oiio.ImageSpec:
        """The OIIO ImageSpec for this header."""
        spec = oiio.ImageSpec(self.window.width, self.window.height, len(self.channels),
                              OIIO_TYPES[self.datatype])
        spec.channelnames = tuple(self.channels)
        spec.alpha_channel = self.channels.index("A") if "A" in self.channels else -1
        spec.z_channel = self.channels.index("Z") if "Z" in self.channels else -1
        spec.x, spec.y = self.window.x0, self.window.y0
        d = self.display_window
        spec.full_x, spec.full_y, spec.full_width, spec.full_height = d.x0, d.y0, d.width, d.height
        spec.attribute("PixelAspectRatio", float(self.pixel_aspect))
        if self.file_type == FileType.EXR:
            level = f":{self.dwa_level:g}" if self.compression in DWA else ""
            spec.attribute("compression", f"{self.compression}{level}")
        if self.datatype == DataType.UINT10:
            spec.attribute("oiio:BitsPerSample", 10)
        if self.file_type == FileType.TIFF:
            spec.attribute("tiff:write_exif", 0)  # an empty Exif block makes libtiff report an error
        if self.unassociated:
            spec.attribute("oiio:UnassociatedAlpha", 1)
        for name, type_desc, value in self.attributes:
            if type_desc is None:
                spec.attribute(name, value)
            else:
                spec.attribute(name, type_desc, value)
        return spec


def metadata_attributes(*, file_type: FileType, frame: int, fps: float, source: Image, colorspace: str,
                        document: str, node: str, custom: str) -> list[tuple[str, Any, Any]]:
    """The attributes stamped on every file (see the Write node's doc).

    Raises:
        ValueError: a custom line is not key=value, or an input timecode is malformed.
    """
    attributes: list[tuple[str, Any, Any]] = [("nodecomp/frame", None, int(frame))]
    if file_type == FileType.EXR:
        attributes.append(("framesPerSecond", oiio.TypeRational, fps_rational(fps)))
    timecode = source.metadata.get("input/timecode")
    if not isinstance(timecode, str) or not timecode:
        timecode = timecode_for_frame(frame, fps)
    attributes.append(("smpte:TimeCode", oiio.TypeTimeCode, pack_timecode(timecode)))
    filename = source.metadata.get("input/filename")
    if isinstance(filename, str) and filename:
        attributes.append(("nodecomp/source", None, filename))
    attributes.append(("nodecomp/document", None, str(document)))
    attributes.append(("nodecomp/node", None, node))
    attributes.append(("oiio:ColorSpace", None, colorspace))
    attributes.extend((key, None, value) for key, value in parse_custom(custom))
    return attributes
