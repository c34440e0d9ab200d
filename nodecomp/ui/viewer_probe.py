"""The viewer's pixel probe line: what one picture holds at one full-resolution pixel.

Plain Python and numpy, no Qt, so it is tested on its own. The point is in full-resolution
image coordinates whatever the request: at a proxy scale 1/n the linear values are those of
the proxy pixel holding it, and under a region of interest a point outside the region says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nodecomp.ui.viewer_image import layer_channels

if TYPE_CHECKING:
    from nodecomp.ui.viewer_renderer import ViewResult


def probe_text(result: ViewResult | None, x: int, y: int, layer: str, side: str = "") -> str:
    """The probe line for pixel (x, y) of `result`: linear values of `layer`, then the 8-bit display values.

    Args:
        result: the picture under the cursor (None: there is none yet).
        x, y: full-resolution pixel in that picture's own coordinates.
        layer: the layer the viewer shows.
        side: what starts the line while comparing (" A ", " B ", "A-B"), else "".
    """
    where = f"{side} x {x:5d}  y {y:5d}"
    if result is None:
        return f"{where}   no picture"
    image, frame, step = result.image, result.frame, result.request.step
    ix, iy = x // step, y // step  # the proxy pixel holding (x, y)
    dw = image.data_window
    if not (dw.x0 <= ix < dw.x1 and dw.y0 <= iy < dw.y1):
        region = result.request.region
        outside = region is not None and not (region.x0 <= x < region.x1 and region.y0 <= y < region.y1)
        return f"{where}   outside {'the region of interest' if outside else 'the data window'}"
    names = layer_channels(image, layer) or list(image.channels)
    pixels = image.pixels if isinstance(image.pixels, np.ndarray) else image.pixels.detach().cpu().numpy()
    row = pixels[iy - dw.y0, ix - dw.x0]
    linear = "  ".join(f"{n.rsplit('.', 1)[-1]} {float(row[image.channels.index(n)]):.4f}" for n in names)
    text = f"{where}   linear {linear}"
    if frame.rgba.size:
        fw = frame.data_window  # full-resolution coordinates, like (x, y)
        py = min(int((y - fw.y0) * frame.scale), frame.rgba.shape[0] - 1)
        px = min(int((x - fw.x0) * frame.scale), frame.rgba.shape[1] - 1)
        r, g, b = (int(v) for v in frame.rgba[py, px, :3])
        text += f"   display {r} {g} {b}"
    if step > 1:
        text += f"   proxy 1/{step}"
    return text
