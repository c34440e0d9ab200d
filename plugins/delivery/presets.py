"""Delivery presets: what a file for editorial or a DI house must be, down to its header.

* `aces_exr`: an ACES container (SMPTE ST 2065-4): OpenEXR, half float, RGB(A), scanlines,
  **no compression**, colour in ACES2065-1 (AP0 primaries, linear), with the header attributes
  the standard asks for (`acesImageContainerFlag` = 1, AP0 `chromaticities`, `adoptedNeutral`).
* `aces_exr_piz`: the same with lossless PIZ compression. Not strictly ST 2065-4 (which forbids
  compression) but what many facilities ask for to save space; the container flag is omitted so
  no tool mistakes it for a conforming file.
* `dpx_acescct`: 10-bit DPX, RGB, ACEScct (the log encoding of ACES for grading).
* `dpx_adx10`: 10-bit DPX, RGB, ADX10: ACES' Cineon-like printing-density encoding, the
  "log DPX" a film-out or a Cineon-era pipeline expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

AP0_CHROMATICITIES = (0.7347, 0.2653, 0.0, 1.0, 0.0001, -0.077, 0.32168, 0.33767)
"""Red, green, blue and white (x, y) of the ACES AP0 primaries, as EXR `chromaticities` stores them."""
ACES_WHITE = (0.32168, 0.33767)


class PresetName(StrEnum):
    """Saved in documents: never rename a value."""

    ACES_EXR = "aces_exr"
    ACES_EXR_PIZ = "aces_exr_piz"
    DPX_ACESCCT = "dpx_acescct"
    DPX_ADX10 = "dpx_adx10"


@dataclass(frozen=True)
class Preset:
    """How one delivery format is written.

    Attributes:
        name: the preset's name.
        extension: file extension without the dot (checked against the file name).
        oiio_format: OpenImageIO writer name.
        pixel_type: OpenImageIO pixel type name (`half`, `uint16`).
        bits: bits per sample when not the type's full width (10 for DPX).
        colorspace: OCIO colour space of the file's pixels.
        colorspace_tag: what `oiio:ColorSpace` says: the colour interop ID where one exists
            (`lin_ap0_scene` for ACES2065-1, which OpenImageIO's ACES container check requires).
        alpha: whether alpha may be written (DPX deliveries are RGB).
        attributes: fixed header attributes: name -> (OIIO type name or None, value).
    """

    name: PresetName
    extension: str
    oiio_format: str
    pixel_type: str
    colorspace: str
    colorspace_tag: str = ""
    bits: int | None = None
    alpha: bool = True
    attributes: dict[str, tuple[str | None, Any]] = field(default_factory=dict)

    @property
    def is_exr(self) -> bool:
        """True for the OpenEXR presets."""
        return self.oiio_format == "openexr"


_ACES_HEADER = {
    "chromaticities": ("float[8]", AP0_CHROMATICITIES),
    "adoptedNeutral": ("float[2]", ACES_WHITE),
    "openexr:lineOrder": (None, "increasingY"),
}

PRESETS: dict[PresetName, Preset] = {
    PresetName.ACES_EXR: Preset(
        PresetName.ACES_EXR, "exr", "openexr", "half", "ACES2065-1", "lin_ap0_scene",
        attributes={**_ACES_HEADER, "acesImageContainerFlag": ("int", 1), "compression": (None, "none")},
    ),
    PresetName.ACES_EXR_PIZ: Preset(
        PresetName.ACES_EXR_PIZ, "exr", "openexr", "half", "ACES2065-1", "lin_ap0_scene",
        attributes={**_ACES_HEADER, "compression": (None, "piz")},
    ),
    PresetName.DPX_ACESCCT: Preset(
        PresetName.DPX_ACESCCT, "dpx", "dpx", "uint16", "ACEScct", bits=10, alpha=False,
        attributes={"dpx:Transfer": (None, "Logarithmic"), "dpx:Colorimetric": (None, "User defined")},
    ),
    PresetName.DPX_ADX10: Preset(
        PresetName.DPX_ADX10, "dpx", "dpx", "uint16", "ADX10", bits=10, alpha=False,
        attributes={"dpx:Transfer": (None, "Printing density"), "dpx:Colorimetric": (None, "Printing density")},
    ),
}
