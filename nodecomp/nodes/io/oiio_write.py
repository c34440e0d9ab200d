"""Writing one image file with OpenImageIO, atomically.

The pixels go to a hidden temporary file in the destination folder, named so its extension is
still the real one (`.comp.0001.exr.1a2b3c4d.tmp.exr`: OIIO and anyone listing the folder see
the right format), and only a complete, closed file is renamed onto the final name with
`os.replace` (atomic on POSIX and Windows within one filesystem). Any failure, including a
cancel just before the rename, removes the temporary file, so a final name never holds a
partial frame, and a farm's "frame exists" check never trusts a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import OpenImageIO as oiio

from nodecomp.core.atomic import atomic_path, temp_path  # noqa: F401 - temp_path: the naming, for tests
from nodecomp.nodes.io import formats  # noqa: F401 - applies the exr_threads setting
from nodecomp.nodes.io.oiio_read import one_line


class ImageWriteError(Exception):
    """OIIO could not write the file (the message is OIIO's, on one line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _emit(out: oiio.ImageOutput, pixels: np.ndarray) -> bool:
    """Hand the pixels to OIIO (a seam tests replace to fail part-way through a file)."""
    return bool(out.write_image(pixels))


def _failure(out: oiio.ImageOutput | None, what: str, path: str) -> ImageWriteError:
    message = one_line((out.geterror() if out is not None else "") or oiio.geterror(), "", path)
    return ImageWriteError(f"{what}: {message}" if message else what)


def _write(path: str, format_name: str, spec: oiio.ImageSpec, pixels: np.ndarray) -> None:
    out = oiio.ImageOutput.create(format_name)
    if out is None:
        raise _failure(None, f"OpenImageIO has no {format_name} writer", path)
    opened = False
    try:
        if not out.open(path, spec):
            raise _failure(out, "cannot create the file", path)
        opened = True
        if not _emit(out, pixels) or out.has_error:
            raise _failure(out, "writing the pixels failed", path)
        opened = False
        if not out.close() or out.has_error:
            raise _failure(out, "finishing the file failed", path)
    finally:
        if opened:
            out.close()


def write_atomic(path: str, format_name: str, spec: oiio.ImageSpec, pixels: np.ndarray,
                 before_commit: Callable[[], None] = lambda: None) -> None:
    """Write `pixels` to `path` through a temporary file; nothing appears at `path` on failure.

    Args:
        path: the final file name (its folder must exist).
        format_name: OIIO writer name (`openexr`, `png`...).
        spec: size, channels, pixel type, windows and metadata of the file.
        pixels: (H, W, C) float32 matching `spec` (OIIO converts to the file's pixel type).
        before_commit: called after the file is complete and before the rename; raising
            (a cancel check) abandons the file.

    Raises:
        ImageWriteError: OIIO reported an error, or the rename failed.
    """
    try:
        with atomic_path(path) as temp:
            _write(temp, format_name, spec, pixels)
            before_commit()
    except OSError as exc:  # only the rename raises OSError here
        raise ImageWriteError(f"cannot move the finished file into place ({exc.strerror})") from None
