"""Generated media as graph images: videos as frame sequences, images as holds.

A video is decoded once with PyAV into `<media>.frames/frame.NNNN.tif` beside it (8-bit RGB,
exactly what the file holds, uncompressed: written in a few milliseconds and read in fewer,
where PNG took 50 to 170 ms a 720p frame to write; the price is disk, 2.8 MB a 720p frame)
plus `info.json` with every frame's time. The folder is derived: deleting it costs a decode,
never a service call. A document frame `f` maps to the time
`(f - start_frame) / document fps` and is served by the source frame nearest that time, so a
24 fps clip in a 25 fps comp drops or repeats the nearest frames instead of changing speed.

Pixels are converted from the media's colour space (services deliver sRGB-encoded Rec.709) to
the working space and placed in the document format (`fit`, `fill`, `stretch` or `none`).
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from nodecomp.api import RGBA, Box, EvalContext, Image, resources
from plugins.cloud_generators.errors import CloudError, Failure, missing_package

FRAMES_SUFFIX = ".frames"
INFO = "info.json"
_decode_lock = threading.Lock()


class Fit(StrEnum):
    """How a result of another size is placed in the document format."""

    FIT = "fit"
    FILL = "fill"
    STRETCH = "stretch"
    NONE = "none"


class Outside(StrEnum):
    """Document frames before or after a clip."""

    HOLD = "hold"
    BLACK = "black"


@dataclass(frozen=True)
class Clip:
    """A decoded video: its frames folder, frame times (seconds) and size."""

    folder: Path
    times: tuple[float, ...]
    fps: float
    width: int
    height: int

    @property
    def count(self) -> int:
        """Number of frames."""
        return len(self.times)

    def frame_path(self, index: int) -> Path:
        """The image file of frame `index` (0-based)."""
        return self.folder / f"frame.{index + 1:04d}.tif"

    def nearest(self, seconds: float) -> int:
        """Index of the frame whose time is nearest `seconds` (clamped to the clip)."""
        position = bisect.bisect_left(self.times, seconds)
        if position <= 0:
            return 0
        if position >= self.count:
            return self.count - 1
        before, after = self.times[position - 1], self.times[position]
        return position - 1 if seconds - before <= after - seconds else position


def source_index(clip: Clip, frame: float, start_frame: int, fps: float, outside: str) -> int | None:
    """The clip frame serving document `frame`, or None for black outside the clip."""
    seconds = (float(frame) - float(start_frame)) / max(float(fps), 1e-6)
    first, last = clip.times[0], clip.times[-1] + (1.0 / clip.fps if clip.fps > 0 else 0.0)
    if outside == Outside.BLACK and not (first - 1e-6 <= seconds < last - 1e-6):
        return None
    return clip.nearest(seconds)


def decoded_clip(video: Path) -> Clip:
    """The frames of `video`, decoding them into `<video>.frames/` the first time."""
    folder = video.with_name(video.name + FRAMES_SUFFIX)
    clip = _read_info(folder)
    if clip is not None:
        return clip
    with _decode_lock:
        clip = _read_info(folder)
        if clip is None:
            clip = _decode(video, folder)
    return clip


def _read_info(folder: Path) -> Clip | None:
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    clip = Clip(folder, tuple(float(t) for t in info["times"]), float(info["fps"]), int(info["width"]),
                int(info["height"]))
    if not clip.times or not all(clip.frame_path(i).is_file() for i in (0, clip.count - 1)):
        return None
    return clip


def _decode(video: Path, folder: Path) -> Clip:
    try:
        import av
    except ImportError:
        raise missing_package("av (PyAV)", "av") from None
    temporary = Path(tempfile.mkdtemp(prefix=".decoding-", dir=video.parent))
    try:
        times: list[float] = []
        width = height = 0
        try:
            with av.open(str(video)) as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                rate = stream.average_rate or stream.guessed_rate or 0
                fps = float(rate) if rate else 0.0
                for index, frame in enumerate(container.decode(stream)):
                    rgb = frame.to_ndarray(format="rgb24")
                    height, width = rgb.shape[:2]
                    seconds = float(frame.time) if frame.time is not None else index / (fps or 24.0)
                    times.append(seconds)
                    cv2.imwrite(str(temporary / f"frame.{index + 1:04d}.tif"), np.ascontiguousarray(rgb[..., ::-1]),
                                [cv2.IMWRITE_TIFF_COMPRESSION, 1])  # 1: no compression
        except (av.FFmpegError, IndexError, OSError) as exc:
            raise CloudError(Failure.FAILED, f"the video cannot be decoded ({type(exc).__name__}: {exc})",
                             path=str(video), hint="the download may be damaged: delete its record to fetch "
                                                   "it again, or import a good copy") from None
        if not times:
            raise CloudError(Failure.FAILED, "the video has no frames", path=str(video))
        if not fps:
            fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 24.0
        origin = times[0]
        times = [t - origin for t in times]
        (temporary / INFO).write_text(json.dumps({"times": times, "fps": fps, "width": width, "height": height,
                                                  "source": video.name}), encoding="utf-8")
        if folder.exists():  # a stale or partial folder from an older run
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(temporary, folder)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    clip = _read_info(folder)
    if clip is None:
        raise CloudError(Failure.FAILED, "the decoded frames cannot be read back", path=str(folder))
    return clip


def read_media(path: Path) -> np.ndarray:
    """An 8- or 16-bit image file as RGB or RGBA (uint8 or uint16), as stored."""
    data = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if data is None:
        raise CloudError(Failure.FAILED, "the image cannot be read", path=str(path),
                         hint="the file may be damaged or in a format OpenCV does not read")
    if data.ndim == 2:
        data = np.repeat(data[..., None], 3, axis=2)
    order = [2, 1, 0, 3] if data.shape[2] == 4 else [2, 1, 0]
    return data[..., order]


def to_image(
    ctx: EvalContext, data: np.ndarray, colorspace: str, fit: str, metadata: dict[str, Any]
) -> Image:
    """8/16-bit RGB(A) in `colorspace` as a premultiplied float working-space image placed in the format."""
    height, width = data.shape[:2]
    scale = np.float32(65535.0 if data.dtype == np.uint16 else 255.0)
    alpha = data[..., 3:4].astype(np.float32) / scale if data.shape[2] == 4 \
        else np.ones((height, width, 1), dtype=np.float32)
    source = ctx.colour.canonical(colorspace.strip()) if colorspace.strip() else ctx.working_space
    table = separable_table(ctx, source) if data.dtype == np.uint8 else None
    if table is not None:
        colour = table.apply(data[..., :3])
    else:
        colour = np.ascontiguousarray(data[..., :3], dtype=np.float32) / scale
        colour = ctx.colour.convert(colour, source, ctx.working_space, [0, 1, 2])
    pixels = np.concatenate([colour * alpha, alpha], axis=2).astype(np.float32)
    box = ctx.format_box
    pixels, window = _place(pixels, box, Fit(fit))
    return Image(pixels, RGBA, window, box, pixel_aspect=ctx.format.pixel_aspect, metadata=metadata,
                 colorspace=ctx.working_space)


@dataclass(frozen=True)
class SeparableTable:
    """An 8-bit RGB colour conversion as three 256-entry tables: out = R[r] + G[g] + B[b] + offset.

    Exact for every transform of the form matrix(curve(rgb)) + offset (sRGB or Rec.709 encoded to a
    linear space: what services deliver), and about ten times faster than running OCIO on every
    pixel. `separable_table` only returns one after checking it against OCIO on sample colours.
    """

    tables: np.ndarray  # (3, 256, 3) float32
    offset: np.ndarray  # (3,) float32

    @property
    def nbytes(self) -> int:
        """Memory held (for the resource budget)."""
        return int(self.tables.nbytes + self.offset.nbytes)

    def apply(self, rgb8: np.ndarray) -> np.ndarray:
        """Float32 (H, W, 3) converted colour of uint8 (H, W, 3) values."""
        flat = rgb8.reshape(-1, 3)
        out = np.take(self.tables[0], flat[:, 0], axis=0)  # np.take: ~3x faster than fancy indexing here
        out += np.take(self.tables[1], flat[:, 1], axis=0)
        out += np.take(self.tables[2], flat[:, 2], axis=0)
        out += self.offset
        return out.reshape(rgb8.shape[:-1] + (3,))


def separable_table(ctx: EvalContext, source: str) -> SeparableTable | None:
    """The table converting 8-bit `source` colour to the working space, or None when it is not separable."""
    if ctx.colour.is_identity(source, ctx.working_space):
        return None
    key = ("cloud_generators.separable_table", ctx.colour.cache_id, source, ctx.working_space)
    return resources.get(key, lambda: _build_table(ctx, source), nbytes=lambda t: t.nbytes if t else 0)


def _build_table(ctx: EvalContext, source: str) -> SeparableTable | None:
    def convert(values: np.ndarray) -> np.ndarray:
        flat = np.ascontiguousarray(values.reshape(1, -1, 3), dtype=np.float32)
        return ctx.colour.convert(flat, source, ctx.working_space, [0, 1, 2]).reshape(values.shape)

    levels = np.arange(256, dtype=np.float32) / 255.0
    basis = np.zeros((3, 256, 3), dtype=np.float32)
    for channel in range(3):
        basis[channel, :, channel] = levels
    tables = convert(basis)
    black = tables[0, 0].copy()  # f(0, 0, 0); each table includes it once
    table = SeparableTable(tables=(tables - black).astype(np.float32), offset=black.astype(np.float32))
    sample = np.random.default_rng(0).integers(0, 256, size=(64, 64, 3), dtype=np.uint8)
    exact = convert(sample.astype(np.float32) / 255.0)
    if not np.allclose(table.apply(sample), exact, rtol=1e-4, atol=1e-5):
        return None
    return table


def _place(pixels: np.ndarray, box: Box, fit: Fit) -> tuple[np.ndarray, Box]:
    height, width = pixels.shape[:2]
    if fit is Fit.STRETCH:
        size = (box.width, box.height)
    elif fit is Fit.NONE:
        size = (width, height)
    else:
        pick = min if fit is Fit.FIT else max
        scale = pick(box.width / width, box.height / height)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size != (width, height):
        shrinking = size[0] < width or size[1] < height
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
        if pixels.ndim == 2:
            pixels = pixels[..., None]
    x0 = box.x0 + (box.width - size[0]) // 2
    y0 = box.y0 + (box.height - size[1]) // 2
    return np.ascontiguousarray(pixels, dtype=np.float32), Box(x0, y0, x0 + size[0], y0 + size[1])


def black(ctx: EvalContext, metadata: dict[str, Any]) -> Image:
    """Transparent black over the format (frames outside a clip with `outside` = black)."""
    box = ctx.format_box
    return Image(np.zeros((box.height, box.width, 4), dtype=np.float32), RGBA, box, box,
                 pixel_aspect=ctx.format.pixel_aspect, metadata=metadata, colorspace=ctx.working_space)

