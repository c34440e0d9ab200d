"""Typed field access on parsed JSON/YAML that records every problem with its field path.

The wall-file reader walks the document once and collects all problems (`walls[1].arc.radius:
must be a number above 0`), so a stage engineer fixes a file in one pass instead of one error
per run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

E = TypeVar("E", bound=StrEnum)

_MISSING = object()


class Fields:
    """Reads values out of nested dicts and lists; problems are collected, never raised."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        """Record that the field at `path` is wrong."""
        self.problems.append((path, message))

    # ------------------------------------------------------------ containers
    def mapping(self, value: Any, path: str, allowed: Iterable[str]) -> dict[str, Any]:
        """`value` as a dict whose keys are all in `allowed` (an empty dict when it is not one)."""
        if not isinstance(value, dict):
            self.problem(path, f"must be an object, got {_kind(value)}")
            return {}
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                self.problem(_join(path, str(key)), f"unknown field (allowed: {', '.join(allowed)})")
        return value

    def items(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[Any]:
        """The list at `data[key]` (empty when missing and optional, or not a list)."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(_join(path, key), "is required (a list)")
            return []
        if not isinstance(value, list):
            self.problem(_join(path, key), f"must be a list, got {_kind(value)}")
            return []
        return value

    # ------------------------------------------------------------ scalars
    def text(self, data: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        """A non-empty string (required unless `default` is given)."""
        value = self._get(data, key, path, default)
        if value is _MISSING:
            return default or ""
        if not isinstance(value, str) or (not value.strip() and default is None):
            self.problem(_join(path, key), f"must be a non-empty string, got {_kind(value)}")
            return default or ""
        return value

    def integer(self, data: dict[str, Any], key: str, path: str, default: int | None = None, *,
                minimum: int | None = None, maximum: int | None = None) -> int:
        """A whole number within bounds (JSON 24.0 is accepted as 24)."""
        value = self._get(data, key, path, default)
        if value is _MISSING:
            return default if default is not None else 0
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(_join(path, key), f"must be a whole number, got {_kind(value)}")
            return default if default is not None else 0
        if not self._within(_join(path, key), value, minimum, maximum):
            return default if default is not None else (minimum or 0)
        return value

    def number(self, data: dict[str, Any], key: str, path: str, default: float | None = None, *,
               minimum: float | None = None, maximum: float | None = None, above: float | None = None) -> float:
        """A finite number within bounds; `above` is an exclusive lower bound."""
        value = self._get(data, key, path, default)
        if value is _MISSING:
            return float(default) if default is not None else 0.0
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(_join(path, key), f"must be a number, got {_kind(value)}")
            return float(default) if default is not None else 0.0
        if above is not None and value <= above:
            self.problem(_join(path, key), f"must be a number above {above:g}, got {value!r}")
            return float(default) if default is not None else above + 1.0
        if not self._within(_join(path, key), value, minimum, maximum):
            return float(default) if default is not None else float(minimum or 0)
        return float(value)

    def optional_number(self, data: dict[str, Any], key: str, path: str, *, above: float = 0.0) -> float | None:
        """A number above `above`, or None when the field is absent or null."""
        if data.get(key) is None:
            return None
        return self.number(data, key, path, above=above)

    def choice(self, data: dict[str, Any], key: str, path: str, enum: type[E], default: E | None = None) -> E:
        """One of a StrEnum's values."""
        value = self._get(data, key, path, default)
        if value is _MISSING:
            return default if default is not None else next(iter(enum))
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(member.value for member in enum)
            self.problem(_join(path, key), f"must be one of {choices}, got {value!r}")
            return default if default is not None else next(iter(enum))

    def vector(self, data: dict[str, Any], key: str, path: str, default: tuple[float, ...]) -> tuple[float, ...]:
        """A list of len(default) finite numbers."""
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        ok = (isinstance(value, list) and len(value) == len(default)
              and all(not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v) for v in value))
        if not ok:
            self.problem(_join(path, key), f"must be a list of {len(default)} numbers, got {value!r}")
            return default
        return tuple(float(v) for v in value)

    # ------------------------------------------------------------ helpers
    def _get(self, data: dict[str, Any], key: str, path: str, default: Any) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is None:
                self.problem(_join(path, key), "is required")
            return _MISSING
        return value

    def _within(self, path: str, value: float, minimum: float | None, maximum: float | None) -> bool:
        if minimum is not None and value < minimum:
            self.problem(path, f"must be at least {minimum:g}, got {value!r}")
            return False
        if maximum is not None and value > maximum:
            self.problem(path, f"must be at most {maximum:g}, got {value!r}")
            return False
        return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)
