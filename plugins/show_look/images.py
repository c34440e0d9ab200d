"""Reading training frames: arrays as they are, float files as scene-linear, 8-bit files from sRGB."""

from __future__ import annotations

import os

import numpy as np

from nodecomp.api import EvaluationError

IMAGE_SUFFIXES = (".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".dpx", ".hdr")


def decode_srgb(values: np.ndarray) -> np.ndarray:
    """Linear values from sRGB-encoded 0..1 values (the piecewise IEC 61966-2-1 curve)."""
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4).astype(np.float32)


def read_rgb(source: np.ndarray | str | os.PathLike) -> np.ndarray:
    """(H, W, 3) float32 scene-linear colour from an array or an image file.

    Raises:
        EvaluationError: the file cannot be read (naming it), or an array is not (H, W, 3+).
    """
    if isinstance(source, np.ndarray):
        if source.ndim != 3 or source.shape[2] < 3:
            raise EvaluationError(f"a training frame must be (H, W, 3 or more), not {source.shape}")
        return np.asarray(source[..., :3], np.float32)
    import OpenImageIO as oiio

    path = os.fspath(source)
    buf = oiio.ImageBuf(path)
    pixels = None if buf.has_error else buf.get_pixels(oiio.FLOAT)
    if buf.has_error or pixels is None:
        raise EvaluationError(f"cannot read the frame: {buf.geterror() or 'unknown format'}", path=path)
    spec = buf.spec()
    pixels = np.asarray(pixels, np.float32).reshape(spec.height, spec.width, spec.nchannels)
    colour = pixels[..., :3] if spec.nchannels >= 3 else np.repeat(pixels[..., :1], 3, axis=2)
    if spec.format.basetype in (oiio.UINT8, oiio.INT8, oiio.UINT16):
        return decode_srgb(colour)
    return np.ascontiguousarray(colour)


def write_rgb(path: str | os.PathLike, rgb: np.ndarray) -> None:
    """Write an (H, W, 3) float image (EXR as half floats; other formats as the writer chooses).

    Raises:
        EvaluationError: the file cannot be written (naming it).
    """
    import OpenImageIO as oiio

    path = os.fspath(path)
    array = np.ascontiguousarray(rgb, np.float32)
    spec = oiio.ImageSpec(array.shape[1], array.shape[0], 3, "half" if path.lower().endswith(".exr") else "uint8")
    out = oiio.ImageOutput.create(path)
    if out is None:
        raise EvaluationError(f"cannot write the image: {oiio.geterror()}", path=path)
    ok = out.open(path, spec) and out.write_image(array)
    error = out.geterror()
    out.close()
    if not ok:
        raise EvaluationError(f"cannot write the image: {error}", path=path)
