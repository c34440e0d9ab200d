"""Roto shapes: the JSON a Roto node stores, validated, interpolated between keys, and flattened.

The `shapes` param holds JSON so that shapes round-trip through `.ncomp` files as readable,
diffable text::

    {"shapes": [
      {"name": "garbage", "opacity": 1.0, "feather": 0.0, "operation": "over",
       "keys": [
         {"frame": 1,  "points": [{"xy": [100, 100], "in": [0, 0], "out": [40, 0]}, [300, 100], [300, 300]]},
         {"frame": 24, "points": [[120, 100], [320, 110], [310, 320]]}
       ]}
    ]}

A point is `{"xy": [x, y], "in": [dx, dy], "out": [dx, dy]}` (tangent handles relative to the
point; omitted handles are 0) or just `[x, y]` (a corner). The segment from point i to point
i + 1 (the last closes back to the first) is the cubic Bezier with control points
xy_i, xy_i + out_i, xy_(i+1) + in_(i+1), xy_(i+1). A shape without keys may give its `points`
directly (it does not move). Coordinates are pixels of the format, x right, y down.

Between keys every number (positions and handles) is interpolated linearly; before the first
key and after the last the shape holds. All keys of a shape need the same number of points.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

OPERATIONS = ("over", "subtract")
# Chord tolerance of the flattened curves, in pixels: far below the 1/8-pixel sampling of the rasteriser.
FLATNESS = 0.02
_MAX_STEPS = 4096
KAPPA = 4.0 * (math.sqrt(2.0) - 1.0) / 3.0  # handle length of a four-segment Bezier circle, per radius


class ShapeError(ValueError):
    """The shapes JSON is malformed; the message names the JSON path of the problem."""


@dataclass(frozen=True)
class Shape:
    """One closed Bezier shape: key frames and, per key, (points, 6) rows x, y, in_x, in_y, out_x, out_y."""

    name: str
    opacity: float
    feather: float
    operation: str
    frames: tuple[float, ...]
    keys: tuple[np.ndarray, ...]

    def at(self, frame: float) -> np.ndarray:
        """The (points, 6) control rows at `frame`: held outside the keys, linear between them."""
        frames = self.frames
        if len(frames) == 1 or frame <= frames[0]:
            return self.keys[0]
        if frame >= frames[-1]:
            return self.keys[-1]
        upper = next(i for i, f in enumerate(frames) if f > frame)
        t = (frame - frames[upper - 1]) / (frames[upper] - frames[upper - 1])
        return self.keys[upper - 1] + (self.keys[upper] - self.keys[upper - 1]) * t

    @property
    def animated(self) -> bool:
        """True when the shape has more than one key."""
        return len(self.frames) > 1


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ShapeError(f"{path}: expected a finite number, got {value!r}")
    return float(value)


def _pair(value: Any, path: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ShapeError(f"{path}: expected [x, y], got {value!r}")
    return _number(value[0], f"{path}[0]"), _number(value[1], f"{path}[1]")


def _point(value: Any, path: str) -> tuple[float, ...]:
    if isinstance(value, list | tuple):
        return (*_pair(value, path), 0.0, 0.0, 0.0, 0.0)
    if not isinstance(value, dict):
        raise ShapeError(f"{path}: expected [x, y] or {{\"xy\": [x, y], \"in\": [dx, dy], \"out\": [dx, dy]}}")
    unknown = set(value) - {"xy", "in", "out"}
    if unknown:
        raise ShapeError(f"{path}: unknown field {sorted(unknown)[0]!r} (a point has xy, in, out)")
    if "xy" not in value:
        raise ShapeError(f"{path}: a point needs \"xy\"")
    return (*_pair(value["xy"], f"{path}.xy"), *_pair(value.get("in", (0, 0)), f"{path}.in"),
            *_pair(value.get("out", (0, 0)), f"{path}.out"))


def _points(value: Any, path: str) -> np.ndarray:
    if not isinstance(value, list) or len(value) < 2:
        raise ShapeError(f"{path}: expected a list of at least 2 points")
    rows = np.array([_point(p, f"{path}[{i}]") for i, p in enumerate(value)], np.float64)
    rows.flags.writeable = False
    return rows


def _shape(value: Any, path: str) -> Shape:
    if not isinstance(value, dict):
        raise ShapeError(f"{path}: expected an object with keys or points")
    unknown = set(value) - {"name", "opacity", "feather", "operation", "keys", "points"}
    if unknown:
        raise ShapeError(f"{path}: unknown field {sorted(unknown)[0]!r}")
    name = value.get("name", "")
    if not isinstance(name, str):
        raise ShapeError(f"{path}.name: expected text, got {name!r}")
    opacity = _number(value.get("opacity", 1.0), f"{path}.opacity")
    if not 0.0 <= opacity <= 1.0:
        raise ShapeError(f"{path}.opacity: {opacity:g} is outside 0..1")
    feather = _number(value.get("feather", 0.0), f"{path}.feather")
    if feather < 0.0:
        raise ShapeError(f"{path}.feather: {feather:g} is negative")
    operation = value.get("operation", "over")
    if operation not in OPERATIONS:
        raise ShapeError(f"{path}.operation: expected one of {', '.join(OPERATIONS)}, got {operation!r}")
    if ("keys" in value) == ("points" in value):
        raise ShapeError(f"{path}: give either \"keys\" (animated) or \"points\" (still), not both or neither")
    if "points" in value:
        return Shape(name, opacity, feather, operation, (0.0,), (_points(value["points"], f"{path}.points"),))
    keys = value["keys"]
    if not isinstance(keys, list) or not keys:
        raise ShapeError(f"{path}.keys: expected a non-empty list of {{\"frame\": f, \"points\": [...]}}")
    parsed: dict[float, np.ndarray] = {}
    for index, key in enumerate(keys):
        key_path = f"{path}.keys[{index}]"
        if not isinstance(key, dict) or set(key) != {"frame", "points"}:
            raise ShapeError(f"{key_path}: expected {{\"frame\": f, \"points\": [...]}}")
        frame = _number(key["frame"], f"{key_path}.frame")
        if frame in parsed:
            raise ShapeError(f"{key_path}.frame: frame {frame:g} is keyed twice")
        points = _points(key["points"], f"{key_path}.points")
        first = next(iter(parsed.values()), points)
        if len(points) != len(first):
            raise ShapeError(f"{key_path}.points: {len(points)} points, but the first key has {len(first)}; "
                             "every key of a shape needs the same number of points")
        parsed[frame] = points
    frames = tuple(sorted(parsed))
    return Shape(name, opacity, feather, operation, frames, tuple(parsed[f] for f in frames))


@lru_cache(maxsize=64)
def parse_shapes(text: str) -> tuple[Shape, ...]:
    """The shapes in a Roto `shapes` param (empty text means none).

    Raises:
        ShapeError: invalid JSON or an invalid field, with its JSON path.
    """
    if not text.strip():
        return ()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ShapeError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if not isinstance(document, dict) or set(document) != {"shapes"} or not isinstance(document["shapes"], list):
        raise ShapeError("expected {\"shapes\": [...]} at the top level")
    return tuple(_shape(shape, f"shapes[{i}]") for i, shape in enumerate(document["shapes"]))


def flatten(rows: np.ndarray, tolerance: float = FLATNESS) -> np.ndarray:
    """The closed polygon (M, 2) following the shape's Bezier segments within `tolerance` pixels.

    Each cubic is sampled uniformly with n = ceil(sqrt(0.75 * D / tolerance)) steps, D the
    largest second difference of its control points (Wang's bound on the chord error);
    straight segments (handles along the chord, within it) take one step.
    """
    xy, handle_in, handle_out = rows[:, 0:2], rows[:, 2:4], rows[:, 4:6]
    nxt = np.roll(np.arange(len(rows)), -1)
    p0, p3 = xy, xy[nxt]
    p1, p2 = xy + handle_out, xy[nxt] + handle_in[nxt]
    second = np.maximum(np.linalg.norm(p0 - 2 * p1 + p2, axis=1), np.linalg.norm(p1 - 2 * p2 + p3, axis=1))
    steps = np.clip(np.ceil(np.sqrt(0.75 * second / tolerance)), 1, _MAX_STEPS).astype(int)
    steps[_straight(p0, p1, p2, p3, tolerance)] = 1  # a curve on its chord needs no samples between ends
    pieces = []
    for i, n in enumerate(steps):
        t = (np.arange(n, dtype=np.float64) / n)[:, None]
        u = 1.0 - t
        pieces.append(u ** 3 * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t ** 3 * p3[i])
    return np.concatenate(pieces)


def _straight(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, p3: np.ndarray, tolerance: float) -> np.ndarray:
    """Segments whose handles lie on the chord between the end points (the curve is the chord)."""
    chord = p3 - p0
    length = np.maximum(np.linalg.norm(chord, axis=1), 1e-12)
    straight = np.ones(len(p0), bool)
    for handle in (p1, p2):
        offset = handle - p0
        across = np.abs(chord[:, 0] * offset[:, 1] - chord[:, 1] * offset[:, 0]) / length
        along = (chord * offset).sum(axis=1) / (length * length)
        straight &= (across <= tolerance) & (along >= 0.0) & (along <= 1.0)
    return straight


def circle_points(center: tuple[float, float], radius: float) -> list[dict[str, list[float]]]:
    """Four Bezier points approximating a circle (radial error under 0.03% of the radius)."""
    cx, cy = center
    handle = KAPPA * radius
    return [
        {"xy": [cx + radius, cy], "in": [0.0, -handle], "out": [0.0, handle]},
        {"xy": [cx, cy + radius], "in": [handle, 0.0], "out": [-handle, 0.0]},
        {"xy": [cx - radius, cy], "in": [0.0, handle], "out": [0.0, -handle]},
        {"xy": [cx, cy - radius], "in": [-handle, 0.0], "out": [handle, 0.0]},
    ]


def shapes_json(*shapes: dict[str, Any]) -> str:
    """Shapes (dicts as in the module doc) as the text a Roto `shapes` param holds."""
    return json.dumps({"shapes": list(shapes)})
