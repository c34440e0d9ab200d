"""Deterministic demo media: a background plate and a foreground element with alpha.

Generated on first use so the repository carries no large binaries. Scene-linear ACEScg values,
RGBA half EXR with zip compression, like a real plate delivery.
"""

from __future__ import annotations

import json
import os

import numpy as np
import OpenImageIO as oiio

from nodecomp.core.errors import EvaluationError

WIDTH, HEIGHT, FRAMES = 960, 540, 48
VERSION = 1


def _write_exr(path: str, pixels: np.ndarray) -> None:
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "half")
    spec.channelnames = ("R", "G", "B", "A")
    spec.attribute("compression", "zip")
    out = oiio.ImageOutput.create(path)
    if out is None or not out.open(path, spec) or not out.write_image(pixels) or not out.close():
        raise EvaluationError(f"cannot write demo media: {oiio.geterror()}", path=path)


def _background(frame: int, yy: np.ndarray, xx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    t = frame / FRAMES
    sky = np.stack([0.18 + 0.25 * (1 - yy), 0.28 + 0.30 * (1 - yy), 0.55 + 0.35 * (1 - yy)], axis=-1)
    horizon = 0.62 + 0.03 * np.sin(xx * 9.0 + 1.3)
    ground = yy > horizon
    sky[ground] = np.stack([0.10 + 0.05 * xx, 0.14 + 0.04 * yy, 0.06 + 0.0 * xx], axis=-1)[ground]
    sun_x, sun_y = 0.2 + 0.6 * t, 0.3 - 0.1 * np.sin(np.pi * t)
    sun = np.exp(-(((xx - sun_x) * 1.78) ** 2 + (yy - sun_y) ** 2) / 0.004)
    sky += sun[..., None] * np.array([4.0, 3.2, 1.8])
    sky += rng.normal(0.0, 0.01, sky.shape)
    alpha = np.ones(sky.shape[:2] + (1,))
    return np.concatenate([np.clip(sky, 0, None), alpha], axis=-1).astype(np.float32)


def _foreground(frame: int, yy: np.ndarray, xx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    t = frame / FRAMES
    cx, cy = 0.75 - 0.5 * t, 0.55 + 0.08 * np.sin(2 * np.pi * t)
    dist = np.sqrt(((xx - cx) * 1.78) ** 2 + (yy - cy) ** 2)
    alpha = np.clip((0.16 - dist) / 0.01, 0.0, 1.0)
    ring = np.clip(1 - np.abs(dist - 0.11) / 0.02, 0, 1)
    colour = np.stack([0.9 - 0.6 * ring, 0.35 + 0.4 * ring, 0.08 + 0.5 * ring], axis=-1)
    colour += rng.normal(0.0, 0.01, colour.shape)
    rgba = np.concatenate([colour * alpha[..., None], alpha[..., None]], axis=-1)
    return rgba.astype(np.float32)


def ensure_media(folder: str) -> dict[str, str]:
    """Generate the demo sequences into `folder` unless they are already there; returns patterns."""
    os.makedirs(folder, exist_ok=True)
    manifest_path = os.path.join(folder, "manifest.json")
    manifest = {"version": VERSION, "width": WIDTH, "height": HEIGHT, "frames": FRAMES}
    patterns = {"bg": os.path.join(folder, "bg.####.exr"), "fg": os.path.join(folder, "fg.####.exr")}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            if json.load(handle) == manifest and all(
                os.path.exists(os.path.join(folder, f"{k}.{FRAMES:04d}.exr")) for k in patterns
            ):
                return patterns
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    yy /= HEIGHT
    xx /= WIDTH
    for frame in range(1, FRAMES + 1):
        rng = np.random.default_rng(frame)
        _write_exr(os.path.join(folder, f"bg.{frame:04d}.exr"), _background(frame, yy, xx, rng))
        _write_exr(os.path.join(folder, f"fg.{frame:04d}.exr"), _foreground(frame, yy, xx, rng))
    with open(manifest_path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle)
    return patterns
