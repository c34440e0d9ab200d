"""CheckerBoard: alternating squares of two colours, for checking transforms, filtering and alpha."""

from __future__ import annotations

import numpy as np

from nodecomp.api import RGBA, Color, EvalContext, Image, Int, NodeType, Vec2
from nodecomp.nodes.draw.paint import draw_box


def checker_pixels(width: int, height: int, size: float, offset: tuple[float, float], color0: tuple[float, ...],
                   color1: tuple[float, ...], x0: int = 0, y0: int = 0) -> np.ndarray:
    """(height, width, 4) float32 squares of `size` pixels: color0 where the square parity is even.

    Pixel (x, y) (absolute, its centre at x + 0.5) lies in square
    (floor((x + 0.5 - offset.x) / size), floor((y + 0.5 - offset.y) / size)); even sums get color0.
    """
    xs = np.floor((np.arange(x0, x0 + width) + 0.5 - offset[0]) / size).astype(np.int64)
    ys = np.floor((np.arange(y0, y0 + height) + 0.5 - offset[1]) / size).astype(np.int64)
    odd = ((ys[:, None] + xs[None, :]) & 1).astype(bool)
    return np.where(odd[..., None], np.asarray(color1, np.float32), np.asarray(color0, np.float32))


class CheckerBoard(NodeType):
    """Fills the document format with a checkerboard of two colours.

    Pixel (x, y) belongs to square (floor((x + 0.5 - offset.x) / size),
    floor((y + 0.5 - offset.y) / size)); squares whose indices sum to an even number get
    `color0`, the others `color1`. The square at the offset point starts a color0 square,
    so an offset of (0, 0) puts one in the top-left corner. Squares are whole pixels (no
    antialiasing), so a checkerboard is a sharp reference for filters and transforms.

    For a region of interest only its pixels are made. At a proxy scale 1/n the squares are
    size / n proxy pixels (not rounded) and the offset is scaled: the picture equals the full
    one reduced when size and offset are multiples of n; otherwise proxy pixels on a square's
    edge take one colour instead of the mix of both.
    """

    type_id = "nodecomp.CheckerBoard"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    params = (
        Int("size", default=64, min=1, max=65536, doc="Side of each square, in pixels."),
        Color("color0", default=(0.1, 0.1, 0.1, 1.0), doc="RGBA of the even squares (top-left), premultiplied."),
        Color("color1", default=(0.5, 0.5, 0.5, 1.0), doc="RGBA of the odd squares, premultiplied."),
        Vec2("offset", default=(0.0, 0.0), pixels=True,
             doc="Where a color0 square's top-left corner is, in pixels (x, y)."),
    )

    @staticmethod
    def compute(ctx: EvalContext, size: int, color0: tuple[float, ...], color1: tuple[float, ...],
                offset: tuple[float, float]) -> Image:
        """Fill the format (or the requested part of it) with squares."""
        window = draw_box(ctx, None)
        pixels = checker_pixels(window.width, window.height, size * ctx.request.scale, offset, color0, color1,
                                window.x0, window.y0)
        return Image(pixels, RGBA, window, ctx.format_box, pixel_aspect=ctx.format.pixel_aspect,
                     colorspace=ctx.working_space)
