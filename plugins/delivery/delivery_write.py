"""DeliveryWrite: the files editorial or a DI house ingests, named, ranged and stamped for them."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Image, Input, Int, NodeType, Path, String, conform
from plugins.delivery import naming, timecode
from plugins.delivery.presets import PRESETS, Preset, PresetName
from plugins.delivery.writer import DeliveryWriteError, make_spec, write_atomic

CAMERA_KEYS = ("input/cameraModel", "input/Model", "input/dpx:InputDevice", "input/cameraMake", "input/Make")


class DeliveryWrite(NodeType):
    """Writes a shot's delivery files: a preset format, a templated name, the cut plus handles, and metadata.

    Presets: `aces_exr` (ACES container, ST 2065-4: half float, uncompressed, ACES2065-1, with
    `acesImageContainerFlag` and AP0 `chromaticities`), `aces_exr_piz` (the same, PIZ-compressed,
    without the container flag), `dpx_acescct` and `dpx_adx10` (10-bit log DPX, RGB).

    The file name is a template: `deliveries/<shot>/<shot>_<task>_v###.####.exr` (tokens
    `<shot>`, `<sequence>`, `<task>`, `<version>`, `<camera>`; `v###` is the padded version,
    the other `####` the frame). Only frames from `cut_in - handles` to `cut_out + handles` are
    written; other frames pass through with a warning, so rendering a longer range is safe.

    Every file carries the timecode (`start_timecode` at the first delivered frame, else the
    source plate's, else counted from 00:00:00:00 at frame 0), the document's fps, shot,
    sequence, task and version (`nodecomp/shot`...), the colour space (`oiio:ColorSpace`), the
    camera (`camera`, else the plate's camera model) and the `metadata` lines. Pixels are the
    display window, converted from the working space to the preset's colour space; DPX values
    are clipped to 0..1. Files are written atomically (temporary name, then rename).
    """

    type_id = "delivery.DeliveryWrite"
    version = 1
    category = "IO"
    is_output = True
    cacheable = False
    inputs = (Input("source", doc="The final comp, in the working colour space."),)
    params = (
        Path("file", default="deliveries/<shot>/<shot>_<task>_v###.####.exr",
             doc="Name template: <shot>, <sequence>, <task>, <version>, <camera>; v### the version; #### the frame."),
        Choice("preset", default=PresetName.ACES_EXR.value, choices=tuple(p.value for p in PresetName),
               doc="aces_exr, aces_exr_piz, dpx_acescct or dpx_adx10 (see the node's description)."),
        String("shot", doc="Shot name, e.g. sh010."),
        String("sequence", doc="Sequence name, e.g. sq01."),
        String("task", default="comp", doc="Task or department, e.g. comp, roto, plate."),
        Int("version", default=1, min=0, max=9999, doc="Version number of this delivery."),
        Int("cut_in", default=1001, doc="First frame of the cut."),
        Int("cut_out", default=1100, doc="Last frame of the cut."),
        Int("handles", default=0, min=0, max=1000, doc="Frames delivered before the cut in and after the cut out."),
        String("start_timecode",
               doc="Timecode of the first delivered frame (HH:MM:SS:FF); empty: the source plate's timecode."),
        String("camera", doc="Camera model; empty: the source plate's (cameraModel, Model or DPX input device)."),
        Bool("alpha", default=False, doc="Write alpha too (EXR presets only; DPX deliveries are RGB)."),
        String("metadata", multiline=True, doc="Extra key=value lines stored as string attributes."),
    )

    @classmethod
    def output_files(cls, ctx: EvalContext, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The file of `ctx.frame`, or nothing outside the delivered range."""
        frame = math.floor(ctx.frame + 0.5)
        delivered, pattern = _plan(ctx, params)
        return (naming.frame_path(pattern, frame),) if frame in delivered else ()

    @staticmethod
    def compute(ctx: EvalContext, source: Image, file: str, preset: str, shot: str, sequence: str, task: str,
                version: int, cut_in: int, cut_out: int, handles: int, start_timecode: str, camera: str,
                alpha: bool, metadata: str) -> Image:
        """Write the frame's file (inside the delivered range) and return `source` untouched."""
        params = dict(file=file, shot=shot, sequence=sequence, task=task, version=version, camera=camera,
                      cut_in=cut_in, cut_out=cut_out, handles=handles)
        frame = math.floor(ctx.frame + 0.5)
        delivered, pattern = _plan(ctx, params)
        if frame not in delivered:
            ctx.warn(f"frame {frame} is outside the delivered range {delivered.first}-{delivered.last}: not written")
            return source
        spec = PRESETS[PresetName(preset)]
        path = naming.frame_path(pattern, frame)
        if os.path.splitext(path)[1].lower() != f".{spec.extension}":
            raise ctx.error(f"preset {preset} writes .{spec.extension} files", path=path,
                            hint=f"end the file name with .{spec.extension}")
        channels = ["R", "G", "B"] + (["A"] if alpha and spec.alpha and source.has("A") else [])
        pixels = _encode(ctx, source, spec, channels)
        try:
            attributes = _attributes(ctx, source, spec, params, frame, delivered, start_timecode, metadata)
        except (ValueError, timecode.TimecodeError) as exc:
            raise ctx.error(str(exc), path=path, hint="fix start_timecode or the metadata lines") from None
        folder = os.path.dirname(path)
        try:
            os.makedirs(folder, exist_ok=True)
            box = source.display_window
            write_atomic(path, spec, make_spec(spec, box.width, box.height, channels, attributes), pixels,
                         before_commit=ctx.check_cancelled)
        except (DeliveryWriteError, OSError) as exc:
            raise ctx.error(str(exc), path=path, hint="check the folder is writable and has space") from None
        return source


def _plan(ctx: EvalContext, params: Mapping[str, Any]) -> tuple[naming.DeliveredRange, str]:
    """The delivered range and the resolved file pattern (`%0Nd` for the frame)."""
    try:
        delivered = naming.DeliveredRange(int(params["cut_in"]), int(params["cut_out"]), int(params["handles"]))
        pattern = naming.expand(params["file"], params)
    except naming.TemplateError as exc:
        raise ctx.error(str(exc), path=params["file"] or None,
                        hint="set shot, task and version, and keep one #### frame token") from None
    return delivered, ctx.resolve_path(pattern)


def _encode(ctx: EvalContext, source: Image, preset: Preset, channels: list[str]) -> np.ndarray:
    """The display window's pixels in the preset's colour space (premultiplied colour, as composited)."""
    pixels = conform(source, source.display_window, channels)
    space = ctx.colour.canonical(preset.colorspace)
    pixels[..., :3] = ctx.colour.convert(np.ascontiguousarray(pixels[..., :3]),
                                         source.colorspace or ctx.working_space, space, [0, 1, 2])
    if not preset.is_exr:
        np.clip(pixels, 0.0, 1.0, out=pixels)
    return pixels


def _fps_rational(fps: float) -> tuple[int, int]:
    """23.976 -> (24000, 1001), 25 -> (25, 1): the exact rate EXR's framesPerSecond holds."""
    ntsc = round(fps * 1.001)
    if abs(fps * 1.001 - ntsc) < 0.005 and abs(fps - round(fps)) > 0.005:
        return ntsc * 1000, 1001
    fraction = Fraction(fps).limit_denominator(1001)
    return fraction.numerator, fraction.denominator


def _frame_timecode(source: Image, frame: int, delivered: naming.DeliveredRange, start: str, fps: float) -> str:
    if start.strip():
        return timecode.offset(start.strip(), frame - delivered.first, fps)
    plate = source.metadata.get("input/timecode")
    if isinstance(plate, str) and plate:
        return plate
    return timecode.from_frames(frame, fps)


def _attributes(ctx: EvalContext, source: Image, preset: Preset, params: Mapping[str, Any], frame: int,
                delivered: naming.DeliveredRange, start_timecode: str, metadata: str,
                ) -> list[tuple[str, str | None, Any]]:
    fps = float(ctx.metadata.get("fps") or 24.0)
    tc = _frame_timecode(source, frame, delivered, start_timecode, fps)
    camera = params["camera"] or next((str(source.metadata[k]) for k in CAMERA_KEYS if source.metadata.get(k)), "")
    label = " ".join(str(v) for v in (params["sequence"], params["shot"], params["task"]) if v)
    attributes: list[tuple[str, str | None, Any]] = [
        ("smpte:TimeCode", "timecode", timecode.pack(tc)),
        ("oiio:ColorSpace", None, preset.colorspace_tag or ctx.colour.canonical(preset.colorspace)),
        ("nodecomp/colorspace", None, ctx.colour.canonical(preset.colorspace)),
        ("ImageDescription", None, f"{label} v{int(params['version']):03d} frame {frame}".strip()),
        ("nodecomp/frame", "int", frame),
        ("nodecomp/version", "int", int(params["version"])),
        ("nodecomp/cut", None, f"{delivered.cut_in}-{delivered.cut_out}"),
        ("nodecomp/handles", "int", delivered.handles),
        ("nodecomp/fps", "float", fps),
        ("nodecomp/node", None, ctx.node),
        ("nodecomp/document", None, str(ctx.metadata.get("document", ""))),
    ]
    for key in ("shot", "sequence", "task"):
        if params[key]:
            attributes.append((f"nodecomp/{key}", None, str(params[key])))
    if camera:
        attributes.append(("nodecomp/camera", None, camera))
        attributes.append(("cameraModel" if preset.is_exr else "dpx:InputDevice", None, camera))
    if preset.is_exr:
        attributes.append(("framesPerSecond", "rational", _fps_rational(fps)))
    else:
        attributes.append(("dpx:FrameRate", "float", fps))
    for number, raw in enumerate(metadata.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"metadata line {number} ({line!r}) is not key=value")
        attributes.append((key.strip(), None, value.strip()))
    return attributes
