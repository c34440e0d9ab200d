"""Spill suppression: removing screen light bounced onto the performer, keeping skin tones.

For a green screen the spill is the part of green above a limit made from red and blue:

    spill = max(G - limit(R, B), 0) * amount,    G' = G - spill

The algorithms differ only in the limit:

- `average`:  (R + B) / 2. The usual choice; neutral greys and skin (R > G > B) are untouched.
- `double`:   (2R + B) / 3. Weighted to red, so warm skin keeps a little more green; pale or
  yellow tones (little blue) lose less than with `average`.
- `limit`:    max(R, B). The gentlest: only green above both others is removed (yellows and
  cyans survive); use it when costumes are close to the screen hue.
- `minimum`:  min(R, B). The strongest: removes any green cast above the weaker channel.

For a blue screen the roles of G and B swap (limit from R and G). Because the limit scales
with the colour, despilling premultiplied colour gives exactly the same result as
unpremultiply, despill, premultiply, so nodes work on premultiplied pixels directly.

Removing spill darkens: `luma_restore` adds back a grey of the lost luminance (0 none, 1 all),
weighted by the working space's luminance coefficients (ACEScg/AP1 by default).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from plugins.keyers.screen import other_channels


class SpillMethod(StrEnum):
    """Despill algorithms (the values are the file format)."""

    AVERAGE = "average"
    DOUBLE = "double"
    LIMIT = "limit"
    MINIMUM = "minimum"


# ACEScg (AP1) luminance: the working space's Y row. Rec.709 is (0.2126, 0.7152, 0.0722).
AP1_LUMA = (0.2722287, 0.6740818, 0.0536895)


def spill_limit(rgb: np.ndarray, primary: int, method: str) -> np.ndarray:
    """The most the screen channel may be for each pixel, from the other two channels."""
    first, second = other_channels(primary)
    a, b = rgb[..., first], rgb[..., second]
    if method == SpillMethod.AVERAGE:
        return (a + b) * np.float32(0.5)
    if method == SpillMethod.DOUBLE:
        return (a * np.float32(2.0) + b) * np.float32(1.0 / 3.0)
    if method == SpillMethod.LIMIT:
        return np.maximum(a, b)
    if method == SpillMethod.MINIMUM:
        return np.minimum(a, b)
    raise ValueError(f"unknown despill method {method!r}")


def despill(rgb: np.ndarray, primary: int, method: str, *, amount: float = 1.0, luma_restore: float = 0.0,
            luma: tuple[float, float, float] = AP1_LUMA) -> tuple[np.ndarray, np.ndarray]:
    """Suppress spill in (..., 3) colours (premultiplied or not).

    Args:
        rgb: colours; not modified.
        primary: the screen channel (1 green, 2 blue).
        method: a SpillMethod value.
        amount: fraction of the spill removed (0 to 1; above 1 over-suppresses).
        luma_restore: fraction of the luminance lost to despill added back as grey.
        luma: luminance weights of the working space.

    Returns:
        (despilled colours, spill) where spill is the amount taken off the screen channel.
    """
    rgb = np.asarray(rgb, np.float32)
    spill = rgb[..., primary] - spill_limit(rgb, primary, method)
    np.maximum(spill, 0.0, out=spill)
    if amount != 1.0:
        spill *= np.float32(amount)
    out = rgb.copy()
    out[..., primary] -= spill
    if luma_restore:
        grey = spill * np.float32(luma_restore * luma[primary])
        out += grey[..., None]
    return out, spill
