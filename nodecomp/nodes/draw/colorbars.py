"""ColorBars: SMPTE-style colour bars for checking a display chain, a Write's colour space, a LUT."""

from __future__ import annotations

import numpy as np

from nodecomp.api import RGBA, Choice, EvalContext, Float, Image, NodeType
from nodecomp.nodes.draw.paint import draw_box

LAYOUTS = ("smpte", "bars")
# The seven bars at full intensity, left to right: white, yellow, cyan, green, magenta, red, blue.
BARS = ((1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 1, 0), (1, 0, 1), (1, 0, 0), (0, 0, 1))
# The castellations under them (reverse blue bars): blue, black, magenta, black, cyan, black, white.
CASTELLATIONS = ((0, 0, 1), (0, 0, 0), (1, 0, 1), (0, 0, 0), (0, 1, 1), (0, 0, 0), (1, 1, 1))
# Bottom row, in signal values with black at 0: -I and +Q (the usual 8-bit renderings,
# 0/33/76 and 50/0/106 out of 255), 100% white, and the PLUGE: black, -4%, black, +4%, black.
MINUS_I = (0.0, 33 / 255, 76 / 255)
PLUS_Q = (50 / 255, 0.0, 106 / 255)
PLUGE = (-0.04, 0.0, 0.04)


def _columns(width: int, count: int) -> np.ndarray:
    """Which of `count` equal columns each of `width` pixels falls in (by its centre)."""
    return np.minimum(((np.arange(width) + 0.5) * count / width).astype(np.int64), count - 1)


def colorbars_pixels(width: int, height: int, layout: str, intensity: float) -> np.ndarray:
    """(height, width, 4) float32 bars; alpha 1 everywhere.

    `bars`: the seven bars plus black, full height. `smpte` (after SMPTE EG 1): the seven bars on
    the top 2/3, the castellations on the next 1/12, then -I, 100% white, +Q and black over
    the first 5/7 of the bottom quarter and the PLUGE (-4%, 0, +4%) under the sixth bar.
    Bars and castellations are at `intensity`.
    """
    pixels = np.zeros((height, width, 4), np.float32)
    pixels[..., 3] = 1.0
    if layout == "bars":
        palette = np.asarray([*BARS, (0, 0, 0)], np.float32) * np.float32(intensity)
        pixels[..., :3] = palette[_columns(width, 8)][None, :, :]
        return pixels
    top, middle = round(height * 2 / 3), round(height * 3 / 4)
    sevenths = _columns(width, 7)
    pixels[:top, :, :3] = (np.asarray(BARS, np.float32) * np.float32(intensity))[sevenths]
    pixels[top:middle, :, :3] = (np.asarray(CASTELLATIONS, np.float32) * np.float32(intensity))[sevenths]
    # Bottom quarter: four patches over 5/7 of the width, then the PLUGE under bar 6, then black.
    bottom = np.zeros((width, 3), np.float32)
    first = sevenths < 5
    quarters = _columns(int(first.sum()), 4)
    patches = np.asarray([MINUS_I, (1.0, 1.0, 1.0), PLUS_Q, (0.0, 0.0, 0.0)], np.float32)
    bottom[first] = patches[quarters]
    sixth = np.flatnonzero(sevenths == 5)
    if sixth.size:
        thirds = _columns(sixth.size, 3)
        bottom[sixth] = np.asarray(PLUGE, np.float32)[thirds][:, None]
    pixels[middle:, :, :3] = bottom[None]
    return pixels


class ColorBars(NodeType):
    """Colour bars filling the document format, with alpha 1.

    `smpte` (after SMPTE EG 1): the top 2/3 holds seven bars (white, yellow, cyan, green,
    magenta, red, blue) at `intensity`; the next 1/12 the reverse castellations (blue,
    black, magenta, black, cyan, black, white); the bottom quarter -I (0, 0.129, 0.298),
    100% white, +Q (0.196, 0, 0.416), black, and a PLUGE of -0.04, 0 and +0.04 under the
    sixth bar. `bars`: the seven bars plus black, full height.

    The values are signal levels with black at 0 and white at 1, written as they are (no
    colour transform): view or write them in the display encoding they are meant for (a raw
    or "data" output), not through a scene-linear to display transform.

    At a proxy scale the bars are laid out on the reduced format, so the picture equals the
    full one reduced except for the proxy pixels on a bar's edge (one colour, not a mix). A
    region of interest gets the region's part of the bars.
    """

    type_id = "nodecomp.ColorBars"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    params = (
        Choice("layout", default="smpte", choices=LAYOUTS,
               doc="smpte: bars, castellations, -I/white/+Q and PLUGE; bars: eight full-height bars."),
        Float("intensity", default=0.75, min=0.0, max=1.0,
              doc="Level of the colour bars (0.75 for 75% bars, 1 for 100%)."),
    )

    @staticmethod
    def compute(ctx: EvalContext, layout: str, intensity: float) -> Image:
        """Fill the format with bars, keeping the requested part."""
        canvas, window = ctx.format_box, draw_box(ctx, None)
        pixels = colorbars_pixels(canvas.width, canvas.height, layout, intensity)
        if window != canvas:
            pixels = np.ascontiguousarray(pixels[window.y0 - canvas.y0:window.y1 - canvas.y0,
                                                 window.x0 - canvas.x0:window.x1 - canvas.x0])
        return Image(pixels, RGBA, window, canvas, pixel_aspect=ctx.format.pixel_aspect,
                     colorspace=ctx.working_space)
