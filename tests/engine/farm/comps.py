"""Small comps and plates for the farm tests."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import OpenImageIO as oiio

import nodecomp as nc
from nodecomp.core.format import Format


def write_plate(path: Path, pixels: np.ndarray) -> None:
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "half")
    spec.channelnames = ("R", "G", "B", "A")
    spec.alpha_channel = 3
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec), out.geterror()
    assert out.write_image(np.ascontiguousarray(pixels, np.float32)), out.geterror()
    assert out.close(), out.geterror()


def make_plates(folder: Path, frames: range, width: int = 48, height: int = 32) -> Path:
    """`bg.####.exr` (opaque noise) and `fg.####.exr` (a moving half-transparent square)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for frame in frames:
        bg = rng.random((height, width, 4), dtype=np.float32)
        bg[..., 3] = 1.0
        fg = np.zeros((height, width, 4), np.float32)
        x = (2 * frame) % (width - 8)
        fg[4:12, x:x + 8] = (0.4, 0.2, 0.1, 0.5)
        write_plate(folder / f"bg.{frame:04d}.exr", bg)
        write_plate(folder / f"fg.{frame:04d}.exr", fg)
    return folder


def comp(plates: Path | str, out: Path | str, frames: range, *, width: int = 48, height: int = 32,
         blur: float = 0.0) -> nc.Document:
    """Read FG -> Grade -> (Blur) -> Merge over Read BG -> Write out/comp.####.exr."""
    doc = nc.Document(name="farmtest")
    doc.format = Format(width, height)
    doc.frame_range = (frames[0], frames[-1])
    bg = doc.add("Read", file=os.path.join(str(plates), "bg.####.exr"))
    fg = doc.add("Read", file=os.path.join(str(plates), "fg.####.exr"))
    node = doc.add("Grade", fg, multiply=(1.2, 1.1, 1.0, 1.0), gamma=(1.1, 1.1, 1.1, 1.0))
    if blur:
        node = doc.add("Blur", node, size=(blur, blur))
    merged = doc.add("Merge", node, bg, operation="over")
    doc.add("Write", merged, file=os.path.join(str(out), "comp.####.exr"), datatype="half", compression="zip")
    return doc


def pixels(path: Path | str) -> np.ndarray:
    image = oiio.ImageInput.open(str(path))
    assert image is not None, oiio.geterror()
    try:
        return image.read_image(0, 0, 0, image.spec().nchannels, "float")
    finally:
        image.close()


def frame_files(folder: Path) -> list[str]:
    """Final frame files in `folder` (hidden temporaries excluded)."""
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))
