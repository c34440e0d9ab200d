"""Draw nodecomp's application icon (a tiny node graph) as PNG files, with numpy and OpenImageIO.

    python resources/icons/make_icon.py [OUTPUT_DIR]

Writes nodecomp.png (256x256) and nodecomp-48.png. Drawn at 4x and box-filtered down, so edges
are antialiased; the same script always draws the same pixels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import OpenImageIO as oiio

SUPERSAMPLE = 4
BACKGROUND = (0.11, 0.13, 0.16)
NODE_COLOURS = ((0.95, 0.55, 0.15), (0.20, 0.70, 0.75), (0.85, 0.30, 0.35))
WIRE = (0.92, 0.92, 0.88)


def _rounded_box(x, y, x0, y0, x1, y1, radius):
    """Coverage (0/1) of a rounded rectangle on the pixel grid (x, y)."""
    cx = np.clip(x, x0 + radius, x1 - radius)
    cy = np.clip(y, y0 + radius, y1 - radius)
    return ((x - cx) ** 2 + (y - cy) ** 2 <= radius**2) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def _wire(x, y, start, end, width):
    """Coverage of a cubic S-curve from `start` to `end` (horizontal tangents at both ends)."""
    t = np.linspace(0.0, 1.0, 200)[:, None]
    (sx, sy), (ex, ey) = start, end
    mx = (sx + ex) / 2
    px = (1 - t) ** 3 * sx + 3 * (1 - t) ** 2 * t * mx + 3 * (1 - t) * t**2 * mx + t**3 * ex
    py = (1 - t) ** 3 * sy + 3 * (1 - t) ** 2 * t * sy + 3 * (1 - t) * t**2 * ey + t**3 * ey
    cover = np.zeros(x.shape, dtype=bool)
    for qx, qy in zip(px[:, 0], py[:, 0], strict=True):
        cover |= (x - qx) ** 2 + (y - qy) ** 2 <= (width / 2) ** 2
    return cover


def draw(size: int) -> np.ndarray:
    """The icon as (size, size, 4) float32 RGBA, straight alpha."""
    big = size * SUPERSAMPLE
    y, x = np.mgrid[0:big, 0:big].astype(np.float32) / big  # 0..1 coordinates
    image = np.zeros((big, big, 4), dtype=np.float32)

    def paint(mask, colour):
        image[mask, :3] = colour
        image[mask, 3] = 1.0

    paint(_rounded_box(x, y, 0.04, 0.04, 0.96, 0.96, 0.18), BACKGROUND)
    boxes = ((0.12, 0.16, 0.40, 0.36), (0.12, 0.62, 0.40, 0.82), (0.60, 0.40, 0.88, 0.60))
    paint(_wire(x, y, (0.40, 0.26), (0.60, 0.47), 0.035), WIRE)
    paint(_wire(x, y, (0.40, 0.72), (0.60, 0.53), 0.035), WIRE)
    for (x0, y0, x1, y1), colour in zip(boxes, NODE_COLOURS, strict=True):
        paint(_rounded_box(x, y, x0, y0, x1, y1, 0.04), colour)
    return image.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE, 4).mean(axis=(1, 3))


def write_png(path: Path, pixels: np.ndarray) -> None:
    """Write RGBA float pixels as an 8-bit PNG; raises OSError with OIIO's message on failure."""
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], 4, "uint8")
    spec.channelnames = ("R", "G", "B", "A")
    spec.alpha_channel = 3
    spec.attribute("oiio:UnassociatedAlpha", 1)
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec):
        raise OSError(f"cannot write {path}: {oiio.geterror() if out is None else out.geterror()}")
    ok = out.write_image(np.ascontiguousarray(pixels, dtype=np.float32)) and out.close()
    if not ok:
        raise OSError(f"cannot write {path}: {out.geterror()}")


def main(folder: str | None = None) -> list[Path]:
    """Write the icons into `folder` (default: this script's folder); returns their paths."""
    target = Path(folder) if folder else Path(__file__).resolve().parent
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for size, name in ((256, "nodecomp.png"), (48, "nodecomp-48.png")):
        write_png(target / name, draw(size))
        written.append(target / name)
    return written


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
