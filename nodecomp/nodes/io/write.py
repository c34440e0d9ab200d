"""Write: the graph's output to image files, one per frame, atomically."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    Bool,
    Choice,
    EvalContext,
    EvaluationError,
    Float,
    Image,
    Input,
    NodeType,
    Path,
    String,
    conform,
)
from nodecomp.nodes.io import colourspace
from nodecomp.nodes.io.choices import Compression, DataType, FileType, Overwrite, values
from nodecomp.nodes.io.formats import FLOAT_TYPES, FORMATS, FormatError, datatype_for, file_type_for
from nodecomp.nodes.io.oiio_write import ImageWriteError, write_atomic
from nodecomp.nodes.io.sequence import PatternError, parse_pattern
from nodecomp.nodes.io.write_spec import ChannelError, Header, metadata_attributes, output_window, select_channels


class Write(NodeType):
    """Writes its input to a file per frame (EXR, PNG, TIFF, DPX or JPEG) and passes it on unchanged.

    The frame number fills the pattern's token with its padding (`comp.####.exr` -> comp.0012.exr).
    EXR keeps the data window (even outside the format) and the working colour space by
    default; other formats are cropped or padded to the display window and encoded as sRGB.
    Each file is written under a hidden temporary name and renamed when complete, so an
    interrupted render never leaves a partial frame under a final name.

    Every file carries: `nodecomp/frame`, `framesPerSecond` (EXR, a rational: 24000/1001 for
    23.976), `smpte:TimeCode` (the input's `input/timecode`, else counted from 00:00:00:00 at
    frame 0), `nodecomp/source` (the input's file), `nodecomp/document`, `nodecomp/node`,
    `oiio:ColorSpace`, and the `metadata` lines.
    """

    type_id = "nodecomp.Write"
    version = 1
    category = "IO"
    is_output = True
    cacheable = False
    inputs = (Input("source", doc="The image to write."),)
    params = (
        Path("file", doc="Output file or sequence, e.g. out/comp.####.exr (also %04d, @@@@, $F4)."),
        Choice("file_type", choices=values(FileType), doc="Format; auto picks it from the extension."),
        Choice("datatype", choices=values(DataType),
               doc="Pixel type: auto (EXR half, PNG/JPEG uint8, TIFF uint16, DPX uint10) or one the "
                   "format stores (EXR half/float; PNG uint8/uint16; TIFF uint8/uint16/float; "
                   "DPX uint10/uint16; JPEG uint8)."),
        Choice("compression", default=Compression.ZIP.value, choices=values(Compression),
               doc="EXR codec (other formats use their own default)."),
        Float("dwa_level", default=45.0, min=0.0, doc="DWAA/DWAB quality level: higher is smaller and lossier."),
        String("channels", default="rgba",
               doc="rgba, rgb, all (every layer), or a comma list of channel and layer names."),
        String("colorspace", default="auto",
               doc="Colour space of the file: auto (EXR and float files: the working space; integer "
                   "files: sRGB Encoded Rec.709), or an OCIO name."),
        String("metadata", multiline=True, doc="Extra key=value lines stored as string attributes."),
        Choice("overwrite", choices=values(Overwrite),
               doc="overwrite, or skip_existing to leave frames already on disk (resuming a render)."),
        Bool("create_dirs", default=True, doc="Create the output folder when it does not exist."),
    )

    @classmethod
    def output_files(cls, ctx: EvalContext, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The file of `ctx.frame` (what `compute` writes), for resume and range checks."""
        try:
            return (parse_pattern(params["file"], ctx.resolve_path).path(math.floor(ctx.frame + 0.5)),)
        except PatternError as exc:
            raise ctx.error(str(exc), path=params["file"] or None, hint="set file, e.g. out/comp.####.exr") from None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, file: str, file_type: str, datatype: str, compression: str,
                dwa_level: float, channels: str, colorspace: str, metadata: str, overwrite: str,
                create_dirs: bool) -> Image:
        """Write the frame's file and return `source` untouched."""
        frame = math.floor(ctx.frame + 0.5)
        try:
            path = parse_pattern(file, ctx.resolve_path).path(frame)
        except PatternError as exc:
            raise ctx.error(str(exc), path=file or None, hint="set file, e.g. out/comp.####.exr") from None
        try:
            kind = file_type_for(path, file_type)
            pixel_type = datatype_for(kind, datatype)
            names = select_channels(source, channels, kind)
        except (FormatError, ChannelError) as exc:
            raise ctx.error(str(exc), path=path) from None
        if overwrite == Overwrite.SKIP_EXISTING and os.path.exists(path):
            return source
        _ensure_folder(ctx, path, create_dirs)
        header = Header(kind, pixel_type, names, output_window(source, kind), source.display_window,
                        source.pixel_aspect, compression, dwa_level)
        try:
            pixels, space = _encode(ctx, source, header, colorspace)
        except EvaluationError as exc:
            raise ctx.error(exc.reason, path=path, hint=exc.hint or "check the colorspace param") from None
        try:
            header.attributes = metadata_attributes(
                file_type=kind, frame=frame, fps=float(ctx.metadata.get("fps") or 24.0), source=source,
                colorspace=space, document=str(ctx.metadata.get("document", "")), node=ctx.node,
                custom=metadata,
            )
        except ValueError as exc:
            raise ctx.error(str(exc), path=path, hint="fix the metadata param") from None
        try:
            write_atomic(path, FORMATS[kind].oiio_name, header.to_spec(), pixels,
                         before_commit=ctx.check_cancelled)
        except (ImageWriteError, OSError) as exc:
            reason = exc.reason if isinstance(exc, ImageWriteError) else f"writing failed ({exc})"
            raise ctx.error(reason, path=path, hint="check the folder is writable and has space") from None
        return source


def _ensure_folder(ctx: EvalContext, path: str, create: bool) -> None:
    folder = os.path.dirname(path)
    if os.path.isdir(folder):
        return
    if not create:
        raise ctx.error("the output folder does not exist", path=path, hint="create it or turn on create_dirs")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise ctx.error(f"cannot create the output folder ({exc.strerror})", path=path) from None


def _encode(ctx: EvalContext, source: Image, header: Header, colorspace: str) -> tuple[np.ndarray, str]:
    """The pixels to hand OIIO (float32, the file's window and channels, the file's colour space)."""
    if header.window == source.data_window and tuple(header.channels) == source.channels:
        pixels = source.pixels
    elif header.window == source.data_window:
        pixels = source.pixels[..., [source.index(c) for c in header.channels]]
    else:
        pixels = conform(source, header.window, header.channels)
    target = colourspace.file_space(ctx, colorspace, header.datatype in FLOAT_TYPES)
    header.unassociated = FORMATS[header.file_type].unassociated and "A" in header.channels
    pixels = colourspace.convert(ctx, np.asarray(pixels, dtype=np.float32), tuple(header.channels),
                                 source.colorspace or ctx.working_space, target,
                                 unassociated_out=header.unassociated)
    return np.ascontiguousarray(pixels, dtype=np.float32), target
