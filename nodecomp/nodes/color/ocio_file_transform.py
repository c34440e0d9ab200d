"""OCIOFileTransform: apply a LUT or transform file (.cube, .clf, .spi3d...) through OpenColorIO."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

import PyOpenColorIO as ocio

from nodecomp.api import Bool, Choice, EvalContext, Image, Input, NodeType, Path
from nodecomp.nodes.color.affine import main_rgb
from nodecomp.nodes.color.ocio_apply import ProcessorCache, apply_processor

INTERPOLATIONS = {
    "best": ocio.INTERP_BEST,
    "linear": ocio.INTERP_LINEAR,
    "tetrahedral": ocio.INTERP_TETRAHEDRAL,
    "nearest": ocio.INTERP_NEAREST,
    "cubic": ocio.INTERP_CUBIC,
}
DIRECTIONS = ("forward", "inverse")
PROCESSORS = ProcessorCache()
_stamps: dict[str, tuple[int, int]] = {}
_stamps_lock = threading.Lock()


def file_stamp(path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of the file, or None when it cannot be found."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def _forget_stale(path: str, stamp: tuple[int, int]) -> None:
    """Drop OCIO's own file caches when a LUT changed on disk since it was last read.

    OCIO caches parsed files by path (across configs and processors), so a re-exported LUT
    would otherwise keep its old contents until the process ends.
    """
    with _stamps_lock:
        previous = _stamps.get(path)
        _stamps[path] = stamp
    if previous is not None and previous != stamp:
        ocio.ClearAllCaches()


def file_processor(path: str, direction: str, interpolation: str) -> ocio.CPUProcessor:
    """A CPU processor for the file, built on a raw config without a processor cache.

    Raises:
        ocio.Exception: the file cannot be parsed (OCIO's message says why).
    """
    config = ocio.Config.CreateRaw()
    config.setProcessorCacheFlags(ocio.PROCESSOR_CACHE_OFF)
    transform = ocio.FileTransform(
        src=path,
        interpolation=INTERPOLATIONS[interpolation],
        direction=ocio.TRANSFORM_DIR_INVERSE if direction == "inverse" else ocio.TRANSFORM_DIR_FORWARD,
    )
    return config.getProcessor(transform).getDefaultCPUProcessor()


class OCIOFileTransform(NodeType):
    """Applies a colour transform file to R, G, B with OpenColorIO's FileTransform.

    Any format OCIO reads works: 3D LUTs (.cube, .spi3d, .3dl), 1D LUTs (.spi1d, .cube),
    Academy/ASC Common LUT Format (.clf, .ctf), CDLs (.cc, .cdl). `direction` inverse applies
    the inverse (exact for matrices and 1D LUTs, iterative for 3D LUTs). The file's path,
    size and modification time are part of the cache key, so a re-exported LUT is picked up
    at once. A missing or malformed file is an error naming the node, the frame and the file.
    An empty `file` passes the input through.

    With `unpremultiply` (default) colour is divided by alpha first and multiplied back after;
    alpha and other layers are copied. A LUT expects its input in a particular space (often a
    log or display encoding): put an OCIOColorSpace before it.
    """

    type_id = "nodecomp.OCIOFileTransform"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to transform."),)
    params = (
        Path("file", default="", doc="The LUT or transform file (.cube, .clf, .spi3d, .spi1d, .3dl, .cc...)."),
        Choice("direction", default="forward", choices=DIRECTIONS, doc="forward, or inverse to undo the file."),
        Choice("interpolation", default="best", choices=tuple(INTERPOLATIONS),
               doc="How LUT entries are interpolated: best (OCIO's choice), linear, tetrahedral, nearest, cubic."),
        Bool("unpremultiply", default=True, doc="Transform unpremultiplied colour (divide by alpha, multiply after)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No file, no transform."""
        return "source" if not params["file"].strip() else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The file's path, size and modification time (or a missing-file marker)."""
        path = ctx.resolve_path(params["file"].strip())
        return (path, file_stamp(path))

    @staticmethod
    def compute(ctx: EvalContext, source: Image, file: str, direction: str, interpolation: str,
                unpremultiply: bool) -> Image:
        """Apply the file's transform to the main R, G, B."""
        path = ctx.resolve_path(file.strip())
        stamp = file_stamp(path)
        if stamp is None or not os.path.isfile(path):
            raise ctx.error("the LUT file does not exist", path=path, hint="fix the file param")
        _forget_stale(path, stamp)
        try:
            processor = PROCESSORS.get(
                (path, stamp, direction, interpolation), lambda: file_processor(path, direction, interpolation)
            )
        except (ocio.Exception, ocio.ExceptionMissingFile) as exc:
            reason = " ".join(str(exc).split())
            raise ctx.error(f"OCIO cannot read the LUT: {reason}", path=path,
                            hint="check the file is a complete LUT in a format OCIO reads") from None
        rgb = main_rgb(source.channels)
        if rgb is None:
            return source
        alpha = source.alpha_index() if unpremultiply else None
        return source.with_pixels(apply_processor(processor, source.pixels, rgb, alpha=alpha,
                                                  check=ctx.check_cancelled))
