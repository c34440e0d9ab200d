"""Finding a pattern again in another frame: the pixel work behind the Tracker.

Positions are continuous EXR coordinates in the tracking plane (x right, y down, pixel
(i, j) centred at (i + 0.5, j + 0.5)); OpenCV indexes centres at integers, hence the half-pixel
shifts below. Frames are single-channel float32 luminance over a fixed window (the format of
the first tracked frame), black outside each frame's data window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from nodecomp.api import Box, Image, conform

_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)  # Rec.709 / ACEScg-ish weights


def luminance(image: Image, window: Box) -> np.ndarray:
    """(H, W) float32 luminance of `image` over `window`: Rec.709 weights of R, G, B, else its first channel.

    Non-finite values become 0 so one bad pixel cannot poison a correlation.
    """
    if image.has("R", "G", "B"):
        rgb = conform(image, window, ("R", "G", "B"))
        gray = rgb @ _LUMA
    else:
        gray = conform(image, window, image.channels[:1])[..., 0]
    return np.nan_to_num(gray.astype(np.float32, copy=False), nan=0.0, posinf=0.0, neginf=0.0)


def crop(gray: np.ndarray, x0: int, y0: int, width: int, height: int) -> np.ndarray:
    """The integer-aligned block [x0, x0+width) x [y0, y0+height) of `gray`, zero beyond its edges."""
    out = np.zeros((height, width), dtype=np.float32)
    gx0, gy0 = max(x0, 0), max(y0, 0)
    gx1, gy1 = min(x0 + width, gray.shape[1]), min(y0 + height, gray.shape[0])
    if gx1 > gx0 and gy1 > gy0:
        out[gy0 - y0:gy1 - y0, gx0 - x0:gx1 - x0] = gray[gy0:gy1, gx0:gx1]
    return out


def patch(gray: np.ndarray, centre: tuple[float, float], size: int) -> np.ndarray:
    """A size x size patch centred on the continuous position `centre`, bilinearly sampled."""
    x0 = math.floor(centre[0] - size / 2) - 2
    y0 = math.floor(centre[1] - size / 2) - 2
    block = crop(gray, x0, y0, size + 5, size + 5)
    return cv2.getRectSubPix(block, (size, size), (centre[0] - 0.5 - x0, centre[1] - 0.5 - y0))


def _normalised(values: np.ndarray) -> np.ndarray | None:
    std = float(values.std())
    if std < 1e-12:
        return None
    return (values - values.mean()) / std


def parabola_offset(left: float, centre: float, right: float) -> float:
    """Sub-sample offset (-0.5..0.5) of the vertex of the parabola through three samples."""
    curvature = left - 2.0 * centre + right
    if curvature >= 0.0:  # not a maximum: keep the sample
        return 0.0
    return float(np.clip(0.5 * (left - right) / curvature, -0.5, 0.5))


@dataclass(frozen=True)
class Match:
    """Where a pattern was found and how well it correlates (-1..1)."""

    position: tuple[float, float]
    score: float


def match_template(gray: np.ndarray, template: np.ndarray, predicted: tuple[float, float], search: int) -> Match:
    """Normalised cross-correlation of `template` over a `search`-pixel square around `predicted`.

    The best integer placement is refined to sub-pixel precision by fitting a parabola through
    the correlation peak and its neighbours, separately in x and y.
    """
    size = template.shape[0]
    search = max(search, size + 2)
    x0 = round(predicted[0] - search / 2)
    y0 = round(predicted[1] - search / 2)
    area = crop(gray, x0, y0, search, search)
    scores = cv2.matchTemplate(area, template, cv2.TM_CCOEFF_NORMED)
    scores = np.nan_to_num(scores, nan=-1.0)
    _, best, _, (u, v) = cv2.minMaxLoc(scores)
    du = parabola_offset(scores[v, u - 1], best, scores[v, u + 1]) if 0 < u < scores.shape[1] - 1 else 0.0
    dv = parabola_offset(scores[v - 1, u], best, scores[v + 1, u]) if 0 < v < scores.shape[0] - 1 else 0.0
    # the template's top-left pixel at area pixel (u, v) puts its centre at x0 + u + size / 2
    return Match((x0 + u + du + size / 2, y0 + v + dv + size / 2), float(best))


def correlation(gray: np.ndarray, template: np.ndarray, position: tuple[float, float]) -> float:
    """Normalised cross-correlation of `template` with the patch at `position` (-1 when flat)."""
    a, b = _normalised(template), _normalised(patch(gray, position, template.shape[0]))
    if a is None or b is None:
        return -1.0
    return float(np.mean(a * b))


class Refiner:
    """Gauss-Newton (inverse compositional Lucas-Kanade) translation refinement against a pattern.

    Both the pattern and each candidate patch are normalised to zero mean and unit deviation,
    so a change of exposure between frames does not bias the result.
    """

    def __init__(self, template: np.ndarray, *, iterations: int = 30, tolerance: float = 1e-4) -> None:
        normalised = _normalised(template.astype(np.float64))
        self.usable = normalised is not None
        self.template = normalised if normalised is not None else template.astype(np.float64)
        grad_y, grad_x = np.gradient(self.template)
        self.gradients = (grad_x, grad_y)
        hessian = np.array([[np.sum(grad_x * grad_x), np.sum(grad_x * grad_y)],
                            [np.sum(grad_x * grad_y), np.sum(grad_y * grad_y)]])
        self.usable = self.usable and np.linalg.cond(hessian) < 1e8
        self.inverse = np.linalg.inv(hessian) if self.usable else np.zeros((2, 2))
        self.iterations, self.tolerance = iterations, tolerance

    def refine(self, gray: np.ndarray, start: tuple[float, float], reach: float = 1.5) -> tuple[float, float]:
        """The position near `start` where the patch best matches the pattern.

        Returns `start` unchanged when the pattern has no texture in some direction, or when
        the iterations wander more than `reach` pixels away (a wrong local minimum).
        """
        if not self.usable:
            return start
        size = self.template.shape[0]
        x, y = start
        grad_x, grad_y = self.gradients
        for _ in range(self.iterations):
            current = _normalised(patch(gray, (x, y), size).astype(np.float64))
            if current is None:
                return start
            error = current - self.template
            dx, dy = self.inverse @ np.array([np.sum(grad_x * error), np.sum(grad_y * error)])
            x, y = x - dx, y - dy
            if math.hypot(x - start[0], y - start[1]) > reach:
                return start
            if math.hypot(dx, dy) < self.tolerance:
                break
        return (float(x), float(y))


def to_uint8(gray: np.ndarray, low: float, high: float) -> np.ndarray:
    """`gray` mapped from [low, high] to 0..255 (what OpenCV's pyramidal Lucas-Kanade accepts)."""
    scale = 255.0 / max(high - low, 1e-12)
    return np.clip((gray - low) * scale + 0.5, 0, 255).astype(np.uint8)


def optical_flow(previous: np.ndarray, current: np.ndarray, points: np.ndarray, window: int,
                 levels: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Pyramidal Lucas-Kanade (cv2.calcOpticalFlowPyrLK) of continuous `points` between 8-bit frames.

    Returns the new positions (n, 2) and a found flag per point.
    """
    start = (points - 0.5).astype(np.float32).reshape(-1, 1, 2)
    size = max(5, window | 1)
    moved, status, _ = cv2.calcOpticalFlowPyrLK(
        previous, current, start, None, winSize=(size, size), maxLevel=levels,
        criteria=(cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 50, 1e-3),
    )
    return moved.reshape(-1, 2).astype(np.float64) + 0.5, status.reshape(-1).astype(bool)
