"""LEDWallExport: the comp leaves nodecomp at the wall's pixel geometry, sliced per processor, in its encoding."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Bool, Box, Choice, EvalContext, Float, Image, Input, NodeType, Path, Request, String
from plugins.led_wall import patterns as pattern_canvas
from plugins.led_wall.canvas import Fit, canvas_rgb
from plugins.led_wall.colour import CanvasEncoder, FrameStats, unit_nits
from plugins.led_wall.encoding import encoder_for
from plugins.led_wall.errors import WallError
from plugins.led_wall.export import ExportOptions, WallExport
from plugins.led_wall.image_io import parse_formats
from plugins.led_wall.settings import (
    DepthChoice,
    EotfChoice,
    GamutChoice,
    LoadedWall,
    Overrides,
    RangeChoice,
    choices,
    load_wall,
    wall_fingerprint,
)

COLOUR_PARAMS = (
    Choice("gamut", choices=choices(GamutChoice),
           doc="Wall primaries the working space is converted to through OCIO; wall: the wall file's."),
    Choice("eotf", choices=choices(EotfChoice),
           doc="pq (SMPTE ST 2084, absolute nits) or gamma (relative to the peak); wall: the wall file's."),
    Choice("signal_range", choices=choices(RangeChoice),
           doc="full (0..2^n-1) or legal (64..940 at 10 bits) code values; wall: the wall file's."),
    Choice("bit_depth", choices=choices(DepthChoice), doc="Signal bit depth; wall: the wall file's."),
    Float("peak_nits", default=0.0, min=0.0, max=10000.0,
          doc="The wall's peak in nits; light above it is clipped and reported. 0: the wall file's."),
    Float("scene_white_nits", default=0.0, min=0.0, max=10000.0,
          doc="Nits a scene-linear 1.0 becomes (the wall file's, 100 by default, when 0)."),
)


class Content(StrEnum):
    """What the export sends to the wall: the input picture or a test pattern."""

    PICTURE = "picture"
    CHECKER = "checker"
    OUTLINE = "outline"
    FRAME_COUNTER = "frame_counter"


def overrides_of(params: Mapping[str, Any]) -> Overrides:
    """The colour overrides set on a node."""
    return Overrides(gamut=params["gamut"], eotf=params["eotf"], signal_range=params["signal_range"],
                     bit_depth=params["bit_depth"], peak_nits=params["peak_nits"],
                     scene_white_nits=params["scene_white_nits"])


def wall_of(ctx: EvalContext, params: Mapping[str, Any]) -> LoadedWall:
    """The node's wall plan, with its file path resolved against the document."""
    return load_wall(ctx.resolve_path(params["wall"]) if params["wall"] else "", overrides_of(params))


class LEDWallExport(NodeType):
    """Writes the input canvas to an LED wall: processor rasters, optional cabinet tiles, maps and a report.

    The input is the whole wall canvas in the working space (scene-linear), at exactly the
    canvas size the wall file defines (panel count x stated panel pixels per wall). Each
    frame it is converted to the wall's gamut through OCIO, scaled so 1.0 is
    `scene_white_nits`, clipped at the wall's peak (clipped pixels are counted, warned about
    and listed in report.json), encoded (PQ or gamma, full or legal range, 8/10/12-bit) and
    written as `rasters/<processor>/<processor>.######.<ext>` at each processor's exact
    input size, segments placed per the raster map and unmapped areas black. With `tiles`,
    each cabinet is also written as `tiles/<wall>/<wall>_C00_R00.######.png` (16-bit), and
    the tiles put side by side give back the encoded canvas bit for bit.

    Once per export (and again when the wall file or the settings change) it writes
    maps/cabinets.csv, maps/ndisplay.json, maps/slices.xml, the wall mesh (OBJ), the
    pixel-map overlay (maps/overlay.png), test patterns and report.json/report.txt.
    With `content` set to a pattern (checker, outline, frame_counter: the frame number and a
    bar stepping across the wall, looping every second) the input is not read and the pattern
    is exported in its place. The input is passed on unchanged. The cache key includes the
    wall file's path, size and modification time.
    """

    type_id = "led_wall.LEDWallExport"
    version = 1
    category = "LED Wall"
    is_output = True
    cacheable = False
    inputs = (Input("source", doc="The wall canvas, scene-linear, at the canvas size."),)
    params = (
        Path("wall", doc="Wall definition file (.json, or .yaml): panels, walls, processors, raster maps."),
        Path("output_dir", default="led_export", doc="Folder the rasters, tiles, maps and report go to."),
        String("formats", default="dpx",
               doc="Raster formats, comma separated: dpx (10/12-bit), tiff (16-bit), exr (signal as float)."),
        Bool("tiles", default=False, doc="Also write one 16-bit PNG per cabinet each frame."),
        Choice("content", choices=tuple(c.value for c in Content),
               doc="picture: the input; or a test pattern exported in its place (checker, outline, "
                   "frame_counter for checking dropped frames and sync)."),
        Bool("patterns", default=True,
             doc="Write the checker and outline pattern rasters once per export (patterns/)."),
        *COLOUR_PARAMS,
        String("input_colorspace", default="auto",
               doc="Colour space of the input: auto (its tag, else the working space), or an OCIO name."),
        Choice("fit", choices=tuple(f.value for f in Fit),
               doc="exact: the input must be the canvas size; stretch: resample it to the canvas."),
    )

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A pattern does not read the input."""
        return {"source": request if params["content"] == Content.PICTURE else None}

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The wall file's path, size and modification time."""
        return wall_fingerprint(ctx.resolve_path(params["wall"]) if params["wall"] else "")

    @classmethod
    def output_files(cls, ctx: EvalContext, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The rasters (and tiles) of `ctx.frame`, for resuming and checking a render."""
        loaded = wall_of(ctx, params)
        return tuple(_exporter(ctx, loaded, params).frame_files(_frame(ctx)))

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, wall: str, output_dir: str, formats: str, tiles: bool,
                content: str, patterns: bool, gamut: str, eotf: str, signal_range: str, bit_depth: str,
                peak_nits: float, scene_white_nits: float, input_colorspace: str, fit: str) -> Image:
        """Encode and write the frame; return `source` untouched (an empty canvas-sized image for patterns)."""
        params = dict(wall=wall, output_dir=output_dir, formats=formats, tiles=tiles, patterns=patterns,
                      gamut=gamut, eotf=eotf, signal_range=signal_range, bit_depth=bit_depth,
                      peak_nits=peak_nits, scene_white_nits=scene_white_nits)
        loaded = wall_of(ctx, params)
        exporter = _exporter(ctx, loaded, params)
        colour = loaded.stage.colour
        signal = encoder_for(colour.eotf, colour.bit_depth, colour.range, colour.peak_nits, colour.gamma)
        white = colour.scene_white_nits / unit_nits(colour)
        ctx.progress(0.05, "encoding")
        outline = None
        if source is None or content != Content.PICTURE:
            level = pattern_canvas.levels(signal, white)
            containers = _pattern(loaded, Content(content), level, _frame(ctx))
            outline = level if content == Content.OUTLINE else None
            stats = FrameStats(pixels=containers.shape[0] * containers.shape[1])
            width, height = loaded.plan.canvas
            source = Image(np.zeros((0, 0, 4), np.float32), RGBA, Box(0, 0, 0, 0), Box(0, 0, width, height))
        else:
            width, height = loaded.plan.canvas
            pixels, rgb = canvas_rgb(ctx, source, width, height, fit)
            containers, stats = canvas_encoder(ctx, loaded, source, input_colorspace).encode(pixels, rgb)
        ctx.progress(0.4, "writing")
        exporter.ensure_static(signal, white, loaded.path)
        exporter.export_frame(containers, _frame(ctx), ctx.check_cancelled, outline)
        exporter.record_frame(_frame(ctx), stats, loaded.path)
        if stats.clipped:
            ctx.warn(f"{stats.clipped} pixels ({100.0 * stats.clipped / max(1, stats.pixels):.3g}%) were above "
                     f"the wall's peak of {colour.peak_nits:g} nits (brightest {stats.max_nits:.0f}) and were clipped")
        return source


def canvas_encoder(ctx: EvalContext, loaded: LoadedWall, source: Image, input_colorspace: str) -> CanvasEncoder:
    """The encoder from the input's colour space to the wall's signal (WallError naming the node's file)."""
    space = input_colorspace if input_colorspace not in ("", "auto") else (source.colorspace or ctx.working_space)
    try:
        return CanvasEncoder(ctx.colour.config, ctx.colour.cache_id, ctx.colour.canonical(space),
                             loaded.stage.colour)
    except WallError as exc:
        raise ctx.error(exc.reason, path=loaded.path, hint=exc.hint) from None


def _pattern(loaded: LoadedWall, content: Content, level: dict[str, int], frame: int) -> np.ndarray:
    plan = loaded.plan
    if content is Content.CHECKER:
        return pattern_canvas.checker(plan, level)
    if content is Content.OUTLINE:
        return pattern_canvas.grid(plan, level)
    return pattern_canvas.frame_counter(plan, level, frame, max(1, round(plan.stage.timing.fps)))


def _exporter(ctx: EvalContext, loaded: LoadedWall, params: Mapping[str, Any]) -> WallExport:
    options = ExportOptions(out_dir=ctx.resolve_path(params["output_dir"] or "led_export"),
                            formats=parse_formats(params["formats"]), tiles=params["tiles"],
                            patterns=params["patterns"])
    key = hashlib.sha1(repr((loaded.key, options.formats[0], options.patterns)).encode(),
                       usedforsecurity=False).hexdigest()[:16]
    return WallExport(loaded.plan, options, key)


def _frame(ctx: EvalContext) -> int:
    return math.floor(ctx.frame + 0.5)
