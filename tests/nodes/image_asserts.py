"""Helpers for node tests: feed arrays into real graphs, compare images, keep failures on disk."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import numpy as np
import OpenImageIO as oiio

import nodecomp as nc
from nodecomp.api import RGBA, Box, Image, NodeType, String
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes import NODE_TYPES

_IMAGES: dict[str, Image] = {}


class ImageSource(NodeType):
    """Test-only generator returning an Image registered under `key`."""

    type_id = "test.ImageSource"
    params = (String("key", doc="Which registered image to return."),)

    @staticmethod
    def compute(ctx: Any, key: str) -> Image:
        return _IMAGES[key]


def make_document() -> nc.Document:
    """A document knowing the built-in nodes plus ImageSource (format HD_1080)."""
    return nc.Document(NodeRegistry([*NODE_TYPES, ImageSource]))


def source(doc: nc.Document, image: Image, name: str | None = None):
    """Add an ImageSource node producing `image` (its pixels frozen, like any cached result)."""
    key = uuid.uuid4().hex
    _IMAGES[key] = image.freeze()
    return doc.add("ImageSource", key=key, name=name)


def evaluate(doc: nc.Document, node, frame: float = 1.0) -> tuple[Image, Evaluator]:
    """Evaluate `node` with a fresh evaluator; returns the image and the evaluator (for stats)."""
    evaluator = Evaluator(doc)
    return evaluator.evaluate(node, frame), evaluator


def image(pixels: np.ndarray, channels=RGBA, data_window: Box | None = None,
          display_window: Box | None = None) -> Image:
    """An Image from an (H, W, C) array; data window at the origin unless given."""
    pixels = np.ascontiguousarray(pixels, dtype=np.float32)
    window = data_window or Box(0, 0, pixels.shape[1], pixels.shape[0])
    return Image(pixels, channels, window, display_window or window)


def random_rgba(height: int, width: int, seed: int = 0, channels: int = 4) -> np.ndarray:
    """Premultiplied random RGBA (colour <= alpha) plus any extra channels, float32."""
    rng = np.random.default_rng(seed)
    pixels = rng.random((height, width, channels), dtype=np.float32)
    if channels >= 4:
        pixels[..., :3] *= pixels[..., 3:4]
    return pixels


def write_exr(path: Path, pixels: np.ndarray, channels=None) -> None:
    """Write an (H, W, C) float array as a float EXR (for looking at failures)."""
    pixels = np.ascontiguousarray(np.nan_to_num(pixels, nan=-1.0), dtype=np.float32)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "float")
    if channels is not None:
        spec.channelnames = tuple(channels)
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec) or not out.write_image(pixels):
        raise OSError(f"cannot write {path}: {oiio.geterror()}")
    out.close()


def assert_images_close(actual: np.ndarray, expected: np.ndarray, tmp_path: Path, *, atol: float = 1e-6,
                        rtol: float = 0.0, name: str = "image", equal_nan: bool = True) -> None:
    """assert_allclose that, on failure, leaves actual, expected and |diff| EXRs in tmp_path."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    try:
        np.testing.assert_allclose(actual, expected, atol=atol, rtol=rtol, equal_nan=equal_nan)
    except AssertionError:
        if actual.shape == expected.shape and actual.size:
            write_exr(tmp_path / f"{name}.actual.exr", actual)
            write_exr(tmp_path / f"{name}.expected.exr", expected)
            write_exr(tmp_path / f"{name}.diff.exr", np.abs(actual.astype(np.float64) - expected))
        raise


def to_imagebuf(pixels: np.ndarray, x: int = 0, y: int = 0, full: Box | None = None) -> oiio.ImageBuf:
    """An OIIO ImageBuf holding `pixels` with its data window at (x, y) and an optional full window."""
    pixels = np.ascontiguousarray(pixels, dtype=np.float32)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "float")
    spec.x, spec.y = x, y
    if full is not None:
        spec.full_x, spec.full_y, spec.full_width, spec.full_height = full.x0, full.y0, full.width, full.height
    if pixels.shape[2] == 4:
        spec.channelnames = RGBA
        spec.alpha_channel = 3
    buf = oiio.ImageBuf(spec)
    buf.set_pixels(buf.roi, pixels)
    return buf


def from_imagebuf(buf: oiio.ImageBuf, window: Box) -> np.ndarray:
    """The ImageBuf's pixels on `window` (black outside its data window), float32."""
    if buf.has_error:
        raise AssertionError(buf.geterror())
    roi = oiio.ROI(window.x0, window.x1, window.y0, window.y1, 0, 1, 0, buf.nchannels)
    return np.asarray(buf.get_pixels(oiio.TypeFloat, roi), dtype=np.float32).reshape(
        window.height, window.width, buf.nchannels
    )
