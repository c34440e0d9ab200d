"""The 2D motion that takes one set of tracked points onto another (stabilise and match-move).

All matrices are 3x3, map positions in EXR pixel coordinates (x right, y down) and are
exact for the minimum number of points of each model; with more points they are the
least-squares fit. The fewer points a model needs, the less a tracking error moves it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from nodecomp.nodes.transform.cornerpin import pin_matrix

MODELS = ("auto", "translate", "similarity", "affine", "perspective")
MIN_POINTS = {"translate": 1, "similarity": 2, "affine": 3, "perspective": 4}
_AUTO = {1: "translate", 2: "similarity", 3: "affine", 4: "perspective"}


def model_for(count: int, model: str) -> str:
    """The model `auto` stands for with `count` points (1 translate ... 4 perspective)."""
    if model != "auto":
        return model
    return _AUTO[min(count, 4)]


def motion_matrix(
    source: Sequence[Sequence[float]], target: Sequence[Sequence[float]], model: str = "auto"
) -> np.ndarray:
    """The 3x3 matrix of `model` taking the `source` points onto the `target` points.

    translate: the mean displacement. similarity: uniform scale, rotation and translation
    (exact for two points, else the least-squares Umeyama fit). affine: exact for three,
    least squares beyond. perspective: the homography through four points.

    Raises:
        ValueError: too few points for the model, or points that coincide or line up so the
            model is undefined.
    """
    src = np.asarray(source, dtype=np.float64).reshape(-1, 2)
    dst = np.asarray(target, dtype=np.float64).reshape(-1, 2)
    if len(src) != len(dst) or len(src) == 0:
        raise ValueError(f"need matching, non-empty point sets, got {len(src)} and {len(dst)} points")
    model = model_for(len(src), model)
    if model not in MIN_POINTS:
        raise ValueError(f"unknown motion model {model!r} (known: {', '.join(MODELS)})")
    if len(src) < MIN_POINTS[model]:
        raise ValueError(f"a {model} motion needs {MIN_POINTS[model]} points, got {len(src)}")
    if model == "translate":
        dx, dy = (dst - src).mean(axis=0)
        return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])
    if model == "similarity":
        return _similarity(src, dst)
    if model == "affine":
        return _affine(src, dst)
    if len(src) != 4:
        raise ValueError(f"a perspective motion needs exactly 4 points, got {len(src)}")
    return pin_matrix(src, dst)


def _similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity: dst ~ k * (src - mean_src) + mean_dst with k a complex factor."""
    zs = src[:, 0] + 1j * src[:, 1]
    zd = dst[:, 0] + 1j * dst[:, 1]
    cs, cd = zs - zs.mean(), zd - zd.mean()
    spread = float(np.sum(np.abs(cs) ** 2))
    if spread < 1e-12:
        raise ValueError("the points coincide, so rotation and scale are undefined")
    k = np.sum(np.conj(cs) * cd) / spread
    t = zd.mean() - k * zs.mean()
    return np.array([[k.real, -k.imag, t.real], [k.imag, k.real, t.imag], [0.0, 0.0, 1.0]])


def _affine(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares affine map (exact for three points that do not line up)."""
    centred = src - src.mean(axis=0)
    if np.linalg.matrix_rank(centred, tol=1e-9 * max(1.0, float(np.abs(centred).max()))) < 2:
        raise ValueError("the points are on one line, so an affine motion is undefined")
    design = np.hstack([src, np.ones((len(src), 1))])
    solution, *_ = np.linalg.lstsq(design, dst, rcond=None)
    return np.vstack([solution.T, [0.0, 0.0, 1.0]])


def similarity_parts(matrix: np.ndarray) -> tuple[float, float]:
    """(uniform scale, rotate in degrees as Transform's `rotate` turns) of a similarity matrix.

    Transform's rotation is [[cos, sin], [-sin, cos]] (counter-clockwise on screen with y
    down), so a similarity [[a, -b], [b, a]] has rotate = -atan2(b, a).
    """
    a, b = matrix[0, 0], matrix[1, 0]
    return math.hypot(a, b), -math.degrees(math.atan2(b, a))
