"""The screen: which channel it is, how far a colour sits from it, and its colour found automatically.

Colour-difference keying measures how much a pixel's screen channel (green for a green
screen) exceeds a blend of the other two:

    d = P - (balance * O1 + (1 - balance) * O2)

where O1 and O2 are the other channels in R, G, B order (red and blue for green, red and
green for blue). A screen pixel has a large positive d; a neutral or skin-coloured pixel has
d <= 0; mixed edge pixels fall in between in proportion to how much screen shows through.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_AUTO_SAMPLES = 50_000


def primary_channel(screen_rgb: Sequence[float]) -> int:
    """Index (0 R, 1 G, 2 B) of the screen's dominant channel."""
    return int(np.argmax(np.asarray(screen_rgb[:3], np.float64)))


def other_channels(primary: int) -> tuple[int, int]:
    """The two non-screen channels in R, G, B order."""
    first, second = (c for c in range(3) if c != primary)
    return first, second


def difference(rgb: np.ndarray, primary: int, balance: float) -> np.ndarray:
    """Colour difference d of (..., 3) colours against a screen whose dominant channel is `primary`.

    Args:
        rgb: (..., 3) float32 colours (a whole image or one colour).
        primary: the screen channel index.
        balance: weight of the first other channel (red for green and blue screens); 0.5 averages.
    """
    first, second = other_channels(primary)
    rgb = np.asarray(rgb, np.float32)
    if rgb.ndim == 1:
        return np.float32(rgb[primary] - (balance * rgb[first] + (1.0 - balance) * rgb[second]))
    result = rgb[..., first] * np.float32(balance)
    result += rgb[..., second] * np.float32(1.0 - balance)
    np.subtract(rgb[..., primary], result, out=result)
    return result


def auto_screen_colour(rgb: np.ndarray, region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
                       ) -> tuple[float, float, float]:
    """Estimate the screen colour of a plate from a region of it.

    The region is sampled sparsely (at most about 50,000 pixels); the channel whose dominance
    over the other two is strongest picks the screen, and the median colour of the most dominant
    quarter of the samples is the estimate. Using the most screen-like quarter rather than the
    mean keeps performers, markers and shadows in the region from pulling the colour off.

    Args:
        rgb: (H, W, 3) plate.
        region: (x0, y0, x1, y1) in fractions of the image's width and height.

    Returns:
        The screen colour; (0, 0, 0) when the region is empty.
    """
    height, width = rgb.shape[:2]
    x0, x1 = sorted((int(round(region[0] * width)), int(round(region[2] * width))))
    y0, y1 = sorted((int(round(region[1] * height)), int(round(region[3] * height))))
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, max(x1, x0 + 1)), min(height, max(y1, y0 + 1))
    patch = rgb[y0:y1, x0:x1, :3]
    if patch.size == 0:
        return (0.0, 0.0, 0.0)
    step = max(1, int(np.sqrt(patch.shape[0] * patch.shape[1] / _AUTO_SAMPLES)))
    samples = np.asarray(patch[::step, ::step], np.float32).reshape(-1, 3)
    samples = samples[np.all(np.isfinite(samples), axis=1)]
    if samples.size == 0:
        return (0.0, 0.0, 0.0)
    scored = []
    for primary in (1, 2, 0):  # green first: on a tie the usual screen wins
        first, second = other_channels(primary)
        dominance = samples[:, primary] - np.maximum(samples[:, first], samples[:, second])
        chosen = dominance >= np.quantile(dominance, 0.75)
        scored.append((float(np.median(dominance[chosen])), -primary, np.median(samples[chosen], axis=0)))
    best = max(scored, key=lambda item: item[:2])
    return (float(best[2][0]), float(best[2][1]), float(best[2][2]))
