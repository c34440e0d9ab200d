"""An OpenTimelineIO timeline of delivered shots, so editorial can relink the renders.

One clip per shot, in the order given, on one video track. Each clip's media is an
`ImageSequenceReference` to the delivered files (a `file://` URL folder, prefix, suffix, start
frame, padding and rate); its available range is every delivered frame (handles included) and
the clip's source range is the cut. The clip's metadata holds `nodecomp`: shot, sequence, task,
version, timecode of the first delivered frame and colour space.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.delivery import naming, timecode
from plugins.delivery.presets import PRESETS, PresetName


@dataclass(frozen=True)
class DeliveredShot:
    """What editorial needs to relink one shot.

    Attributes:
        shot: the clip name.
        pattern: absolute file pattern with `%0Nd` for the frame.
        cut_in, cut_out, handles: the cut and its handles (frames).
        fps: frame rate.
        sequence, task, version, start_timecode, colorspace: carried into the clip's metadata.
    """

    shot: str
    pattern: str
    cut_in: int
    cut_out: int
    handles: int
    fps: float
    sequence: str = ""
    task: str = ""
    version: int = 0
    start_timecode: str = ""
    colorspace: str = ""


def shot_from_node(node: Any, *, fps: float, document_dir: str) -> DeliveredShot:
    """The DeliveredShot a DeliveryWrite node renders (`node[...]` reads its params).

    Args:
        node: a DeliveryWrite node of a document.
        fps: the document's frame rate.
        document_dir: folder relative file names resolve against (the script's folder).
    """
    params = {name: node[name] for name in ("file", "shot", "sequence", "task", "version", "camera",
                                            "cut_in", "cut_out", "handles", "start_timecode", "preset")}
    pattern = naming.expand(params["file"], params)
    pattern = os.path.normpath(os.path.join(document_dir, os.path.expandvars(os.path.expanduser(pattern))))
    return DeliveredShot(
        shot=params["shot"], pattern=pattern, cut_in=params["cut_in"], cut_out=params["cut_out"],
        handles=params["handles"], fps=fps, sequence=params["sequence"], task=params["task"],
        version=params["version"], start_timecode=params["start_timecode"],
        colorspace=PRESETS[PresetName(params["preset"])].colorspace,
    )


def _reference(shot: DeliveredShot, otio: Any) -> Any:
    delivered = naming.DeliveredRange(shot.cut_in, shot.cut_out, shot.handles)
    folder, name = os.path.split(shot.pattern)
    prefix, _, rest = name.partition("%0")
    digits, _, suffix = rest.partition("d")
    rate = float(shot.fps)
    available = otio.opentime.TimeRange(otio.opentime.RationalTime(delivered.first, rate),
                                        otio.opentime.RationalTime(len(delivered.frames), rate))
    return otio.schema.ImageSequenceReference(
        target_url_base=Path(folder).as_uri() + "/", name_prefix=prefix, name_suffix=suffix,
        start_frame=delivered.first, frame_step=1, rate=rate, frame_zero_padding=int(digits),
        available_range=available,
    )


def build_timeline(shots: Iterable[DeliveredShot], name: str = "deliveries") -> Any:
    """The timeline: one clip per shot (source range = the cut) on one video track."""
    import opentimelineio as otio

    track = otio.schema.Track(name="renders", kind=otio.schema.TrackKind.Video)
    for shot in shots:
        rate = float(shot.fps)
        cut = otio.opentime.TimeRange(otio.opentime.RationalTime(shot.cut_in, rate),
                                      otio.opentime.RationalTime(shot.cut_out - shot.cut_in + 1, rate))
        info: Mapping[str, Any] = {"shot": shot.shot, "sequence": shot.sequence, "task": shot.task,
                                   "version": shot.version, "colorspace": shot.colorspace,
                                   "cut_in": shot.cut_in, "cut_out": shot.cut_out, "handles": shot.handles}
        if shot.start_timecode:
            info = {**info, "start_timecode": shot.start_timecode,
                    "cut_in_timecode": timecode.offset(shot.start_timecode, shot.handles, rate)}
        track.append(otio.schema.Clip(name=shot.shot, media_reference=_reference(shot, otio), source_range=cut,
                                      metadata={"nodecomp": dict(info)}))
    return otio.schema.Timeline(name=name, tracks=[track])


def export_otio(shots: Iterable[DeliveredShot], path: str, name: str = "deliveries") -> Any:
    """Write the timeline to `path` (`.otio`, or any adapter OTIO picks by extension); returns it."""
    import opentimelineio as otio

    timeline = build_timeline(shots, name)
    otio.adapters.write_to_file(timeline, path)
    return timeline
