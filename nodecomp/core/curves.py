"""Keyframe animation curves.

A `Curve` is an immutable, frame-sorted sequence of `Key`s with at most one key per frame.
Each key says how the segment *leaving* it is interpolated (`Interp`). Outside the keyed range
the curve holds its end values. Curves serialise to plain JSON-ready dicts and are validated
strictly on the way back in, with error messages that start with the path of the bad field.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Curve", "Interp", "Key"]


class Interp(StrEnum):
    """How the segment leaving a key is interpolated. The values are the file format."""

    CONSTANT = "constant"
    LINEAR = "linear"
    SMOOTH = "smooth"
    CUBIC = "cubic"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite_float(value: object, what: str) -> float:
    """`value` as a finite float, or raise ValueError naming `what`."""
    if not _is_number(value):
        raise ValueError(f"{what} must be a finite number, got {_describe(value)}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise ValueError(f"{what} must be a finite number, got {_describe(value)}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {_describe(value)}")
    return number


def _describe(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Key:
    """One keyframe.

    Attributes:
        frame: where the key sits (finite; fractional frames are allowed).
        value: the curve's value at `frame` (finite).
        interp: interpolation of the segment LEAVING this key (a plain string is converted).
        in_slope: slope arriving at this key, in value units per frame; used when the previous
            key's interp is CUBIC. None means automatic (as SMOOTH).
        out_slope: slope leaving this key, in value units per frame; used when `interp` is
            CUBIC. None means automatic (as SMOOTH).

    Raises:
        ValueError: from the constructor, for non-finite numbers or an unknown interp.
    """

    frame: float
    value: float
    interp: Interp = Interp.SMOOTH
    in_slope: float | None = None
    out_slope: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", _finite_float(self.frame, "Key.frame"))
        object.__setattr__(self, "value", _finite_float(self.value, "Key.value"))
        if not isinstance(self.interp, Interp):
            try:
                object.__setattr__(self, "interp", Interp(self.interp))
            except ValueError:
                raise ValueError(f"Key.interp: unknown interpolation {_describe(self.interp)}") from None
        for name in ("in_slope", "out_slope"):
            slope = getattr(self, name)
            if slope is not None:
                object.__setattr__(self, name, _finite_float(slope, f"Key.{name}"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; the slopes only appear when set."""
        data: dict[str, Any] = {"frame": self.frame, "value": self.value, "interp": self.interp.value}
        if self.in_slope is not None:
            data["in_slope"] = self.in_slope
        if self.out_slope is not None:
            data["out_slope"] = self.out_slope
        return data


_KEY_FIELDS = frozenset({"frame", "value", "interp", "in_slope", "out_slope"})
_CURVE_FIELDS = frozenset({"keys"})


class Curve:
    """An immutable keyframe curve; editing methods return a new curve.

    Keys are kept sorted by frame, at most one per frame. Because a curve never changes after
    construction it can be shared freely by undo history and render threads.
    """

    __slots__ = ("_frames", "_keys", "_slopes")

    def __init__(self, keys: Iterable[Key] = ()) -> None:
        """Build a curve from `keys` in any order; of keys sharing a frame, the last one wins.

        Raises:
            TypeError: if an item is not a `Key`.
        """
        by_frame: dict[float, Key] = {}
        for key in keys:
            if not isinstance(key, Key):
                raise TypeError(f"Curve keys must be Key instances, got {type(key).__name__}")
            by_frame[key.frame] = key
        self._keys: tuple[Key, ...] = tuple(sorted(by_frame.values(), key=lambda k: k.frame))
        self._frames: tuple[float, ...] = tuple(k.frame for k in self._keys)
        self._slopes: tuple[float, ...] = self._auto_slopes()

    def _auto_slopes(self) -> tuple[float, ...]:
        """Catmull-Rom style slopes (value per frame); 0 at the first and last key."""
        keys = self._keys
        slopes = [0.0] * len(keys)
        for i in range(1, len(keys) - 1):
            prev, nxt = keys[i - 1], keys[i + 1]
            slopes[i] = (nxt.value - prev.value) / (nxt.frame - prev.frame)
        return tuple(slopes)

    # ------------------------------------------------------------------ access
    @property
    def keys(self) -> tuple[Key, ...]:
        """The keys, sorted by frame."""
        return self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Curve):
            return NotImplemented
        return self._keys == other._keys

    def __hash__(self) -> int:
        return hash(self._keys)

    def __repr__(self) -> str:
        return f"Curve({list(self._keys)!r})"

    # ----------------------------------------------------------------- editing
    def set_key(self, key: Key) -> Curve:
        """A new curve with `key` added, replacing any key at the same frame."""
        return Curve((*self._keys, key))

    def remove_key(self, frame: float) -> Curve:
        """A new curve without the key at `frame` (the same keys if there is none there)."""
        return Curve(k for k in self._keys if k.frame != frame)

    def key_at(self, frame: float) -> Key | None:
        """The key at exactly `frame`, or None."""
        i = bisect_right(self._frames, frame) - 1
        return self._keys[i] if i >= 0 and self._frames[i] == frame else None

    def move_keys(self, moves: Mapping[float, tuple[float, float]]) -> Curve:
        """A new curve with keys moved together: `{old_frame: (new_frame, new_value)}`.

        The keys keep their interpolation and slopes. They move as a group, so keys may pass
        each other; a moved key landing on a key that is not moved replaces it.

        Raises:
            ValueError: a frame has no key, or two moved keys would land on one frame.
        """
        moved: dict[float, Key] = {}
        for old, (frame, value) in moves.items():
            key = self.key_at(old)
            if key is None:
                raise ValueError(f"no key at frame {old:g}")
            new = Key(frame, value, key.interp, key.in_slope, key.out_slope)
            if new.frame in moved:
                raise ValueError(f"two keys would land on frame {new.frame:g}")
            moved[new.frame] = new
        kept = [k for k in self._keys if k.frame not in moves and k.frame not in moved]
        return Curve((*kept, *moved.values()))

    def with_interp(self, frames: Iterable[float], interp: Interp | str) -> Curve:
        """A new curve whose keys at `frames` have interpolation `interp` (slopes are kept).

        Raises:
            ValueError: a frame has no key, or `interp` is unknown.
        """
        wanted = {float(f) for f in frames}
        missing = [f for f in wanted if self.key_at(f) is None]
        if missing:
            raise ValueError(f"no key at frame {min(missing):g}")
        interp = Interp(interp)
        return Curve(
            Key(k.frame, k.value, interp, k.in_slope, k.out_slope) if k.frame in wanted else k for k in self._keys
        )

    def with_slopes(self, frame: float, in_slope: float | None, out_slope: float | None) -> Curve:
        """A new curve whose key at `frame` has these slopes (value per frame; None: automatic).

        Raises:
            ValueError: there is no key at `frame`, or a slope is not a finite number.
        """
        key = self.key_at(frame)
        if key is None:
            raise ValueError(f"no key at frame {frame:g}")
        return self.set_key(Key(key.frame, key.value, key.interp, in_slope, out_slope))

    def slopes_at(self, frame: float) -> tuple[float, float]:
        """(in, out) slopes at the key at `frame`: the stored ones, else the automatic ones.

        These are what a cubic segment on either side of the key uses, so an editor can draw
        the key's tangent handles where the curve really leaves and arrives.

        Raises:
            ValueError: there is no key at `frame`.
        """
        i = bisect_right(self._frames, frame) - 1
        if i < 0 or self._frames[i] != frame:
            raise ValueError(f"no key at frame {frame:g}")
        key, auto = self._keys[i], self._slopes[i]
        return (auto if key.in_slope is None else key.in_slope, auto if key.out_slope is None else key.out_slope)

    # -------------------------------------------------------------- evaluation
    def value_at(self, frame: float) -> float:
        """The curve's value at `frame`.

        An empty curve is 0.0 everywhere; a single key is constant. Outside the keyed range
        the end values are held. Between two keys the first key's `interp` decides the shape.

        Raises:
            ValueError: if `frame` is NaN.
        """
        keys = self._keys
        if not keys:
            return 0.0
        if math.isnan(frame):
            raise ValueError("Curve.value_at: frame must not be NaN")
        frames = self._frames
        if frame <= frames[0]:
            return keys[0].value
        if frame >= frames[-1]:
            return keys[-1].value
        i = bisect_right(frames, frame) - 1  # frames[i] <= frame < frames[i + 1]
        k0, k1 = keys[i], keys[i + 1]
        if frame == k0.frame:
            return k0.value
        interp = k0.interp
        if interp is Interp.CONSTANT:
            return k0.value
        span = k1.frame - k0.frame
        s = (frame - k0.frame) / span
        if interp is Interp.LINEAR:
            return k0.value + (k1.value - k0.value) * s
        m0, m1 = self._slopes[i], self._slopes[i + 1]
        if interp is Interp.CUBIC:
            if k0.out_slope is not None:
                m0 = k0.out_slope
            if k1.in_slope is not None:
                m1 = k1.in_slope
        return _hermite(k0.value, k1.value, m0 * span, m1 * span, s)

    # ----------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: `{"keys": [{"frame": ..., "value": ..., "interp": ...}, ...]}`."""
        return {"keys": [k.to_dict() for k in self._keys]}

    @classmethod
    def from_dict(cls, data: Any, path: str = "curve") -> Curve:
        """Read the form written by `to_dict`, strictly.

        Args:
            data: the decoded JSON value.
            path: where `data` sits in the document; error messages start with it.

        Raises:
            ValueError: with a message like `"curve.keys[2].frame: expected a finite number,
                got 'x'"` for the first bad field found. Unknown fields, unknown interp names,
                non-finite numbers, booleans as numbers and duplicate frames are all refused.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: expected an object, got {_describe(data)}")
        for name in data:
            if name not in _CURVE_FIELDS:
                raise ValueError(f"{path}.{name}: unknown field")
        if "keys" not in data:
            raise ValueError(f"{path}.keys: required field is missing")
        raw_keys = data["keys"]
        if not isinstance(raw_keys, list):
            raise ValueError(f"{path}.keys: expected a list, got {_describe(raw_keys)}")
        keys: list[Key] = []
        seen: dict[float, int] = {}
        for index, raw in enumerate(raw_keys):
            key_path = f"{path}.keys[{index}]"
            key = _key_from_dict(raw, key_path)
            if key.frame in seen:
                raise ValueError(
                    f"{key_path}.frame: duplicate key at frame {key.frame:g} "
                    f"(also {path}.keys[{seen[key.frame]}])"
                )
            seen[key.frame] = index
            keys.append(key)
        return cls(keys)


def _hermite(v0: float, v1: float, t0: float, t1: float, s: float) -> float:
    """Cubic Hermite between v0 and v1 at s in [0, 1]; t0/t1 are tangents per unit of s."""
    s2 = s * s
    s3 = s2 * s
    h00 = 2.0 * s3 - 3.0 * s2 + 1.0
    h10 = s3 - 2.0 * s2 + s
    h01 = -2.0 * s3 + 3.0 * s2
    h11 = s3 - s2
    return h00 * v0 + h10 * t0 + h01 * v1 + h11 * t1


def _optional_number(raw: Mapping[str, Any], name: str, key_path: str) -> float | None:
    if raw.get(name) is None:
        return None
    return _required_number(raw, name, key_path)


def _required_number(raw: Mapping[str, Any], name: str, key_path: str) -> float:
    if name not in raw:
        raise ValueError(f"{key_path}.{name}: required field is missing")
    value = raw[name]
    if _is_number(value):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
    raise ValueError(f"{key_path}.{name}: expected a finite number, got {_describe(value)}")


def _key_from_dict(raw: Any, key_path: str) -> Key:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{key_path}: expected an object, got {_describe(raw)}")
    for name in raw:
        if name not in _KEY_FIELDS:
            raise ValueError(f"{key_path}.{name}: unknown field")
    frame = _required_number(raw, "frame", key_path)
    value = _required_number(raw, "value", key_path)
    in_slope = _optional_number(raw, "in_slope", key_path)
    out_slope = _optional_number(raw, "out_slope", key_path)
    interp = Interp.SMOOTH
    if "interp" in raw:
        name = raw["interp"]
        if not isinstance(name, str):
            raise ValueError(f"{key_path}.interp: expected a string, got {_describe(name)}")
        try:
            interp = Interp(name)
        except ValueError:
            known = ", ".join(i.value for i in Interp)
            raise ValueError(
                f"{key_path}.interp: unknown interpolation {_describe(name)} (expected one of: {known})"
            ) from None
    return Key(frame, value, interp, in_slope, out_slope)
