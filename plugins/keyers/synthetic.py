"""Synthetic green-screen shots with a known matte, for tests, benchmarks and training demos.

A keyer can only be measured against the truth, and real plates never come with one. A shot
here is composited the way a camera sees a performer in front of a screen:

    plate = a * F_spilled + (1 - a) * S(x, y) + grain

with `a` the true matte, `F_spilled` the performer's colour with green light bounced onto it,
and `S` the screen, optionally lit unevenly. Every element a keyer finds hard is in the frame:
antialiased hard edges, a defocused (soft) edge, fine hair strands a fraction of a pixel wide,
a motion-blurred hand, a translucent veil, a greenish garment, and skin patches of three tones,
half of each with spill and half without, so despill can be measured on both.

Values are scene-linear (the working space), unpremultiplied F, alpha in 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

SCREEN_GREEN = (0.07, 0.40, 0.10)
SCREEN_BLUE = (0.05, 0.12, 0.45)
SKIN_TONES = {
    "light": (0.62, 0.42, 0.33),
    "medium": (0.40, 0.24, 0.16),
    "dark": (0.15, 0.08, 0.05),
}
_HAIR = ((0.20, 0.11, 0.05), (0.55, 0.42, 0.22), (0.03, 0.025, 0.02))
_SUPERSAMPLE = 4


@dataclass
class Shot:
    """One synthetic frame and its truth.

    Attributes:
        plate: (H, W, 3) what the camera recorded.
        alpha: (H, W) the true matte.
        foreground: (H, W, 3) the true unpremultiplied performer colour without spill (0 where alpha is 0).
        spilled: (H, W, 3) the performer colour as lit, spill included.
        screen: (H, W, 3) the screen alone (a perfect clean plate, grain excluded).
        screen_color: the screen's nominal colour before uneven lighting.
        skin: tone -> (spilled patch mask, clean patch mask), both (H, W) bool, fully opaque pixels only.
    """

    plate: np.ndarray
    alpha: np.ndarray
    foreground: np.ndarray
    spilled: np.ndarray
    screen: np.ndarray
    screen_color: tuple[float, float, float]
    skin: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @property
    def premultiplied(self) -> np.ndarray:
        """The true premultiplied, spill-free foreground (what a perfect keyer outputs)."""
        return self.foreground * self.alpha[..., None]


class _Canvas:
    """Draws antialiased shapes by supersampling: a uint8 mask at 4x, area-averaged down."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.scale = _SUPERSAMPLE

    def blank(self) -> np.ndarray:
        return np.zeros((self.height * self.scale, self.width * self.scale), np.uint8)

    def pts(self, points: np.ndarray) -> np.ndarray:
        """Points in fractions of the frame -> supersampled integer pixel coordinates."""
        scaled = np.asarray(points, np.float64) * (self.width * self.scale, self.height * self.scale)
        return np.round(scaled).astype(np.int32)

    def down(self, mask: np.ndarray) -> np.ndarray:
        return cv2.resize(mask, (self.width, self.height), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def _ellipse(canvas: _Canvas, centre: tuple[float, float], axes: tuple[float, float]) -> np.ndarray:
    mask = canvas.blank()
    cx, cy = canvas.pts([centre])[0]
    ax = int(axes[0] * canvas.width * canvas.scale)
    ay = int(axes[1] * canvas.height * canvas.scale)
    cv2.ellipse(mask, (int(cx), int(cy)), (ax, ay), 0, 0, 360, 255, -1)
    return canvas.down(mask)


def _polygon(canvas: _Canvas, points: list[tuple[float, float]]) -> np.ndarray:
    mask = canvas.blank()
    cv2.fillPoly(mask, [canvas.pts(points)], 255)
    return canvas.down(mask)


def _strands(canvas: _Canvas, rng: np.random.Generator, root: tuple[float, float], count: int,
             length: float) -> np.ndarray:
    """Hair: quadratic curves fanning out from `root`, 0.25 to 1.5 output pixels wide."""
    mask = canvas.blank()
    t = np.linspace(0.0, 1.0, 40)[:, None]
    for _ in range(count):
        angle = rng.uniform(-2.6, -0.55)  # upwards and to the sides, in image coordinates
        reach = length * rng.uniform(0.6, 1.0)
        start = np.array(root) + rng.normal(0, 0.01, 2)
        end = start + reach * np.array([np.cos(angle) * 0.56, np.sin(angle)])
        bend = (start + end) / 2 + rng.normal(0, 0.04, 2)
        curve = (1 - t) ** 2 * start + 2 * (1 - t) * t * bend + t**2 * end
        thickness = int(rng.integers(1, 7))  # supersampled pixels: 0.25 .. 1.5 output pixels
        cv2.polylines(mask, [canvas.pts(curve)], False, 255, thickness, lineType=cv2.LINE_8)
    return canvas.down(mask)


def _lighting(width: int, height: int, uneven: bool) -> np.ndarray:
    """Screen brightness: 1 everywhere, or a tilted falloff from about 0.72 to 1.15."""
    if not uneven:
        return np.ones((height, width), np.float32)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = x / max(width - 1, 1) - 0.4, y / max(height - 1, 1) - 0.35
    return (1.12 + 0.18 * u - 0.55 * (u * u + v * v)).astype(np.float32)


def make_shot(width: int = 480, height: int = 270, *, seed: int = 0, uneven: bool = False, spill: float = 0.2,
              grain: float = 0.004, screen: tuple[float, float, float] = SCREEN_GREEN) -> Shot:
    """A synthetic green (or blue) screen frame with its true matte and foreground.

    Args:
        width, height: frame size in pixels.
        seed: picks the hair strands and grain; the same seed gives the same shot.
        uneven: light the screen unevenly (a clean plate is then needed for a clean key).
        spill: strength of screen light bounced onto the performer (0 for none).
        grain: standard deviation of sensor noise added to the plate.
        screen: the screen colour.
    """
    rng = np.random.default_rng(seed)
    canvas = _Canvas(width, height)
    screen_rgb = np.asarray(screen, np.float32)
    lit = _lighting(width, height, uneven)
    backdrop = lit[..., None] * screen_rgb
    layers: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (alpha, clean colour, spill weight)

    def add(alpha: np.ndarray, colour, spill_weight: np.ndarray | float = 0.0) -> None:
        colour_map = np.broadcast_to(np.asarray(colour, np.float32), (height, width, 3))
        weight = np.broadcast_to(np.asarray(spill_weight, np.float32), (height, width))
        layers.append((alpha, colour_map, weight))

    x = np.linspace(0, 1, width, dtype=np.float32)[None, :].repeat(height, 0)
    # a defocused shoulder (soft edge) and a torso of three fabrics, one of them greenish
    add(cv2.GaussianBlur(_ellipse(canvas, (0.1, 1.0), (0.16, 0.3)), (0, 0), max(1.0, width / 160)),
        (0.30, 0.22, 0.18), 0.5)
    torso = _polygon(canvas, [(0.22, 1.0), (0.27, 0.66), (0.73, 0.66), (0.78, 1.0)])
    stripes = np.where(x[..., None] < 0.4, (0.55, 0.06, 0.05), np.where(x[..., None] < 0.55, (0.75, 0.75, 0.72),
                       np.where(x[..., None] < 0.66, (0.20, 0.25, 0.19), (0.04, 0.06, 0.15))))
    add(torso, stripes.astype(np.float32), 0.3)
    # three faces, one per skin tone; the left half of each carries spill
    skin_masks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for index, (tone, colour) in enumerate(SKIN_TONES.items()):
        cx = 0.3 + 0.2 * index
        face = _ellipse(canvas, (cx, 0.45), (0.075, 0.17))
        spill_side = (x < cx).astype(np.float32)
        add(face, colour, spill_side)
        hair = _strands(canvas, rng, (cx, 0.3), count=max(12, width // 12), length=0.22)
        add(hair * 0.95, _HAIR[index], 0.6)
        skin_masks[tone] = (face, spill_side)
    # a motion-blurred hand and a translucent veil
    hand = _polygon(canvas, [(0.84, 0.55), (0.92, 0.55), (0.92, 0.7), (0.84, 0.7)])
    length = max(3, int(width * 0.05)) | 1
    kernel = np.full((1, length), 1.0 / length, np.float32)
    add(cv2.filter2D(hand, -1, kernel, borderType=cv2.BORDER_CONSTANT), SKIN_TONES["medium"], 1.0)
    add(_polygon(canvas, [(0.02, 0.08), (0.14, 0.08), (0.14, 0.5), (0.02, 0.5)]) * 0.45, (0.7, 0.7, 0.68), 0.0)

    premult = np.zeros((height, width, 3), np.float32)
    premult_spilled = np.zeros((height, width, 3), np.float32)
    alpha = np.zeros((height, width), np.float32)
    for layer_alpha, colour, weight in layers:
        a = layer_alpha[..., None]
        lit_colour = colour + spill * weight[..., None] * backdrop
        premult = a * colour + (1 - a) * premult
        premult_spilled = a * lit_colour + (1 - a) * premult_spilled
        alpha = layer_alpha + (1 - layer_alpha) * alpha
    safe = np.maximum(alpha, 1e-6)[..., None]
    foreground = np.where(alpha[..., None] > 0, premult / safe, 0).astype(np.float32)
    spilled = np.where(alpha[..., None] > 0, premult_spilled / safe, 0).astype(np.float32)
    plate = premult_spilled + (1 - alpha[..., None]) * backdrop
    if grain > 0:
        plate = plate + rng.normal(0.0, grain, plate.shape).astype(np.float32)
    skin: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for tone, (face, spill_side) in skin_masks.items():
        solid = (face >= 1.0) & (alpha >= 1.0 - 1e-6) & _only_face(foreground, SKIN_TONES[tone])
        skin[tone] = (solid & (spill_side > 0), solid & (spill_side == 0))
    return Shot(plate.astype(np.float32), alpha.astype(np.float32), foreground, spilled,
                backdrop.astype(np.float32), tuple(float(c) for c in screen_rgb), skin)


def _only_face(foreground: np.ndarray, tone) -> np.ndarray:
    """Pixels whose true colour is the skin tone (hair strands over the face excluded)."""
    return np.all(np.abs(foreground - np.asarray(tone, np.float32)) < 1e-4, axis=-1)


def matte_errors(estimate: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Alpha errors as matting benchmarks report them.

    Returns:
        `sad`: sum of absolute differences over the frame, in thousands (alphamatting.com's unit);
        `mse`: mean squared error over the frame; `edge_mse`: mean squared error over the
        transition region (true alpha strictly between 0 and 1, grown by 2 pixels), where
        keyers differ; `mad`: mean absolute difference per pixel.
    """
    estimate = np.clip(np.asarray(estimate, np.float64), 0.0, 1.0)
    truth = np.asarray(truth, np.float64)
    diff = estimate - truth
    soft = ((truth > 0.002) & (truth < 0.998)).astype(np.uint8)
    edge = cv2.dilate(soft, np.ones((5, 5), np.uint8)) > 0
    return {
        "sad": float(np.abs(diff).sum() / 1000.0),
        "mse": float(np.mean(diff**2)),
        "edge_mse": float(np.mean(diff[edge] ** 2)) if edge.any() else 0.0,
        "mad": float(np.mean(np.abs(diff))),
    }
