"""The choice params of Read and Write as StrEnums: their values are what documents store."""

from __future__ import annotations

from enum import StrEnum


class RangeMode(StrEnum):
    """Where Read takes its frame range from."""

    AUTO = "auto"  # the frames found on disk
    CUSTOM = "custom"  # the `first` and `last` params


class OutsideRange(StrEnum):
    """What Read gives for frames before `first` or after `last`."""

    HOLD = "hold"
    BLACK = "black"
    ERROR = "error"


class Missing(StrEnum):
    """What Read gives when a frame's file is missing, truncated or not an image."""

    ERROR = "error"
    BLACK = "black"
    NEAREST = "nearest"
    CHECKERBOARD = "checkerboard"


class FileType(StrEnum):
    """Formats Write can produce; AUTO picks one from the file extension."""

    AUTO = "auto"
    EXR = "exr"
    PNG = "png"
    TIFF = "tiff"
    DPX = "dpx"
    JPEG = "jpeg"


class DataType(StrEnum):
    """Pixel types on disk; AUTO is the format's usual one (half EXR, 8-bit PNG...)."""

    AUTO = "auto"
    HALF = "half"
    FLOAT = "float"
    UINT8 = "uint8"
    UINT16 = "uint16"
    UINT10 = "uint10"


class Compression(StrEnum):
    """OpenEXR codecs.

    HTJ2K is left out: OpenEXR 3.5 names it htj2k32/htj2k256 and a bare `htj2k` silently
    writes zip, so it waits until it can be offered under its real names.
    """

    NONE = "none"
    ZIP = "zip"
    ZIPS = "zips"
    PIZ = "piz"
    PXR24 = "pxr24"
    B44 = "b44"
    B44A = "b44a"
    DWAA = "dwaa"
    DWAB = "dwab"


class Overwrite(StrEnum):
    """What Write does when the output file already exists."""

    OVERWRITE = "overwrite"
    SKIP_EXISTING = "skip_existing"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored strings of `enum`, in declaration order (for `Choice(choices=...)`)."""
    return tuple(member.value for member in enum)
