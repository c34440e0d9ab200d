"""Noise: seeded, animatable fractal value noise (fBm or turbulence), deterministic per seed and frame."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Box, Choice, Color, EvalContext, Float, Image, Input, Int, NodeType, Vec2
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, nothing_drawn, paint_image

PATTERNS = ("fbm", "turbulence")
_MASK32 = np.uint64(0xFFFFFFFF)


def _hash32(*keys: np.ndarray) -> np.ndarray:
    """A well-mixed uint32 hash of integer lattice coordinates (wrapping arithmetic, no state).

    Each key is folded in with a different odd multiplier, then the "lowbias32" finaliser
    (xorshift-multiply) spreads every input bit over the output.
    """
    value = np.zeros(np.broadcast_shapes(*(np.shape(k) for k in keys)), np.uint64)
    for multiplier, key in zip((0x8DA6B343, 0xD8163841, 0xCB1AB31F, 0x165667B1, 0x27D4EB2F), keys, strict=False):
        folded = (np.asarray(key, np.int64).astype(np.uint64) * np.uint64(multiplier)) & _MASK32
        value = ((value ^ folded) * np.uint64(0x9E3779B1) + np.uint64(0x7F4A7C15)) & _MASK32
    value ^= value >> np.uint64(16)
    value = (value * np.uint64(0x7FEB352D)) & _MASK32
    value ^= value >> np.uint64(15)
    value = (value * np.uint64(0x846CA68B)) & _MASK32
    value ^= value >> np.uint64(16)
    return value


def lattice_values(xs: np.ndarray, ys: np.ndarray, z: int, seed: int, octave: int) -> np.ndarray:
    """Random values in [-1, 1) at integer lattice points (ys x xs), the same wherever they are asked for."""
    hashed = _hash32(xs[None, :], ys[:, None], np.int64(z), np.int64(seed), np.int64(octave))
    return ((hashed >> np.uint64(8)).astype(np.float32) * np.float32(2.0 / (1 << 24)) - np.float32(1.0))


def catmull_rom_weights(t: np.ndarray) -> np.ndarray:
    """(4, N) weights of the points at -1, 0, 1, 2 for positions t in [0, 1): C1-smooth interpolation."""
    t = np.asarray(t, np.float32)
    t2, t3 = t * t, t * t * t
    return np.stack([
        0.5 * (-t3 + 2 * t2 - t),
        0.5 * (3 * t3 - 5 * t2 + 2),
        0.5 * (-3 * t3 + 4 * t2 + t),
        0.5 * (t3 - t2),
    ]).astype(np.float32)


def value_noise(box: Box, cell: tuple[float, float], z: float, seed: int, octave: int) -> np.ndarray:
    """One octave: lattice values every `cell` pixels, Catmull-Rom interpolated in x, y and z.

    Pixel centres (x + 0.5, y + 0.5) map to lattice coordinates ((x + 0.5) / cell.x,
    (y + 0.5) / cell.y, z); values depend only on position, seed and octave, never on the box,
    so a larger format shows more of the same noise. Interpolation is separable: z first on
    the small lattice, then x for every lattice row, then y, so the cost per pixel is a few
    multiply-adds whatever the cell size.

    Returns:
        (box.height, box.width) float32, about -1..1.
    """
    u = (np.arange(box.x0, box.x1, dtype=np.float64) + 0.5) / cell[0]
    v = (np.arange(box.y0, box.y1, dtype=np.float64) + 0.5) / cell[1]
    iu, iv = np.floor(u).astype(np.int64), np.floor(v).astype(np.int64)
    lx = np.arange(iu.min() - 1, iu.max() + 3) if u.size else np.zeros(0, np.int64)
    ly = np.arange(iv.min() - 1, iv.max() + 3) if v.size else np.zeros(0, np.int64)
    zi = math.floor(z)
    wz = catmull_rom_weights(np.array([z - zi]))[:, 0]
    lattice = sum(wz[k] * lattice_values(lx, ly, zi - 1 + k, seed, octave) for k in range(4))
    wx, wy = catmull_rom_weights(u - iu), catmull_rom_weights(v - iv)
    cols = iu - (lx[0] if lx.size else 0)
    rows_x = sum(lattice[:, cols + k - 1] * wx[k][None, :] for k in range(4))  # (lattice rows, width)
    rows = iv - (ly[0] if ly.size else 0)
    return sum(rows_x[rows + k - 1] * wy[k][:, None] for k in range(4)).astype(np.float32)


def noise_pixels(box: Box, size: tuple[float, float], octaves: int, lacunarity: float, gain: float,
                 pattern: str, seed: int, z: float) -> np.ndarray:
    """Fractal noise on the pixels of `box`, in 0..1.

    Octave i has cells size / lacunarity^i, z scaled by lacunarity^i, and weight gain^i.
    fbm: 0.5 + 0.5 * sum(w_i n_i) / sum(w_i); turbulence: sum(w_i |n_i|) / sum(w_i); both
    clamped to 0..1.

    Returns:
        (box.height, box.width) float32.
    """
    total = np.zeros((box.height, box.width), np.float32)
    weight_sum = 0.0
    for octave in range(octaves):
        frequency = lacunarity ** octave
        weight = gain ** octave
        layer = value_noise(box, (size[0] / frequency, size[1] / frequency), z * frequency, seed, octave)
        if pattern == "turbulence":
            np.abs(layer, out=layer)
        total += np.float32(weight) * layer
        weight_sum += weight
    total /= np.float32(weight_sum)
    if pattern == "fbm":
        total *= np.float32(0.5)
        total += np.float32(0.5)
    return np.clip(total, 0.0, 1.0, out=total)


class Noise(NodeType):
    """Fractal value noise: clouds, grain mattes, flicker, heat-haze drivers.

    Octave i is value noise (a random value at each lattice point, hashed from its integer
    coordinates, seed and octave; Catmull-Rom interpolated) with cells size / lacunarity^i
    pixels, weighted gain^i. fbm: v = 0.5 + 0.5 * sum / weights; turbulence: v = sum of the
    absolute octaves / weights; v is clamped to 0..1. out = color * opacity * v, premultiplied,
    over `source` when connected, else on the document format.

    The noise is a pure function of position, seed and the third coordinate
    z + speed * frame: the same seed and frame give identical pixels on every run, and a
    larger format shows more of the same pattern. With speed 0 the node does not depend on
    the frame and one cached result serves every frame; otherwise z moves smoothly (C1) with
    time, so the noise evolves rather than jumping.

    For a region of interest only its pixels are made (the same values: noise depends only on
    position). At a proxy scale 1/n the size is scaled and each proxy pixel samples the noise
    at its centre, where the full picture reduced averages n x n samples: features larger than
    a few proxy pixels match, finer octaves alias (their detail is lost either way).
    """

    type_id = "nodecomp.Noise"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional background the noise is drawn over."),)
    params = (
        Vec2("size", default=(200.0, 200.0), min=0.1, pixels=True,
             doc="Feature size of the first octave, in pixels (x, y)."),
        Int("octaves", default=6, min=1, max=16, doc="Number of octaves summed; each adds finer detail."),
        Float("lacunarity", default=2.0, min=1.0, slider_max=4.0,
              doc="Frequency multiplier from one octave to the next."),
        Float("gain", default=0.5, min=0.0, max=1.0, doc="Weight multiplier from one octave to the next (roughness)."),
        Choice("pattern", default="fbm", choices=PATTERNS,
               doc="fbm: smooth clouds around 0.5; turbulence: absolute octaves, billowy, darker."),
        Int("seed", default=0, doc="Picks a different, equally random pattern."),
        Float("z", default=0.0, doc="Position along the noise's third axis; animate it, or use speed."),
        Float("speed", default=0.0, doc="How far z moves per frame; 0 keeps the noise still."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA that a noise value of 1 becomes, premultiplied."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the noise's colour and alpha."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Nothing drawn leaves the source as it is."""
        return "source" if nothing_drawn(params) else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The format and working space; the frame only when the noise moves with it."""
        return (generator_fingerprint(ctx), float(ctx.frame) if params["speed"] != 0.0 else None)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, size: tuple[float, float], octaves: int, lacunarity: float,
                gain: float, pattern: str, seed: int, z: float, speed: float, color: tuple[float, ...],
                opacity: float) -> Image:
        """Render the noise on the canvas and put it over the source."""
        canvas = draw_box(ctx, source)
        phase = z + speed * ctx.frame if speed != 0.0 else z
        values = noise_pixels(canvas, size, octaves, lacunarity, gain, pattern, seed, phase)
        paint = values[..., None] * (np.asarray(color, np.float32) * np.float32(opacity))
        return paint_image(ctx, source, paint, canvas)
