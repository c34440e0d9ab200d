"""Colour spaces of files, and converting pixels into or out of the working space.

Conversions touch R, G and B of the main layer only (alpha, depth and AOVs are data); a
luminance-only file (channel Y: greyscale PNG or TIFF) converts as grey. They are
done on colour that is not premultiplied: a transfer function applied to premultiplied values
darkens soft edges, so premultiplied input is divided by alpha first and multiplied back after.
Pixels without a conversion or an alpha change are returned as they are (no copy).
"""

from __future__ import annotations

import numpy as np

from nodecomp.api import EvalContext
from nodecomp.nodes.io.formats import SRGB

AUTO = "auto"


def file_space(ctx: EvalContext, requested: str, is_float: bool) -> str:
    """The colour space of a file's pixels (canonical OCIO name).

    "auto": float files (EXR, HDR, float TIFF) hold working-space values, integer files
    (PNG, JPEG, 8/16-bit TIFF, DPX) hold sRGB-encoded Rec.709. Anything else is an OCIO name,
    alias or role.

    Raises:
        EvaluationError: the name is not in the OCIO config.
    """
    if requested.strip().lower() in ("", AUTO):
        return ctx.working_space if is_float else ctx.colour.canonical(SRGB)
    return ctx.colour.canonical(requested.strip())


def convert(
    ctx: EvalContext,
    pixels: np.ndarray,
    channels: tuple[str, ...],
    source: str,
    target: str,
    *,
    unassociated_in: bool = False,
    unassociated_out: bool = False,
) -> np.ndarray:
    """Convert the main R, G, B from `source` to `target`, and alpha association as asked.

    Args:
        ctx: gives the OCIO colour manager.
        pixels: (H, W, C) float32; never modified.
        channels: names of the pixel channels.
        source: colour space of `pixels`.
        target: wanted colour space.
        unassociated_in: `pixels` colour is not premultiplied (PNG as read with OIIO's
            unassociated-alpha hint).
        unassociated_out: return colour not premultiplied (what PNG and TIFF store).

    Returns:
        `pixels` itself when nothing changes, else a new array.
    """
    colour_channels = _colour_indices(channels)
    alpha = channels.index("A") if "A" in channels else None
    change_space = len(colour_channels) == 3 and not ctx.colour.is_identity(source, target)
    divide = alpha is not None and not unassociated_in and (change_space or unassociated_out)
    multiply = alpha is not None and not unassociated_out and (change_space or unassociated_in)
    if not colour_channels or not (change_space or divide or multiply):
        return pixels
    out = np.array(pixels, dtype=np.float32, copy=True)
    colour = out[..., colour_channels]
    if divide:
        np.divide(colour, out[..., alpha : alpha + 1], out=colour, where=out[..., alpha : alpha + 1] > 0)
    if change_space:
        colour = ctx.colour.convert(np.ascontiguousarray(colour), source, target, [0, 1, 2])
    if multiply:
        colour = colour * out[..., alpha : alpha + 1]
    out[..., colour_channels] = colour
    return out


def _colour_indices(channels: tuple[str, ...]) -> list[int]:
    """R, G, B of the main layer; a luminance-only image (Y) converts as grey (Y, Y, Y)."""
    rgb = [channels.index(c) for c in ("R", "G", "B") if c in channels]
    if len(rgb) < 3 and "Y" in channels:
        return [channels.index("Y")] * 3
    return rgb
