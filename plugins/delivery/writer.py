"""Writing one delivery file with OpenImageIO: the preset's header, atomically.

The file is written under a hidden temporary name next to the final one
(`.sh010_comp_v003.1001.exr.<token>.tmp.exr`, the same convention as the Write node, so a
farm's clean-up recognises what a killed writer left) and renamed when complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import OpenImageIO as oiio

from nodecomp.api import atomic_path
from plugins.delivery.presets import Preset


class DeliveryWriteError(Exception):
    """OpenImageIO could not write the file (its message, on one line)."""


def _type(name: str | None) -> Any:
    return None if name is None else {"int": oiio.TypeInt, "float": oiio.TypeFloat,
                                      "rational": oiio.TypeRational, "timecode": oiio.TypeTimeCode}.get(
        name, oiio.TypeDesc(name))


def make_spec(preset: Preset, width: int, height: int, channels: Iterable[str],
              attributes: Iterable[tuple[str, str | None, Any]]) -> oiio.ImageSpec:
    """The OIIO spec of a delivery file: size, channels, pixel type, the preset's and the shot's attributes."""
    names = tuple(channels)
    spec = oiio.ImageSpec(width, height, len(names), oiio.TypeDesc(preset.pixel_type))
    spec.channelnames = names
    spec.alpha_channel = names.index("A") if "A" in names else -1
    if preset.bits is not None:
        spec.attribute("oiio:BitsPerSample", preset.bits)
    for name, (type_name, value) in preset.attributes.items():
        _set(spec, name, type_name, value)
    for name, type_name, value in attributes:
        _set(spec, name, type_name, value)
    return spec


def _set(spec: oiio.ImageSpec, name: str, type_name: str | None, value: Any) -> None:
    kind = _type(type_name)
    if kind is None:
        spec.attribute(name, value)
    else:
        spec.attribute(name, kind, value)


def write_atomic(path: str, preset: Preset, spec: oiio.ImageSpec, pixels: np.ndarray,
                 before_commit: Callable[[], None] = lambda: None) -> None:
    """Write `pixels` (H, W, C float32) to `path` through a temporary file.

    Raises:
        DeliveryWriteError: OIIO failed, or the rename did.
    """
    try:
        with atomic_path(path) as temp:
            out = oiio.ImageOutput.create(preset.oiio_format)
            if out is None:
                raise DeliveryWriteError(f"OpenImageIO has no {preset.oiio_format} writer: {oiio.geterror()}")
            if not out.open(temp, spec):
                raise DeliveryWriteError(f"cannot create the file: {_one_line(out.geterror())}")
            written = out.write_image(np.ascontiguousarray(pixels, dtype=np.float32))
            closed = out.close()
            if not written or not closed or out.has_error:
                raise DeliveryWriteError(f"writing failed: {_one_line(out.geterror())}")
            before_commit()
    except OSError as exc:  # only the rename raises OSError here
        raise DeliveryWriteError(f"cannot move the finished file into place ({exc.strerror})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "no reason given"
