"""Matte maths: choke/grow, combining two mattes, and re-premultiplying colour by a new matte.

All functions take (H, W) float32 mattes in 0..1 and return new arrays.
"""

from __future__ import annotations

import math
from enum import StrEnum

import cv2
import numpy as np


class CombineOp(StrEnum):
    """How MatteCombine merges matte A into matte B (the values are the file format)."""

    MAX = "max"              # union: either matte
    MIN = "min"              # intersection: both mattes
    ADD = "add"              # A + B, clamped to 1
    SUBTRACT = "subtract"    # B - A, clamped to 0 (garbage matte A removed from B)
    MULTIPLY = "multiply"    # A * B
    SCREEN = "screen"        # A + B - A * B
    DIFFERENCE = "difference"  # |A - B|
    REPLACE = "replace"      # A


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _morph(matte: np.ndarray, radius: int, grow: bool) -> np.ndarray:
    if radius <= 0:
        return matte
    op = cv2.dilate if grow else cv2.erode
    return op(matte, _disc(radius), borderType=cv2.BORDER_REPLICATE)


def choke_grow(matte: np.ndarray, size: float, softness: float = 0.0) -> np.ndarray:
    """Grow (size > 0, dilate) or choke (size < 0, erode) a matte by `size` pixels, then soften it.

    Fractional sizes blend the two nearest whole-pixel results, so animating `size` moves the
    edge smoothly instead of in one-pixel jumps. `softness` is the standard deviation in pixels of
    a Gaussian blur applied afterwards.
    """
    matte = np.asarray(matte, np.float32)
    grow = size > 0
    amount = abs(float(size))
    low = int(math.floor(amount))
    frac = amount - low
    result = _morph(matte, low, grow)
    if frac > 1e-6:
        upper = _morph(matte, low + 1, grow)
        result = result + (upper - result) * np.float32(frac)
    if softness > 0:
        result = cv2.GaussianBlur(result, (0, 0), float(softness), borderType=cv2.BORDER_REPLICATE)
    return np.clip(result, 0.0, 1.0) if result is not matte else matte.copy()


def combine(a: np.ndarray, b: np.ndarray, op: str) -> np.ndarray:
    """Combine matte `a` into matte `b` with a CombineOp; results are clamped to 0..1."""
    if op == CombineOp.MAX:
        out = np.maximum(a, b)
    elif op == CombineOp.MIN:
        out = np.minimum(a, b)
    elif op == CombineOp.ADD:
        out = a + b
    elif op == CombineOp.SUBTRACT:
        out = b - a
    elif op == CombineOp.MULTIPLY:
        out = a * b
    elif op == CombineOp.SCREEN:
        out = a + b - a * b
    elif op == CombineOp.DIFFERENCE:
        out = np.abs(a - b)
    elif op == CombineOp.REPLACE:
        out = np.array(a, np.float32, copy=True)
    else:
        raise ValueError(f"unknown matte operation {op!r}")
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)


def rescale_premultiplied(rgb: np.ndarray, old_alpha: np.ndarray, new_alpha: np.ndarray) -> np.ndarray:
    """Premultiplied colour re-premultiplied by a new alpha: rgb / old * new (0 where old is 0).

    Changing the alpha of a premultiplied image without this leaves colour where alpha became
    0 (a glow around a choked key) or dark edges where it grew.
    """
    ratio = np.divide(new_alpha, old_alpha, out=np.zeros_like(new_alpha, dtype=np.float32),
                      where=old_alpha > 1e-6)
    return rgb * ratio[..., None]
