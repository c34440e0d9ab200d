"""Choices saved in documents by the keyer nodes (the string values are the file format)."""

from __future__ import annotations

from enum import StrEnum


class ScreenMode(StrEnum):
    """Where the screen colour comes from."""

    AUTO = "auto"      # estimated from a region of each frame
    PICKED = "picked"  # the screen_color param


class View(StrEnum):
    """What the DifferenceKeyer outputs."""

    FINAL = "final"                  # premultiplied, despilled foreground with its matte
    COMP = "comp"                    # the final result over the background input
    MATTE = "matte"                  # the matte in R, G, B and A
    STATUS = "status"                # black = transparent, white = opaque, grey = in between
    UNPREMULTIPLIED = "unpremultiplied"  # despilled colour divided by alpha, with the matte


class Output(StrEnum):
    """What the chroma and luma keyers output."""

    PREMULTIPLIED = "premultiplied"      # colour multiplied by the new matte
    UNPREMULTIPLIED = "unpremultiplied"  # colour untouched, the matte in alpha
    MATTE = "matte"                      # the matte in R, G, B and A


class Screen(StrEnum):
    """The screen colour a Despill removes."""

    GREEN = "green"
    BLUE = "blue"


class Luminance(StrEnum):
    """Luminance weights for the LumaKeyer."""

    AP1 = "ap1"          # ACEScg, the default working space
    REC709 = "rec709"
    AVERAGE = "average"
    MAXIMUM = "maximum"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The choice strings of an enum, in declaration order."""
    return tuple(member.value for member in enum)
