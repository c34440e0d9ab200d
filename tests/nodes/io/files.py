"""Helpers for the Read/Write tests: tiny image files written with OIIO, documents, evaluation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import OpenImageIO as oiio

import nodecomp as nc
from nodecomp.engine.evaluator import Evaluator

W, H = 64, 48
RGBA = ("R", "G", "B", "A")


def write_file(path: Path | str, pixels: np.ndarray, channels: Sequence[str] = RGBA, fmt: str = "half", *,
               attrs: dict[str, Any] | None = None, x: int = 0, y: int = 0,
               full: tuple[int, int, int, int] | None = None) -> Path:
    """Write `pixels` (H, W, C float) with OIIO; `full` = (x, y, width, height) display window."""
    path = Path(path)
    pixels = np.ascontiguousarray(pixels, dtype=np.float32)
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], fmt)
    spec.channelnames = tuple(channels)
    if "A" in channels:
        spec.alpha_channel = list(channels).index("A")
    spec.x, spec.y = x, y
    if full is not None:
        spec.full_x, spec.full_y, spec.full_width, spec.full_height = full
    for key, value in (attrs or {}).items():
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], oiio.TypeDesc):
            spec.attribute(key, value[0], value[1])
        else:
            spec.attribute(key, value)
    out = oiio.ImageOutput.create(str(path))
    assert out is not None, oiio.geterror()
    assert out.open(str(path), spec), out.geterror()
    assert out.write_image(pixels), out.geterror()
    assert out.close(), out.geterror()
    return path


def frame_pixels(frame: int, channels: int = 4) -> np.ndarray:
    """A float image whose R is frame/1000 everywhere (so a test can tell frames apart)."""
    pixels = np.random.default_rng(frame).random((H, W, channels), dtype=np.float32)
    pixels[..., 0] = frame / 1000.0
    return pixels


def make_sequence(folder: Path, frames: Iterable[int], name: str = "a", padding: int = 4,
                  ext: str = "exr") -> Path:
    """Float EXRs `name.<frame>.exr` (R = frame/1000); returns the `####` pattern path."""
    folder.mkdir(parents=True, exist_ok=True)
    for frame in frames:
        write_file(folder / f"{name}.{frame:0{padding}d}.{ext}", frame_pixels(frame), fmt="float")
    return folder / f"{name}.{'#' * padding}.{ext}"


def read_back(path: Path | str) -> tuple[np.ndarray, oiio.ImageSpec]:
    """Pixels (float32) and spec of a file, read with OIIO directly."""
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    spec = inp.spec()
    pixels = inp.read_image(0, 0, 0, spec.nchannels, "float")
    inp.close()
    return pixels, spec


def evaluate(doc: nc.Document, node: Any, frame: float = 1.0) -> Any:
    """One evaluation with a fresh evaluator."""
    return Evaluator(doc).evaluate(node, frame)


def frame_of(image: Any) -> float:
    """Which test frame an image came from (see `frame_pixels`)."""
    return round(float(image.pixels[0, 0, image.index("R")]) * 1000.0, 3)

