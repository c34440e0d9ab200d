"""Review proxies: a QuickTime of delivered frames with burn-ins and a slate, for editorial and the client.

Made after the render from the delivered files (a movie is encoded in frame order, which a
parallel render does not give): each frame is read with OpenImageIO, taken through the OCIO
display/view (default: the config's default view for Rec.1886 Rec.709) after scaling to the
proxy size, burnt in (shot and version top left, frame top right, timecode bottom left, task bottom
right) and encoded with PyAV: H.264 (`h264`, yuv420p, CRF 18) or ProRes 422 HQ (`prores`,
yuv422p10). A slate frame comes first (shot, sequence, task, version, frame range, duration, fps,
colour, date, notes, and a thumbnail of the first frame). The movie carries the timecode of its
first picture frame (the slate sits one frame before it).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import OpenImageIO as oiio
import PyOpenColorIO as ocio

from plugins.delivery import timecode
from plugins.delivery.naming import frame_path

DISPLAY = "Rec.1886 Rec.709 - Display"
FONT = "DroidSansMono"
CODECS = {
    "h264": ("libx264", "yuv420p", {"crf": "18", "preset": "medium"}),
    "prores": ("prores_ks", "yuv422p10le", {"profile": "3"}),
}


class ReviewError(Exception):
    """A proxy that cannot be made (a frame that does not read, an unknown codec or view)."""


@dataclass
class ReviewSettings:
    """What goes on the proxy.

    Attributes:
        shot, sequence, task, version: burnt in and on the slate.
        fps: frame rate of the movie.
        start_timecode: timecode of the first picture frame (empty: counted from frame 0).
        colorspace: colour space of the files; empty: the file header's `nodecomp/colorspace`,
            else `oiio:ColorSpace`.
        display, view: the OCIO display and view (empty view: the display's default).
        width: proxy width in pixels (height follows the aspect, both even); 0 keeps the size.
        codec: `h264` or `prores`.
        slate: put a slate frame first.
        notes: extra lines for the slate.
        config: OCIO config (empty: $OCIO, else the built-in studio config).
    """

    shot: str = ""
    sequence: str = ""
    task: str = ""
    version: int = 0
    fps: float = 24.0
    start_timecode: str = ""
    colorspace: str = ""
    display: str = DISPLAY
    view: str = ""
    width: int = 1280
    codec: str = "h264"
    slate: bool = True
    notes: list[str] = field(default_factory=list)
    config: str = ""


def _config(source: str) -> ocio.Config:
    if source:
        return ocio.Config.CreateFromFile(source)
    if os.environ.get("OCIO"):
        return ocio.Config.CreateFromEnv()
    return ocio.Config.CreateFromFile("ocio://studio-config-latest")


def _read(path: str) -> tuple[np.ndarray, oiio.ImageSpec]:
    image = oiio.ImageInput.open(path)
    if image is None:
        raise ReviewError(f"cannot read {path}: {oiio.geterror()}")
    try:
        spec = image.spec()
        pixels = image.read_image(0, 0, 0, min(spec.nchannels, 3), "float")
        if pixels is None or image.has_error:
            raise ReviewError(f"cannot read {path}: {image.geterror()}")
    finally:
        image.close()
    if pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    return np.ascontiguousarray(pixels[..., :3], dtype=np.float32), spec


def _size(width: int, height: int, target: int) -> tuple[int, int]:
    if target <= 0:
        target = width
    scaled = max(2, round(height * target / width))
    return target - target % 2, scaled - scaled % 2


def _resize(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    if pixels.shape[1] == width and pixels.shape[0] == height:
        return pixels
    src = oiio.ImageBuf(pixels)
    out = oiio.ImageBufAlgo.resize(src, roi=oiio.ROI(0, width, 0, height, 0, 1, 0, 3))
    return out.get_pixels(oiio.FLOAT)


def _text(pixels: np.ndarray, x: int, y: int, text: str, size: int, align: str = "left") -> None:
    """Burn `text` in place: a dark box behind white letters, readable on any picture."""
    buf = oiio.ImageBuf(pixels)
    box = oiio.ImageBufAlgo.text_size(text, size, FONT)
    width = box.width if box.defined else size * len(text) * 3 // 5
    left = x - width if align == "right" else x
    oiio.ImageBufAlgo.fill(buf, (0.0, 0.0, 0.0), oiio.ROI(max(0, left - 4), min(pixels.shape[1], left + width + 4),
                                                         max(0, y - size), min(pixels.shape[0], y + size // 4 + 2)))
    if not oiio.ImageBufAlgo.render_text(buf, left, y, text, size, FONT, (1.0, 1.0, 1.0)):
        raise ReviewError(f"cannot draw text: {buf.geterror() or oiio.geterror()}")
    pixels[...] = buf.get_pixels(oiio.FLOAT)


def _burn_ins(pixels: np.ndarray, settings: ReviewSettings, frame: int, tc: str) -> None:
    height, width = pixels.shape[:2]
    size = max(10, height // 24)
    margin = size // 2
    title = " ".join(v for v in (settings.sequence, settings.shot) if v) + f" v{settings.version:03d}"
    _text(pixels, margin, margin + size, title.strip(), size)
    _text(pixels, width - margin, margin + size, str(frame), size, "right")
    _text(pixels, margin, height - margin, tc, size)
    if settings.task:
        _text(pixels, width - margin, height - margin, settings.task, size, "right")


def _slate(width: int, height: int, settings: ReviewSettings, frames: Sequence[int], first_picture: np.ndarray,
           start_tc: str) -> np.ndarray:
    slate = np.full((height, width, 3), 0.08, dtype=np.float32)
    size = max(10, height // 20)
    lines = [
        f"{settings.sequence} {settings.shot}".strip() or "review",
        f"task {settings.task or '-'}   version v{settings.version:03d}",
        f"frames {frames[0]}-{frames[-1]} ({len(frames)})   {settings.fps:g} fps",
        f"timecode {start_tc}",
        f"display {settings.display}",
        f"view {settings.view}",
        f"date {datetime.date.today().isoformat()}",
        *settings.notes,
    ]
    for index, line in enumerate(lines):
        _text(slate, size, size * 2 + index * int(size * 1.5), line, size)
    thumb_w, thumb_h = _size(first_picture.shape[1], first_picture.shape[0], width // 3)
    thumb = _resize(first_picture, thumb_w, thumb_h)
    top, left = height - thumb_h - size, width - thumb_w - size
    if top > 0 and left > 0:
        slate[top:top + thumb_h, left:left + thumb_w] = thumb
    return slate


def write_review(pattern: str, frames: Sequence[int], output: str, settings: ReviewSettings) -> int:
    """Encode `frames` of `pattern` (`%04d` or `####`) into the movie `output`; returns frames written.

    Raises:
        ReviewError: an unknown codec, display or view, or a frame that does not read.
    """
    import av

    from plugins.delivery.checks import sequence_pattern

    if settings.codec not in CODECS:
        raise ReviewError(f"unknown codec {settings.codec!r} (use {', '.join(CODECS)})")
    if not frames:
        raise ReviewError("no frames to encode")
    printf = sequence_pattern(pattern)
    config = _config(settings.config)
    view = settings.view or config.getDefaultView(settings.display)
    if not view:
        raise ReviewError(f"the OCIO config has no display {settings.display!r}")
    settings.view = view
    first, spec = _read(frame_path(printf, frames[0]))
    source = settings.colorspace or spec.get_string_attribute("nodecomp/colorspace") or \
        spec.get_string_attribute("oiio:ColorSpace") or "ACES2065-1"
    if config.getColorSpace(source) is None:
        raise ReviewError(f"colour space {source!r} of {pattern} is not in the OCIO config; set colorspace")
    transform = ocio.DisplayViewTransform(src=source, display=settings.display, view=view)
    processor = config.getProcessor(transform).getDefaultCPUProcessor()
    width, height = _size(spec.width, spec.height, settings.width)
    codec, pix_fmt, options = CODECS[settings.codec]
    rate = Fraction(settings.fps).limit_denominator(1001)
    start_tc = settings.start_timecode or timecode.from_frames(frames[0], settings.fps)
    movie_tc = timecode.offset(start_tc, -1, settings.fps) if settings.slate else start_tc

    def display(pixels: np.ndarray) -> np.ndarray:
        # Scale first (in the file's encoding), so the display transform, the slow part with
        # ACES 2.0 views, runs on the proxy's pixels only.
        pixels = np.ascontiguousarray(_resize(pixels, width, height), dtype=np.float32)
        processor.applyRGB(pixels)
        return np.clip(pixels, 0.0, 1.0)

    def encode(container: av.container.OutputContainer, stream: av.VideoStream, pixels: np.ndarray) -> None:
        if pix_fmt.endswith("10le"):
            frame = av.VideoFrame.from_ndarray(np.round(pixels * 65535).astype(np.uint16), format="rgb48le")
        else:
            frame = av.VideoFrame.from_ndarray(np.round(pixels * 255).astype(np.uint8), format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)

    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with av.open(output, "w") as container:
        container.metadata["timecode"] = movie_tc
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.options = dict(options)
        stream.codec_context.color_primaries = 1  # BT.709
        stream.codec_context.color_trc = 1
        stream.codec_context.colorspace = 1
        written = 0
        first_display = display(first)
        if settings.slate:
            encode(container, stream, _slate(width, height, settings, frames, first_display, start_tc))
            written += 1
        for index, frame in enumerate(frames):
            pixels = first_display.copy() if index == 0 else display(_read(frame_path(printf, frame))[0])
            _burn_ins(pixels, settings, frame, timecode.offset(start_tc, index, settings.fps))
            encode(container, stream, pixels)
            written += 1
        for packet in stream.encode(None):
            container.mux(packet)
    return written
