"""Typed parameter declarations and the stored state of one parameter on one node.

A declaration (`Float`, `Color`, `Choice`...) says what a value may be; a `ParamState` holds what
the user set: a static value plus, per numeric component, an optional keyframe curve or
expression. `ParamState` is immutable so undo history and renders on other threads can share it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, ClassVar

from nodecomp.core.curves import Curve


def label_from_name(name: str) -> str:
    """`black_point` -> "Black Point"."""
    return " ".join(part.capitalize() for part in name.split("_"))


@dataclass(frozen=True)
class ParamSpec:
    """Base of every parameter declaration.

    Attributes:
        name: lower_snake identifier, stable forever (it is the file format).
        default: value used when the user set nothing.
        doc: one or two sentences for the properties panel and the generated docs.
        label: display name; derived from `name` when empty.
        animatable: whether keyframes and expressions are accepted.
        pixels: the value is a distance or position in pixels (a blur size, a translate, a
            box corner). At a proxy scale the engine multiplies it by the scale before compute
            for node types that support scale. Only Float, Int, Vec2 and Vec3 may set it.
    """

    name: str
    default: Any = None
    doc: str = ""
    label: str = ""
    pixels: bool = field(default=False, kw_only=True)
    animatable: ClassVar[bool] = False
    kind: ClassVar[str] = "value"
    components: ClassVar[int] = 1

    @property
    def display_label(self) -> str:
        """The label shown to users."""
        return self.label or label_from_name(self.name)

    def coerce(self, value: Any) -> Any:
        """Return `value` converted to this param's canonical Python type, or raise ValueError."""
        return value

    def to_json(self, value: Any) -> Any:
        """The JSON form of a coerced value."""
        return value

    def describe(self) -> dict[str, Any]:
        """A plain description for docs, the CLI and the properties panel."""
        described = {"name": self.name, "kind": self.kind, "default": self.to_json(self.default), "doc": self.doc}
        if self.pixels:
            described["pixels"] = True
        return described


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected {what}, got {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"expected a finite number, got an integer of {value.bit_length()} bits") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {number!r}")
    return number


@dataclass(frozen=True)
class Float(ParamSpec):
    """A real number, optionally bounded; `slider_min`/`slider_max` only guide the UI."""

    default: float = 0.0
    min: float | None = None
    max: float | None = None
    slider_min: float | None = None
    slider_max: float | None = None
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "float"

    def coerce(self, value: Any) -> float:
        """Check the bounds as well as the type."""
        number = _finite(value, "a number")
        if self.min is not None and number < self.min:
            raise ValueError(f"{number:g} is below the minimum {self.min:g}")
        if self.max is not None and number > self.max:
            raise ValueError(f"{number:g} is above the maximum {self.max:g}")
        return number


@dataclass(frozen=True)
class Int(ParamSpec):
    """An integer, optionally bounded."""

    default: int = 0
    min: int | None = None
    max: int | None = None
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "int"

    def coerce(self, value: Any) -> int:
        """Accept integers and floats; fractions (curves between keys) round to the nearest integer."""
        number = _finite(value, "an integer")
        if not number.is_integer():
            number = float(round(number))
        result = int(number)
        if self.min is not None and result < self.min:
            raise ValueError(f"{result} is below the minimum {self.min}")
        if self.max is not None and result > self.max:
            raise ValueError(f"{result} is above the maximum {self.max}")
        return result


@dataclass(frozen=True)
class Bool(ParamSpec):
    """A checkbox. Animatable (a curve > 0.5 means on) so switches can be keyed."""

    default: bool = False
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "bool"

    def coerce(self, value: Any) -> bool:
        """Accept booleans, and numbers from curves or expressions."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return _finite(value, "true or false") > 0.5
        raise ValueError(f"expected true or false, got {value!r}")


@dataclass(frozen=True)
class Choice(ParamSpec):
    """One of a fixed list of strings; the strings are the file format, never ordinals."""

    default: str = ""
    choices: tuple[str, ...] = ()
    kind: ClassVar[str] = "choice"

    def __post_init__(self) -> None:
        if not self.default and self.choices:
            object.__setattr__(self, "default", self.choices[0])

    def coerce(self, value: Any) -> str:
        """Accept a listed string, or a StrEnum member of one."""
        if isinstance(value, StrEnum):
            value = value.value
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError(f"expected one of {', '.join(self.choices)}, got {value!r}")
        return value

    def describe(self) -> dict[str, Any]:
        """Add the list of choices."""
        return {**super().describe(), "choices": list(self.choices)}


@dataclass(frozen=True)
class String(ParamSpec):
    """Free text (a prompt, a label, metadata lines)."""

    default: str = ""
    multiline: bool = False
    kind: ClassVar[str] = "string"

    def coerce(self, value: Any) -> str:
        """Only strings; numbers are not silently turned into text."""
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value


@dataclass(frozen=True)
class Path(String):
    """A file or sequence path (`plate.####.exr`); the UI offers a browser."""

    kind: ClassVar[str] = "path"


@dataclass(frozen=True)
class _Vector(ParamSpec):
    """A fixed-length tuple of floats; each component animates on its own."""

    min: float | None = None
    max: float | None = None

    def coerce(self, value: Any) -> tuple[float, ...]:
        """Accept a sequence of the right length, or one number broadcast to every component."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = (value,) * self.components
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != self.components:
            raise ValueError(f"expected {self.components} numbers, got {value!r}")
        numbers = tuple(_finite(v, "a number") for v in value)
        for number in numbers:
            if self.min is not None and number < self.min:
                raise ValueError(f"{number:g} is below the minimum {self.min:g}")
            if self.max is not None and number > self.max:
                raise ValueError(f"{number:g} is above the maximum {self.max:g}")
        return numbers

    def to_json(self, value: Any) -> Any:
        """Tuples become lists."""
        return list(value) if value is not None else None


@dataclass(frozen=True)
class Vec2(_Vector):
    """Two floats (x, y), e.g. a translate or a per-axis size."""

    default: tuple[float, float] = (0.0, 0.0)
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "vec2"
    components: ClassVar[int] = 2


@dataclass(frozen=True)
class Vec3(_Vector):
    """Three floats."""

    default: tuple[float, float, float] = (0.0, 0.0, 0.0)
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "vec3"
    components: ClassVar[int] = 3


@dataclass(frozen=True)
class Color(_Vector):
    """RGBA floats in the working colour space (scene-linear); values above 1 are legal."""

    default: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    animatable: ClassVar[bool] = True
    kind: ClassVar[str] = "color"
    components: ClassVar[int] = 4


@dataclass(frozen=True)
class ParamState:
    """What the user set on one parameter: a static value plus per-component curves or expressions.

    Component indices are 0 for scalars and 0..n-1 for vectors and colours. A component with an
    expression ignores its curve; a component with neither uses the static value.
    """

    value: Any
    curves: Mapping[int, Curve] = field(default_factory=dict)
    expressions: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_animated(self) -> bool:
        """True when any component has a curve or an expression."""
        return bool(self.curves or self.expressions)

    def with_value(self, value: Any) -> ParamState:
        """A copy with a new static value; animation is kept."""
        return replace(self, value=value)

    def with_curve(self, component: int, curve: Curve | None) -> ParamState:
        """A copy with `curve` on `component` (None removes it)."""
        curves = dict(self.curves)
        if curve is None or len(curve) == 0:
            curves.pop(component, None)
        else:
            curves[component] = curve
        return replace(self, curves=curves)

    def with_expression(self, component: int, source: str | None) -> ParamState:
        """A copy with an expression on `component` (None or empty removes it)."""
        expressions = dict(self.expressions)
        if source:
            expressions[component] = source
        else:
            expressions.pop(component, None)
        return replace(self, expressions=expressions)
