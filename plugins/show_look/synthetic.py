"""A known "show look" and frames to learn it from: the measured-quality test, benchmark and docs use them.

The look, in the ACEScg working space (parameters in `ShowLook`):

1. a vignette: scene-linear gain 1 - strength * r^2 (r^2 = (x^2 + y^2) / 2, 1 in the corners);
2. a tone curve in ACEScct: an S-curve around mid-grey (a tanh with more contrast in the middle);
3. a hue shift: chroma rotated about the neutral axis (in ACEScct) by `hue_degrees`;
4. split-toning: shadows pushed towards teal, highlights towards orange, crossfading on luma.

Steps 2-4 are the global part (what a 3D LUT can hold); step 1 depends on position.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from plugins.show_look.encoding import cct_to_lin, lin_to_cct
from plugins.show_look.features import positions


@dataclass(frozen=True)
class ShowLook:
    """The parameters of the synthetic look."""

    vignette: float = 0.4
    pivot: float = 0.41
    contrast: float = 1.35
    range: float = 0.28
    hue_degrees: float = 12.0
    shadow_tint: tuple[float, float, float] = (-0.025, 0.006, 0.03)
    highlight_tint: tuple[float, float, float] = (0.03, 0.004, -0.03)


def global_look(rgb: np.ndarray, look: ShowLook = ShowLook()) -> np.ndarray:
    """Steps 2-4 of the look on scene-linear ACEScg colours (..., 3)."""
    cct = lin_to_cct(np.asarray(rgb, np.float32))
    cct = look.pivot + look.range * np.tanh((cct - look.pivot) * look.contrast / look.range)
    grey = cct.mean(axis=-1, keepdims=True)
    cct = grey + _rotate_about_grey(cct - grey, np.radians(look.hue_degrees))
    weight = np.clip((grey - 0.3) / 0.3, 0.0, 1.0)
    weight = weight * weight * (3.0 - 2.0 * weight)
    cct = cct + (1.0 - weight) * np.asarray(look.shadow_tint, np.float32) + weight * np.asarray(
        look.highlight_tint, np.float32)
    return cct_to_lin(cct).astype(np.float32)


def _rotate_about_grey(chroma: np.ndarray, angle: float) -> np.ndarray:
    axis = np.full(3, 1.0 / np.sqrt(3.0))
    cross = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rotation = np.eye(3) + np.sin(angle) * cross + (1 - np.cos(angle)) * cross @ cross
    return (chroma @ rotation.T.astype(np.float32)).astype(np.float32)


def vignette_gain(height: int, width: int, look: ShowLook = ShowLook()) -> np.ndarray:
    """(H, W, 1) scene-linear gain of the look's vignette."""
    x, y = positions(height, width)
    return (1.0 - look.vignette * (x * x + y * y) * 0.5)[..., None].astype(np.float32)


def apply_show_look(rgb: np.ndarray, look: ShowLook = ShowLook()) -> np.ndarray:
    """The whole look (vignette, then the global part) on an (H, W, 3) scene-linear frame."""
    rgb = np.asarray(rgb, np.float32)
    return global_look(rgb * vignette_gain(rgb.shape[0], rgb.shape[1], look), look)


def synthetic_frames(count: int, size: tuple[int, int] = (64, 64), seed: int = 0) -> list[np.ndarray]:
    """`count` (H, W, 3) scene-linear frames: graded backgrounds, soft shapes and texture, from 1/200 to 4.

    Each frame has its own exposure and palette, so together they cover dark, mid and bright,
    saturated and neutral colours, as a set of approved frames from a show would.
    """
    width, height = size
    rng = np.random.default_rng(seed)
    frames = []
    x, y = positions(height, width)
    for _ in range(count):
        exposure = 2.0 ** rng.uniform(-2.5, 1.0)
        corners = 2.0 ** rng.uniform(-5.0, 0.5, size=(2, 2, 3))
        u, v = (x[..., None] + 1) / 2, (y[..., None] + 1) / 2
        frame = ((1 - u) * (1 - v) * corners[0, 0] + u * (1 - v) * corners[0, 1] + (1 - u) * v * corners[1, 0]
                 + u * v * corners[1, 1])
        for _ in range(int(rng.integers(3, 7))):
            cx, cy, radius = rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(0.15, 0.6)
            mask = np.clip(1.5 - np.hypot(x - cx, y - cy) / radius, 0.0, 1.0)[..., None]
            colour = 2.0 ** rng.uniform(-6.0, 1.5, size=3)
            frame = frame * (1 - mask) + colour * mask
        texture = cv2.GaussianBlur(rng.normal(0.0, 0.15, (height, width)).astype(np.float32), (0, 0), 1.5)
        frame = frame * np.exp(texture)[..., None] * exposure
        frames.append(np.clip(frame, 1.0 / 200.0, 4.0).astype(np.float32))
    return frames


def synthetic_pairs(count: int, size: tuple[int, int] = (64, 64), seed: int = 0,
                    look: ShowLook = ShowLook()) -> list[tuple[np.ndarray, np.ndarray]]:
    """(before, after) pairs: synthetic frames and the same frames with the show look."""
    return [(frame, apply_show_look(frame, look)) for frame in synthetic_frames(count, size, seed)]
