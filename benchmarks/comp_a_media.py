"""Synthetic input media for the comp-A benchmark.

comp-A composites a premultiplied RGBA foreground sequence over an opaque background
sequence. The benchmark needs inputs that look like real plates as far as the codec and
the maths are concerned:

* film grain on every pixel, so EXR zip compression cannot shrink the files to nothing
  and decode/encode cost is realistic;
* smooth gradients and moving soft shapes, so frames differ from each other (no caching
  trick can reuse a previous frame's result);
* a foreground with genuine transparency (alpha 0 outside the shapes, soft edges), so
  ``over`` is not a plain copy of either input.

Frames are written as RGBA half EXR with zip compression, named ``bg.%04d.exr`` and
``fg.%04d.exr`` for frames 1..N. Generation is deterministic for a given ``seed`` and is
skipped when a ``manifest.json`` with the same parameters exists and every file is there
with the right resolution.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import OpenImageIO as oiio

#: Bump when the image content changes, so old media on disk is regenerated.
MEDIA_VERSION = 1
BG_PATTERN = "bg.%04d.exr"
FG_PATTERN = "fg.%04d.exr"
MANIFEST = "manifest.json"
GRAIN_SIGMA = 0.02


def write_exr(path: Path, pixels: np.ndarray) -> None:
    """Write an (h, w, 4) float32 array as RGBA half EXR, zip; raise on any OIIO error.

    Float32 pixels are handed to OIIO, which converts to half while writing — the same
    path the benchmark peers use for their output.
    """
    height, width, nchannels = pixels.shape
    spec = oiio.ImageSpec(width, height, nchannels, "half")
    spec.channelnames = ("R", "G", "B", "A")[:nchannels]
    spec.alpha_channel = 3 if nchannels == 4 else -1
    spec.attribute("compression", "zip")
    out = oiio.ImageOutput.create(str(path))
    if out is None:
        raise OSError(f"cannot create an image writer for {path}: {oiio.geterror()}")
    try:
        if not out.open(str(path), spec):
            raise OSError(f"cannot open {path} for writing: {out.geterror()}")
        if not out.write_image(np.ascontiguousarray(pixels, dtype=np.float32)):
            raise OSError(f"cannot write {path}: {out.geterror()}")
    finally:
        ok = out.close()
    if not ok or out.has_error:
        raise OSError(f"cannot finish writing {path}: {out.geterror()}")


def _smoothstep_edge(dist: np.ndarray, softness: float) -> np.ndarray:
    """Coverage from a signed distance (negative inside): 1 inside, 0 outside, smooth ramp."""
    t = np.clip(0.5 - dist / softness, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _window(cx: float, cy: float, rx: float, ry: float, width: int, height: int) -> tuple[slice, slice]:
    """Pixel window covering a shape's bounding box, clipped to the frame."""
    x0 = max(0, int(math.floor(cx - rx)))
    x1 = min(width, int(math.ceil(cx + rx)) + 1)
    y0 = max(0, int(math.floor(cy - ry)))
    y1 = min(height, int(math.ceil(cy + ry)) + 1)
    return slice(y0, max(y0, y1)), slice(x0, max(x0, x1))


def _background(width: int, height: int, frame: int, seed: int) -> np.ndarray:
    """Opaque plate: moving gradient + drifting soft blobs + grain; alpha 1."""
    rng = np.random.default_rng([seed, frame, 0])
    layout = np.random.default_rng([seed, 0xB6])  # same shapes on every frame, moving
    t = float(frame)
    x = (np.arange(width, dtype=np.float32) + 0.5) / width
    y = (np.arange(height, dtype=np.float32) + 0.5) / height
    img = np.empty((height, width, 4), dtype=np.float32)
    phase = 0.05 * t
    # Per-channel gradient: a linear ramp in x and y plus a slow sinusoid in x.
    for c, (ax, ay, base) in enumerate(((0.35, 0.15, 0.10), (0.20, 0.30, 0.12), (0.10, 0.25, 0.18))):
        gx = ax * x + 0.05 * np.sin(2.0 * np.pi * (x * (c + 1) + phase))
        img[:, :, c] = base + ay * y[:, None] + gx[None, :]
    # Soft blobs (gaussian falloff), evaluated only inside their 3-sigma box.
    scale = min(width, height)
    for _ in range(6):
        r = float(layout.uniform(0.08, 0.2)) * scale
        cx = float(layout.uniform(0, width)) + float(layout.uniform(-4, 4)) * t * scale / 270
        cy = float(layout.uniform(0, height)) + float(layout.uniform(-2, 2)) * t * scale / 270
        colour = layout.uniform(0.0, 0.6, size=3).astype(np.float32)
        ys, xs = _window(cx, cy, 3 * r, 3 * r, width, height)
        if ys.start == ys.stop or xs.start == xs.stop:
            continue
        dx = (np.arange(xs.start, xs.stop, dtype=np.float32) + 0.5 - cx) ** 2
        dy = (np.arange(ys.start, ys.stop, dtype=np.float32) + 0.5 - cy) ** 2
        falloff = np.exp(-(dy[:, None] + dx[None, :]) / (2 * r * r))
        img[ys, xs, :3] += falloff[:, :, None] * colour
    grain = rng.standard_normal((height, width, 3), dtype=np.float32)
    grain *= GRAIN_SIGMA
    img[:, :, :3] += grain
    img[:, :, 3] = 1.0
    return img


def _foreground(width: int, height: int, frame: int, seed: int) -> np.ndarray:
    """Premultiplied element: a few moving soft discs and rectangles, grain inside, alpha 0 outside.

    Colours stay non-negative (grain is clipped at 0), so every graded value
    ``in * 1.2 + 0.01`` is positive and every peer takes the same ``pow`` path.
    """
    rng = np.random.default_rng([seed, frame, 1])
    layout = np.random.default_rng([seed, 0xF6])
    t = float(frame)
    scale = min(width, height)
    colour = np.zeros((height, width, 3), dtype=np.float32)  # unpremultiplied
    alpha = np.zeros((height, width), dtype=np.float32)
    softness = max(1.0, 0.02 * scale)
    for i in range(6):
        disc = i % 2 == 0
        rx = float(layout.uniform(0.1, 0.22)) * scale
        ry = rx if disc else float(layout.uniform(0.08, 0.18)) * scale
        cx = float(layout.uniform(0.15, 0.85)) * width + float(layout.uniform(-6, 6)) * t * scale / 270
        cy = float(layout.uniform(0.15, 0.85)) * height + float(layout.uniform(-3, 3)) * t * scale / 270
        rgb = layout.uniform(0.1, 1.5, size=3).astype(np.float32)
        opacity = float(layout.uniform(0.6, 1.0))
        pad = 2 * softness
        ys, xs = _window(cx, cy, rx + pad, ry + pad, width, height)
        if ys.start == ys.stop or xs.start == xs.stop:
            continue
        dx = np.arange(xs.start, xs.stop, dtype=np.float32) + 0.5 - cx
        dy = np.arange(ys.start, ys.stop, dtype=np.float32) + 0.5 - cy
        if disc:
            dist = np.sqrt(dy[:, None] ** 2 + dx[None, :] ** 2) - rx
        else:
            dist = np.maximum(np.abs(dy)[:, None] - ry, np.abs(dx)[None, :] - rx)
        cover = _smoothstep_edge(dist, softness) * opacity
        # Unpremultiplied "over" of this shape onto the layers below it.
        a_below = alpha[ys, xs]
        a_out = cover + a_below * (1.0 - cover)
        safe = np.where(a_out > 0, a_out, 1.0)
        colour[ys, xs] = (rgb * cover[:, :, None] + colour[ys, xs] * (a_below * (1 - cover))[:, :, None]) / (
            safe[:, :, None]
        )
        alpha[ys, xs] = a_out
    grain = rng.standard_normal((height, width, 3), dtype=np.float32)
    grain *= GRAIN_SIGMA
    colour += grain
    np.maximum(colour, 0.0, out=colour)
    img = np.empty((height, width, 4), dtype=np.float32)
    np.multiply(colour, alpha[:, :, None], out=img[:, :, :3])  # premultiply; 0 where alpha is 0
    img[:, :, 3] = alpha
    return img


def _image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from the file header, or None if it cannot be read."""
    inp = oiio.ImageInput.open(str(path))
    if inp is None:
        oiio.geterror()  # clear the pending global error
        return None
    try:
        spec = inp.spec()
        return spec.width, spec.height
    finally:
        inp.close()


def _is_complete(root: Path, params: dict[str, Any]) -> bool:
    """True when the manifest matches ``params`` and every frame exists at the right size."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        return False
    try:
        stored = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return False
    if stored.get("params") != params:
        return False
    size = (params["width"], params["height"])
    for frame in range(1, params["frames"] + 1):
        for pattern in (BG_PATTERN, FG_PATTERN):
            path = root / (pattern % frame)
            if not path.is_file() or _image_size(path) != size:
                return False
    return True


def generate(dirpath: str | Path, width: int, height: int, frames: int, seed: int = 0) -> dict[str, Any]:
    """Write ``bg.%04d.exr`` and ``fg.%04d.exr`` for frames 1..``frames`` into ``dirpath``.

    Returns the manifest: ``params`` (width, height, frames, seed, version), the two
    filename patterns, ``dir``, and ``generated`` (False when existing media was reused).
    """
    if width < 1 or height < 1 or frames < 1:
        raise ValueError(f"bad media size {width}x{height}, {frames} frames")
    root = Path(dirpath)
    root.mkdir(parents=True, exist_ok=True)
    params = {"width": width, "height": height, "frames": frames, "seed": seed, "version": MEDIA_VERSION}
    manifest: dict[str, Any] = {"params": params, "bg": BG_PATTERN, "fg": FG_PATTERN, "dir": str(root)}
    if _is_complete(root, params):
        return {**manifest, "generated": False}
    (root / MANIFEST).unlink(missing_ok=True)  # a half-written set must never look complete
    for frame in range(1, frames + 1):
        write_exr(root / (BG_PATTERN % frame), _background(width, height, frame, seed))
        write_exr(root / (FG_PATTERN % frame), _foreground(width, height, frame, seed))
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return {**manifest, "generated": True}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Generate comp-A input media.")
    parser.add_argument("dir")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(generate(args.dir, args.width, args.height, args.frames, args.seed)))
