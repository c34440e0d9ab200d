"""What each output format can hold, and the process-wide OpenImageIO settings for file I/O.

The tables here are the single place Write (and its docs) learn which pixel types, channel
counts and alpha conventions a format supports, so a bad combination is refused with a clear
message before any file is opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import OpenImageIO as oiio

from nodecomp.nodes.io.choices import DataType, FileType

# OpenEXR's own thread pool, set once for the process. Measured on the 2-core dev box
# (load ~3 from other jobs, so within noise), reading a 1920x1080 RGBA half zip EXR with
# 2 frames in flight on threads, best of 4 interleaved runs, ms per frame:
#   default (= hardware concurrency, 2):  read 32.9   read + zip write 189.7
#   0 (OIIO: one per core):               read 33.1   read + zip write 191.4
#   -1 (no pool: the calling thread):      read 31.7   read + zip write 187.4
# -1 is never slower: with a frame in flight per core, each frame's thread decodes its own
# chunks, and a shared pool only adds hand-offs (at 1, one pool thread serialises every
# frame's zip: 368 ms per write).
EXR_THREADS = -1
oiio.attribute("exr_threads", EXR_THREADS)

# Colour space of integer image files when `colorspace` is "auto".
SRGB = "sRGB Encoded Rec.709 (sRGB)"

EXTENSIONS: dict[str, FileType] = {
    ".exr": FileType.EXR,
    ".png": FileType.PNG,
    ".tif": FileType.TIFF,
    ".tiff": FileType.TIFF,
    ".dpx": FileType.DPX,
    ".jpg": FileType.JPEG,
    ".jpeg": FileType.JPEG,
}

FLOAT_TYPES = frozenset({DataType.HALF, DataType.FLOAT})


@dataclass(frozen=True)
class FormatInfo:
    """What one output format accepts.

    Attributes:
        oiio_name: the OIIO writer (`ImageOutput.create` takes it).
        datatypes: accepted pixel types; the first is what "auto" picks.
        max_channels: the most channels a file holds (None: any number, named).
        alpha: whether the format stores an alpha channel.
        unassociated: whether the format stores colour not premultiplied by alpha (PNG, TIFF
            as Write marks it), so Write un-premultiplies before encoding.
    """

    oiio_name: str
    datatypes: tuple[DataType, ...]
    max_channels: int | None
    alpha: bool = True
    unassociated: bool = False


FORMATS: dict[FileType, FormatInfo] = {
    FileType.EXR: FormatInfo("openexr", (DataType.HALF, DataType.FLOAT), None),
    FileType.PNG: FormatInfo("png", (DataType.UINT8, DataType.UINT16), 4, unassociated=True),
    FileType.TIFF: FormatInfo("tiff", (DataType.UINT16, DataType.UINT8, DataType.FLOAT), None, unassociated=True),
    FileType.DPX: FormatInfo("dpx", (DataType.UINT10, DataType.UINT16), 4),
    FileType.JPEG: FormatInfo("jpeg", (DataType.UINT8,), 3, alpha=False),
}

OIIO_TYPES: dict[DataType, str] = {
    DataType.HALF: "half",
    DataType.FLOAT: "float",
    DataType.UINT8: "uint8",
    DataType.UINT16: "uint16",
    DataType.UINT10: "uint16",  # plus oiio:BitsPerSample = 10
}


class FormatError(ValueError):
    """A file type / pixel type combination the format cannot store."""


def file_type_for(path: str, requested: str) -> FileType:
    """The format to write: `requested`, or the one the extension names when "auto".

    Raises:
        FormatError: "auto" and the extension is not one Write knows.
    """
    if requested != FileType.AUTO:
        return FileType(requested)
    ext = os.path.splitext(path)[1].lower()
    if ext not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise FormatError(f"cannot tell the file type from the extension {ext or '(none)'!r} (known: {known})")
    return EXTENSIONS[ext]


def datatype_for(file_type: FileType, requested: str) -> DataType:
    """The pixel type to write, checked against what `file_type` can store.

    Raises:
        FormatError: the format cannot hold that type (8-bit EXR, half PNG...).
    """
    info = FORMATS[file_type]
    if requested == DataType.AUTO:
        return info.datatypes[0]
    datatype = DataType(requested)
    if datatype not in info.datatypes:
        allowed = ", ".join(d.value for d in info.datatypes)
        raise FormatError(f"{file_type.value} files cannot store {datatype.value} pixels (use {allowed})")
    return datatype
