"""Read: image files and frame sequences into the graph, in the working colour space."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    RGBA,
    Box,
    Choice,
    EvalContext,
    EvaluationError,
    Image,
    Int,
    NodeType,
    Path,
    Region,
    String,
)
from nodecomp.nodes.io import colourspace, frame_source
from nodecomp.nodes.io.choices import Missing, OutsideRange, RangeMode, values
from nodecomp.nodes.io.frame_source import FrameSource
from nodecomp.nodes.io.oiio_read import ImageReadError, LayerError, header_region, read_image_file

_MAX_NEAREST_TRIES = 8
_CHECKER_SIZE = 32


class Read(NodeType):
    """Reads one image file, or one file per frame of a numbered sequence, with OpenImageIO.

    The file name may hold one frame-number token: `####` or `#` (Nuke: one digit per `#`),
    `@@@@`, `%04d`, or `$F4`/`$F` (Houdini). Frames outside the range are held, black or an
    error; a missing or unreadable frame follows `missing`. Pixels come out as float32 in the
    working colour space, premultiplied, with every channel of the file (multi-part EXR parts
    merged, named `part.channel`), the file's data and display windows, pixel aspect, and the
    header's metadata under `input/` (plus `input/filename` and `input/frame`).

    The cache key includes the path, size and modification time of the file a frame reads, so
    a re-rendered plate is picked up at once while an unchanged one costs an `os.stat`.

    For a region of interest only the scanlines (or tiles) holding it are decoded; at a proxy
    scale the pixels are reduced (n x n block means) after the colour conversion, so
    everything downstream works on fewer pixels.
    """

    type_id = "nodecomp.Read"
    version = 1
    category = "IO"
    frame_dependent = True
    supports_region = True
    supports_scale = True
    params = (
        Path("file", doc="A file, or a sequence such as plates/bg.####.exr (also %04d, @@@@, $F4, #)."),
        Choice("range_mode", choices=values(RangeMode),
               doc="auto: the frames found on disk; custom: first to last."),
        Int("first", default=1, doc="First frame of the sequence when range_mode is custom."),
        Int("last", default=100, doc="Last frame of the sequence when range_mode is custom."),
        Choice("before", choices=values(OutsideRange),
               doc="Frames before the range: hold the first frame, black, or an error."),
        Choice("after", choices=values(OutsideRange),
               doc="Frames after the range: hold the last frame, black, or an error."),
        Choice("missing", choices=values(Missing),
               doc="A missing, truncated or corrupt frame: an error, black, the nearest good frame, "
                   "or a checkerboard (all but error warn, naming the file)."),
        String("colorspace", default="auto",
               doc="Colour space of the file: auto (float files: working space; integer files: "
                   "sRGB Encoded Rec.709), or an OCIO name, alias or role converted to the working space."),
        String("layers", default="all",
               doc="all, or a comma list of layers to keep (rgba is the main layer), e.g. rgba,depth."),
        Int("frame_offset", default=0,
            doc="Added to the comp frame to find the file frame: with 1000, comp frame 1 reads file 1001."),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The file this frame reads (path, size, mtime_ns) or a stand-in marker, plus the auto range."""
        return frame_source.resolve(ctx.frame, ctx.resolve_path, **params).fingerprint

    @classmethod
    def region_of_definition(cls, ctx: EvalContext, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Any:
        """The file header's windows (no pixels are read); stand-in frames cover the format."""
        source = frame_source.resolve(ctx.frame, ctx.resolve_path, **params)
        if source.action in (frame_source.BLACK, frame_source.CHECKERBOARD):
            box = _format_box(ctx)
            return ctx.fit_region(Region(box, box))
        if source.action != frame_source.READ:
            return None
        region = header_region(source.path)
        return ctx.fit_region(region) if region is not None else None

    @staticmethod
    def compute(ctx: EvalContext, file: str, range_mode: str, first: int, last: int, before: str, after: str,
                missing: str, colorspace: str, layers: str, frame_offset: int) -> Image:
        """Read the frame's file (or make its stand-in) and convert it to the working space."""
        source = frame_source.resolve(
            ctx.frame, ctx.resolve_path, file=file, range_mode=range_mode, first=first, last=last,
            before=before, after=after, missing=missing, frame_offset=frame_offset,
        )
        wanted = _layer_set(layers)
        origin_path, origin_frame = source.wanted or (source.path, source.frame)
        problem = source.reason
        tried: set[int] = set()
        warnings: list[str] = []
        for _ in range(_MAX_NEAREST_TRIES):
            if source.action == frame_source.ERROR:
                raise ctx.error(source.reason, path=source.path, hint=source.hint)
            if source.warning:
                warnings.append(source.warning)
            try:
                if source.action == frame_source.READ:
                    image = ctx.fit(_read(ctx, source, colorspace, wanted))
                else:
                    image = ctx.fit(_stand_in_image(ctx, source))
            except ImageReadError as exc:
                reason = f"the file cannot be read ({exc.reason})"
                if source.path == origin_path:
                    problem = reason
                else:
                    warnings.append(f"{reason}: {source.path}")
            else:
                for warning in warnings:
                    ctx.warn(warning)
                return image
            if source.pattern is None:
                raise ctx.error(problem, path=origin_path, hint="fix the file, or set missing to black or checkerboard")
            if source.frame is not None:
                tried.add(source.frame)
            source = frame_source.stand_in(source.pattern, origin_path, origin_frame, problem, missing,
                                           source.detected, exclude=tried)
        raise ctx.error(f"{problem}, and the nearest frames cannot be read either", path=origin_path,
                        hint="fix the files or choose another missing policy")


def _layer_set(layers: str) -> frozenset[str] | None:
    names = frozenset(n.strip() for n in layers.split(",") if n.strip())
    return None if not names or {n.lower() for n in names} == {"all"} else names


def _read(ctx: EvalContext, source: FrameSource, colorspace: str, layers: frozenset[str] | None) -> Image:
    try:
        found = read_image_file(source.path, layers, ctx.request.region)
    except LayerError as exc:
        raise ctx.error(str(exc), path=source.path, hint="fix the layers param (all reads every layer)") from None
    for warning in found.warnings:
        ctx.warn(f"{source.path}: {warning}")
    try:
        space = colourspace.file_space(ctx, colorspace, found.is_float)
        pixels = colourspace.convert(ctx, found.pixels, found.channels, space, ctx.working_space,
                                     unassociated_in=found.unassociated)
    except EvaluationError as exc:
        raise ctx.error(exc.reason, path=source.path, hint=exc.hint or "check the colorspace param") from None
    metadata = dict(found.metadata)
    metadata["input/filename"] = source.path
    if source.frame is not None:
        metadata["input/frame"] = source.frame
    return Image(pixels, found.channels, found.data_window, found.display_window,
                 pixel_aspect=found.pixel_aspect, metadata=metadata, colorspace=ctx.working_space)


def _format_box(ctx: EvalContext) -> Box:
    """The document format at full resolution (stand-ins are made whole, then fitted to the request)."""
    return Box(0, 0, ctx.format.width, ctx.format.height)


def _stand_in_image(ctx: EvalContext, source: FrameSource) -> Image:
    """Black, or a grey checkerboard with opaque alpha, covering the document format at full resolution."""
    box = _format_box(ctx)
    pixels = np.zeros((box.height, box.width, 4), dtype=np.float32)
    if source.action == frame_source.CHECKERBOARD:
        y, x = np.ogrid[: box.height, : box.width]
        squares = ((x // _CHECKER_SIZE + y // _CHECKER_SIZE) % 2).astype(np.float32)
        pixels[..., :3] = (0.1 + 0.4 * squares)[..., np.newaxis]
        pixels[..., 3] = 1.0
    metadata: dict[str, Any] = {"input/filename": source.path}
    if source.frame is not None:
        metadata["input/frame"] = source.frame
    return Image(pixels, RGBA, box, Box(0, 0, box.width, box.height), pixel_aspect=ctx.format.pixel_aspect,
                 metadata=metadata, colorspace=ctx.working_space)
