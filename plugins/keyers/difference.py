"""Colour-difference keying maths (the DifferenceKeyer node's pixels), in the spirit of IBK/Keylight.

With d() the colour difference of `screen.difference`, S the screen colour (one colour, or a
clean plate pixel per pixel) and I the plate:

    raw   = 1 - gain * d(I) / d(S)                          # 0 on the screen, 1 on neutral colours
    edge  = clamp((raw - clip_black) / (clip_white - clip_black), 0, 1)
    core  = erode(clamp((raw - core_black) / (core_white - core_black), 0, 1), core_shrink)
    alpha = max(edge, core)

The edge matte keeps the soft transitions (hair, motion blur, defocus); the core matte is a
harder key shrunk away from the edges that fills holes where the performer's own colour leans
toward the screen (a greenish costume, heavy spill). The premultiplied foreground is recovered
by removing the screen that shows through each pixel:

    foreground = I - (1 - alpha) * S

which cleans edges better than multiplying a despilled plate by alpha, because the screen's
contribution to a 30% hair pixel is taken out exactly when alpha is right.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from plugins.keyers.screen import difference, primary_channel

_MIN_SCREEN_DIFFERENCE = 1e-4


@dataclass(frozen=True)
class KeySettings:
    """The DifferenceKeyer params that shape the matte (see the module formula)."""

    balance: float = 0.5
    gain: float = 1.0
    clip_black: float = 0.05
    clip_white: float = 0.9
    core: bool = True
    core_black: float = 0.4
    core_white: float = 0.7
    core_shrink: int = 2


@dataclass
class KeyResult:
    """The mattes of one key, each (H, W) float32 in 0..1."""

    alpha: np.ndarray
    edge: np.ndarray
    core: np.ndarray | None
    screen: np.ndarray  # (H, W, 3) or (3,): the screen colour used per pixel


def screen_difference(screen: np.ndarray, primary: int, balance: float, fallback: np.ndarray) -> np.ndarray:
    """d(S) per pixel of a clean plate, with `fallback`'s difference where the plate is not screen-like.

    A clean plate may hold pixels that are not screen (a marker, a leftover of the performer);
    dividing by their small or negative difference would blow the matte up, so those pixels use
    the nominal screen colour instead.
    """
    if screen.ndim == 1:
        return np.float32(difference(screen, primary, balance))
    result = difference(screen, primary, balance)
    nominal = float(difference(fallback, primary, balance))
    floor = max(nominal * 0.25, _MIN_SCREEN_DIFFERENCE)
    result[result < floor] = nominal
    return result


def raw_matte(rgb: np.ndarray, screen: np.ndarray, *, balance: float, gain: float,
              screen_colour: np.ndarray | None = None) -> np.ndarray:
    """1 - gain * d(I) / d(S), unclamped.

    Args:
        rgb: (H, W, 3) plate.
        screen: (3,) screen colour or (H, W, 3) clean plate.
        balance: weight of the first non-screen channel in d().
        gain: screen gain; above 1 makes more of the frame transparent.
        screen_colour: the nominal screen colour (for clean-plate pixels that are not screen);
            defaults to `screen` when it is one colour.
    """
    nominal = np.asarray(screen_colour if screen_colour is not None else screen, np.float32)
    if nominal.ndim != 1:
        nominal = np.median(nominal.reshape(-1, 3), axis=0)
    primary = primary_channel(nominal)
    if float(difference(nominal, primary, balance)) <= _MIN_SCREEN_DIFFERENCE:
        raise ValueError(
            f"the screen colour {tuple(round(float(c), 4) for c in nominal)} is not a screen colour: "
            "its dominant channel does not exceed the others"
        )
    d_plate = difference(rgb, primary, balance)
    d_screen = screen_difference(np.asarray(screen, np.float32), primary, balance, nominal)
    d_plate *= np.float32(-gain)
    d_plate /= d_screen
    d_plate += np.float32(1.0)
    return d_plate


def clip(matte: np.ndarray, black: float, white: float) -> np.ndarray:
    """(matte - black) / (white - black) clamped to 0..1 (a step at `black` when white <= black)."""
    if white <= black:
        return (matte > black).astype(np.float32)
    out = matte - np.float32(black)
    out *= np.float32(1.0 / (white - black))
    np.clip(out, 0.0, 1.0, out=out)
    return out


def erode(matte: np.ndarray, radius: int) -> np.ndarray:
    """Grey-level erosion (a minimum filter) with a disc of `radius` pixels."""
    if radius <= 0:
        return matte
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.erode(matte, kernel, borderType=cv2.BORDER_REPLICATE)


def key(rgb: np.ndarray, screen: np.ndarray, settings: KeySettings,
        screen_colour: np.ndarray | None = None) -> KeyResult:
    """Pull the edge, core and combined mattes of a plate (formulas in the module doc)."""
    raw = raw_matte(rgb, screen, balance=settings.balance, gain=settings.gain, screen_colour=screen_colour)
    edge = clip(raw, settings.clip_black, settings.clip_white)
    core = None
    alpha = edge
    if settings.core:
        core = erode(clip(raw, settings.core_black, settings.core_white), settings.core_shrink)
        alpha = np.maximum(edge, core)
    return KeyResult(alpha=alpha, edge=edge, core=core, screen=np.asarray(screen, np.float32))


def unmix(rgb: np.ndarray, alpha: np.ndarray, screen: np.ndarray) -> np.ndarray:
    """The premultiplied foreground I - (1 - alpha) * S, 0 where alpha is 0, never below 0.

    Negative results (the plate darker than the screen share, from grain or a slightly high
    alpha) are clamped at 0; colour where alpha is 0 is dropped so the result stays a valid
    premultiplied image.
    """
    share = np.float32(1.0) - alpha
    keep = (alpha > 0.0).astype(np.float32)
    screen = np.asarray(screen, np.float32)
    planes = []
    for c in range(3):  # contiguous planes: numpy is several times slower on a trailing axis of 3
        plane = np.multiply(share, screen[..., c])
        np.subtract(rgb[..., c], plane, out=plane)
        np.maximum(plane, 0.0, out=plane)
        plane *= keep
        planes.append(plane)
    return cv2.merge(planes)
