"""Makes docs/images/show_look.png: held-out frames before, with the true look, learned, and via the LUT.

    .venv/bin/python docs/images/make_show_look.py

Trains on 20 synthetic 192x108 pairs (seed 1), shows 3 unseen frames (seed 2). Pixels are
ACEScg shown through OpenColorIO's ACEScg -> sRGB Encoded Rec.709 (clipped, no tone mapping).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402
import OpenImageIO as oiio  # noqa: E402
import PyOpenColorIO as ocio  # noqa: E402

from plugins.show_look.apply import apply_look  # noqa: E402
from plugins.show_look.lut import apply_lut, fit_lut  # noqa: E402
from plugins.show_look.synthetic import synthetic_pairs  # noqa: E402
from plugins.show_look.training import train_look  # noqa: E402

SIZE = (192, 108)


def display(rgb):
    """ACEScg pixels as sRGB-encoded Rec.709 for a PNG."""
    config = ocio.Config.CreateFromFile("ocio://default")
    processor = config.getProcessor("ACEScg", "sRGB Encoded Rec.709 (sRGB)").getDefaultCPUProcessor()
    pixels = np.ascontiguousarray(rgb, np.float32).copy()
    processor.applyRGB(pixels)
    return np.clip(pixels, 0.0, 1.0)


def main():
    """Train, render the four columns for three unseen frames, write the PNG."""
    model = train_look(synthetic_pairs(20, size=SIZE, seed=1), steps=1500)
    table = fit_lut(model, 33)
    rows = []
    gap = np.ones((SIZE[1], 4, 3), np.float32)
    for before, after in synthetic_pairs(3, size=SIZE, seed=2):
        tiles = [before, after, apply_look(model, before), apply_lut(table, before)]
        row = []
        for tile in tiles:
            row += [display(tile), gap]
        rows += [np.concatenate(row[:-1], axis=1), np.ones((4, row[0].shape[1] * 4 + 12, 3), np.float32)]
    picture = np.concatenate(rows[:-1], axis=0)
    out_path = str(Path(__file__).with_name("show_look.png"))
    out = oiio.ImageOutput.create(out_path)
    spec = oiio.ImageSpec(picture.shape[1], picture.shape[0], 3, "uint8")
    if not (out.open(out_path, spec) and out.write_image(picture) and out.close()):
        raise SystemExit(oiio.geterror())


if __name__ == "__main__":
    main()
