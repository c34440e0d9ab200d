"""Safe parameter expressions, evaluated with simpleeval (never Python's `eval`).

An expression is one Python-syntax expression such as ``sin(frame / 10) * Grade1.multiply``.
It sees the current frame (``frame``, alias ``t``), a few constants (``pi``, ``e``, ``tau``), a
fixed set of math functions, and other nodes' params written ``Node.param`` (and
``Node.param[0]`` or ``Node.param.x`` for tuple-valued params), resolved through a `lookup`
callback supplied by the document.

Everything a user can type is untrusted. On top of simpleeval's own restrictions (no names
starting with ``_``, no imports, no lambdas, bounded powers and string repeats) this module:

* only allows attribute access on node references (and ``.x/.y/.z/.w``, ``.r/.g/.b/.a`` on
  tuples), so no method of a Python object is reachable;
* has no f-strings, no ``%`` string formatting, no comprehensions, no lists, dicts or sets,
  and no nested tuples;
* bounds integer powers by the size of their result, and the source length;
* checks that the result is a finite number, a bool, a string or a flat tuple of numbers.

Every failure comes out as `ExpressionError`, a `ParamError` naming the expression.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import re
import struct
import threading
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeAlias

import simpleeval

from nodecomp.core.errors import CancelledError, ParamError

__all__ = [
    "MAX_DEPTH",
    "MAX_SOURCE_LENGTH",
    "RESERVED_NAMES",
    "ExpressionError",
    "ExpressionValue",
    "Lookup",
    "evaluate",
    "referenced_nodes",
    "rename_references",
]

MAX_SOURCE_LENGTH = 2000
MAX_DEPTH = 100
"""Deepest expression tree accepted (`1+1+...` nests one level per operator); plenty for params."""
"""Longest expression source accepted, in characters."""

_MAX_INT_BITS = 4096
"""Integer powers whose result would exceed this many bits are refused."""

_MESSAGE_SOURCE_LENGTH = 120
"""Longest excerpt of the source quoted in an error message."""

ExpressionValue: TypeAlias = float | int | bool | str | tuple[float, ...]
"""What an expression may evaluate to."""

Lookup: TypeAlias = Callable[[str, str], Any]
"""`lookup(node_name, param_name)`: the other param's value at the frame being evaluated."""


class ExpressionError(ParamError):
    """An expression that cannot be evaluated: bad syntax, a refused operation, a failed lookup.

    Attributes:
        expression: the source text of the expression.
    """

    def __init__(
        self,
        message: str,
        *,
        expression: str,
        node: str | None = None,
        param: str | None = None,
        frame: float | None = None,
    ) -> None:
        self.expression = expression
        super().__init__(message, node=node, param=param, frame=frame)


# ---------------------------------------------------------------- functions


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} expects numbers, got {type(value).__name__}")
    return float(value)


def _safe_pow(base: Any, exponent: Any) -> Any:
    """`base ** exponent`, bounded: simpleeval's MAX_POWER, a result size, no complex results."""
    for operand in (base, exponent):
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            raise TypeError(f"unsupported operand type for **: {type(operand).__name__}")
    if abs(exponent) > simpleeval.MAX_POWER:
        raise simpleeval.NumberTooHigh(f"exponent {exponent} is too large")
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if math.log2(abs(base)) * exponent > _MAX_INT_BITS:
            shown = f"{base} ** {exponent}" if abs(base) < 10**15 else "the power"
            raise simpleeval.NumberTooHigh(f"{shown} is too large")
    result = base**exponent
    if isinstance(result, complex):
        raise ValueError("negative number raised to a fractional power")
    return result


def _safe_mod(a: Any, b: Any) -> Any:
    """`a % b` for numbers only: `%` on a string would be printf-style formatting."""
    if isinstance(a, str | bytes):
        raise simpleeval.FeatureNotAvailable("string formatting with % is not allowed")
    return operator.mod(a, b)


def _clamp(x: Any, lo: Any, hi: Any) -> float:
    x, lo, hi = _number(x, "clamp"), _number(lo, "clamp"), _number(hi, "clamp")
    return min(max(x, lo), hi)


def _lerp(a: Any, b: Any, t: Any) -> float:
    a, b, t = _number(a, "lerp"), _number(b, "lerp"), _number(t, "lerp")
    return a + (b - a) * t


def _smoothstep(edge0: Any, edge1: Any, x: Any) -> float:
    edge0, edge1 = _number(edge0, "smoothstep"), _number(edge1, "smoothstep")
    x = _number(x, "smoothstep")
    if edge0 == edge1:
        return 0.0 if x < edge0 else 1.0
    t = min(max((x - edge0) / (edge1 - edge0), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


_MASK64 = (1 << 64) - 1
_RANDOM_SALT = 0x9E3779B97F4A7C15
_NOISE_SALT = 0xD1B54A32D192ED03


def _mix64(x: int) -> int:
    """SplitMix64 finaliser: a well-distributed 64-bit hash of a 64-bit integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def _unit(h: int) -> float:
    """Top 53 bits of a 64-bit hash as a float in [0, 1)."""
    return (h >> 11) * (1.0 / (1 << 53))


def _float_bits(value: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", value + 0.0))[0]  # + 0.0 folds -0.0 into 0.0


def _random(seed: Any) -> float:
    """A deterministic pseudo-random float in [0, 1) for `seed` (same seed, same value)."""
    value = _number(seed, "random")
    if not math.isfinite(value):
        raise ValueError("random() needs a finite seed")
    return _unit(_mix64(_float_bits(value) ^ _RANDOM_SALT))


def _lattice(i: int, seed_bits: int) -> float:
    """Value in [-1, 1] at integer lattice point `i`."""
    return 2.0 * _unit(_mix64(_mix64((i & _MASK64) ^ _NOISE_SALT) ^ seed_bits)) - 1.0


def _noise(x: Any, seed: Any = 0) -> float:
    """Smooth deterministic 1D value noise in [-1, 1]; `seed` picks another noise."""
    value = _number(x, "noise")
    seed_value = _number(seed, "noise")
    if not (math.isfinite(value) and math.isfinite(seed_value)):
        raise ValueError("noise() needs finite arguments")
    cell = math.floor(value)
    frac = value - cell
    seed_bits = _float_bits(seed_value)
    a = _lattice(cell, seed_bits)
    b = _lattice(cell + 1, seed_bits)
    fade = frac * frac * frac * (frac * (frac * 6.0 - 15.0) + 10.0)  # quintic: C2 smooth
    return a + (b - a) * fade


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "int": int,
    "float": float,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "atan2": math.atan2,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "pow": _safe_pow,
    "floor": math.floor,
    "ceil": math.ceil,
    "clamp": _clamp,
    "lerp": _lerp,
    "smoothstep": _smoothstep,
    "fmod": math.fmod,
    "degrees": math.degrees,
    "radians": math.radians,
    "hypot": math.hypot,
    "random": _random,
    "noise": _noise,
}

_CONSTANTS: dict[str, Any] = {"pi": math.pi, "e": math.e, "tau": math.tau, "True": True, "False": False}

RESERVED_NAMES: frozenset[str] = frozenset({"frame", "t", *_CONSTANTS, *_FUNCTIONS})
"""Names that mean something in an expression; a node with one of these names cannot be referenced."""

_OPERATORS: dict[type, Callable[..., Any]] = {
    **simpleeval.DEFAULT_OPERATORS,
    ast.Pow: _safe_pow,
    ast.Mod: _safe_mod,
}

_LITERAL_TYPES = (int, float, str, bool, type(None))

_SWIZZLE = {"x": 0, "y": 1, "z": 2, "w": 3, "r": 0, "g": 1, "b": 2, "a": 3}


# ---------------------------------------------------------------- evaluator


class _Evaluator(simpleeval.SimpleEval):
    """A simpleeval instance configured for parameter expressions."""

    def __init__(self, frame: float, lookup: Lookup | None) -> None:
        names = {**_CONSTANTS, "frame": frame, "t": frame}
        super().__init__(operators=dict(_OPERATORS), functions=dict(_FUNCTIONS), names=names)
        self._lookup = lookup
        self.ATTR_INDEX_FALLBACK = False
        for node_type in (ast.JoinedStr, ast.FormattedValue):  # f-strings can build huge strings
            self.nodes.pop(node_type, None)
        self.nodes[ast.Attribute] = self._eval_attribute
        self.nodes[ast.Tuple] = self._eval_tuple
        self.nodes[ast.Constant] = self._eval_literal

    def _eval_literal(self, node: ast.Constant) -> Any:
        if not isinstance(node.value, _LITERAL_TYPES):
            raise simpleeval.FeatureNotAvailable(f"{type(node.value).__name__} literals are not allowed")
        return self._eval_constant(node)

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        attr = node.attr
        # simpleeval's global rules first: no `_private`, no `func_`, no `format`, `mro`...
        if attr.startswith(tuple(simpleeval.DISALLOW_PREFIXES)) or attr in simpleeval.DISALLOW_METHODS:
            raise simpleeval.FeatureNotAvailable(f"access to '.{attr}' is not allowed")
        if _is_node_reference(node):
            assert isinstance(node.value, ast.Name)  # checked by _is_node_reference
            return self._resolve(node.value.id, attr)
        value = self._eval(node.value)
        if isinstance(value, tuple) and attr in _SWIZZLE:
            index = _SWIZZLE[attr]
            if index >= len(value):
                raise IndexError(f"'.{attr}' needs at least {index + 1} components, got {len(value)}")
            return value[index]
        raise simpleeval.FeatureNotAvailable(
            f"'.{attr}' is not allowed here: attributes are only for node references like Node.param"
        )

    def _resolve(self, node_name: str, param: str) -> Any:
        if self._lookup is None:
            raise _LookupFailed(f"cannot read {node_name}.{param}: node references are not available here")
        try:
            value = self._lookup(node_name, param)
        except (ExpressionError, CancelledError):
            raise
        except Exception as exc:
            detail = "not found" if isinstance(exc, KeyError) else (str(exc) or type(exc).__name__)
            raise _LookupFailed(f"cannot read {node_name}.{param}: {detail}") from exc
        if not _is_value(value, allow_str=True):
            raise _LookupFailed(
                f"{node_name}.{param} is a {type(value).__name__}, which expressions cannot use"
            )
        return value

    def _eval_tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        items: list[Any] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                value = self._eval(element.value)
                if not isinstance(value, tuple):
                    raise TypeError(f"cannot unpack a {type(value).__name__} with *")
                items.extend(value)
            else:
                items.append(self._eval(element))
        if any(isinstance(item, tuple) for item in items):
            raise simpleeval.FeatureNotAvailable("nested tuples are not allowed")
        return tuple(items)


class _LookupFailed(Exception):
    """A node reference that could not be resolved (reported as such, without a type name)."""


def _is_node_reference(node: ast.AST) -> bool:
    """True for `Name.attr` where `Name` is not a reserved name (frame, pi, a function...)."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id not in RESERVED_NAMES
    )


def _is_value(value: Any, *, allow_str: bool) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return _is_finite(value)
    if isinstance(value, str):
        return allow_str
    if isinstance(value, tuple):
        return all(
            not isinstance(item, bool) and isinstance(item, int | float) and _is_finite(item)
            for item in value
        )
    return False


def _is_finite(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


_PARSE_LOCK = threading.Lock()


@lru_cache(maxsize=1024)
def _parse(source: str) -> ast.expr:
    """Parse one expression (cached: the tree is only read). Raises SyntaxError."""
    # warnings.catch_warnings is process-global state; the lock keeps our own threads from
    # interleaving it. It silences e.g. "invalid escape sequence" from the parser.
    with _PARSE_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source.strip(), mode="eval")
    _check_depth(tree.body)
    return tree.body


def _check_depth(tree: ast.AST) -> None:
    """Refuse trees deeper than MAX_DEPTH before the (recursive) evaluator walks them.

    Depth is measured without recursion, so the limit does not depend on how much of Python's
    recursion limit the caller has left (the engine raises it for deep node graphs).
    """
    stack = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            raise RecursionError(f"deeper than {MAX_DEPTH}")
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))


def _shorten(source: str) -> str:
    if len(source) <= _MESSAGE_SOURCE_LENGTH:
        return source
    return source[: _MESSAGE_SOURCE_LENGTH - 3] + "..."


def _reason(exc: BaseException) -> str:
    """One readable line for why evaluation failed."""
    if isinstance(exc, SyntaxError):
        where = f" at column {exc.offset}" if exc.offset else ""
        if exc.lineno and exc.lineno > 1:
            where = f" on line {exc.lineno}{where}"
        return f"syntax error{where}: {exc.msg}"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, simpleeval.NameNotDefined):
        return f"unknown name '{exc.name}'"
    if isinstance(exc, simpleeval.FunctionNotDefined):
        return f"unknown function '{exc.func_name}'"
    if isinstance(exc, simpleeval.OperatorNotDefined):
        return f"operator {type(exc.attr).__name__} is not allowed"
    if isinstance(exc, RecursionError):
        return "expression is nested too deeply"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OverflowError):
        return "number too large"
    text = str(exc)
    if isinstance(exc, simpleeval.FeatureNotAvailable):
        match = _NOT_AVAILABLE.match(text)
        if match:
            syntax = match.group(1)
            return f"{_SYNTAX_NAMES.get(syntax, syntax)} is not allowed in expressions"
    if isinstance(exc, KeyError):
        return f"key {text} not found"
    if text and isinstance(
        exc,
        simpleeval.InvalidExpression | _LookupFailed | ValueError | TypeError | ArithmeticError | IndexError,
    ):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_NOT_AVAILABLE = re.compile(r"Sorry, (\w+) is not available in this evaluator")
_SYNTAX_NAMES = {
    "Lambda": "lambda",
    "ListComp": "a list comprehension",
    "SetComp": "a set comprehension",
    "DictComp": "a dict comprehension",
    "GeneratorExp": "a generator expression",
    "List": "a list",
    "Dict": "a dict",
    "Set": "a set",
    "JoinedStr": "an f-string",
    "NamedExpr": "assignment (:=)",
    "Starred": "unpacking with *",
    "Await": "await",
}


def evaluate(
    source: str,
    *,
    frame: float,
    lookup: Lookup | None = None,
    node: str | None = None,
    param: str | None = None,
) -> ExpressionValue:
    """Evaluate an expression at `frame`.

    Args:
        source: the expression text, e.g. ``"Grade1.multiply * 2 + sin(frame / 10)"``.
        frame: the frame being evaluated; the expression sees it as ``frame`` and ``t``.
        lookup: resolves ``Node.param`` references: ``lookup(node_name, param_name)`` returns
            that param's value at `frame` (a number, bool, string or tuple of numbers). When
            None, any node reference fails.
        node: the node owning the expression, for error messages.
        param: the param owning the expression, for error messages.

    Returns:
        A finite number, a bool, a string, or a flat tuple of finite numbers.

    Raises:
        ExpressionError: for every failure: syntax, unknown names, refused operations, limits,
            math errors, failed lookups and results of the wrong type. Errors from `lookup`
            that are already `ExpressionError`s (another param's expression failing) pass
            through unchanged.
        CancelledError: only when `lookup` raises it (cancellation must not be swallowed).
    """

    def fail(reason: str) -> ExpressionError:
        return ExpressionError(
            f"expression '{_shorten(source)}' failed: {reason}",
            expression=source,
            node=node,
            param=param,
            frame=frame,
        )

    if not isinstance(source, str):
        raise ExpressionError(
            f"expression must be a string, got {type(source).__name__}",
            expression=repr(source),
            node=node,
            param=param,
            frame=frame,
        )
    if len(source) > MAX_SOURCE_LENGTH:
        raise fail(f"expression is longer than {MAX_SOURCE_LENGTH} characters")
    if not source.strip():
        raise fail("expression is empty")
    try:
        evaluator = _Evaluator(float(frame), lookup)
        result = evaluator.eval(source, previously_parsed=_parse(source))
    except (ExpressionError, CancelledError):
        raise
    except Exception as exc:  # untrusted input: whatever went wrong is the user's expression
        raise fail(_reason(exc)) from exc
    if not _is_value(result, allow_str=True):
        if isinstance(result, float):
            raise fail(f"result {result!r} is not a finite number")
        if isinstance(result, int):
            raise fail("result is too large")
        if isinstance(result, tuple):
            raise fail("result tuple must contain only finite numbers")
        raise fail(
            f"result is a {type(result).__name__}, expected a number, bool, string or tuple of numbers"
        )
    return result


# ---------------------------------------------------------------- references

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _try_parse(source: str) -> ast.expr | None:
    if not isinstance(source, str) or len(source) > MAX_SOURCE_LENGTH or not source.strip():
        return None
    try:
        return _parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _reference_names(tree: ast.expr) -> list[ast.Name]:
    """The `Name` nodes of every `Node.param` reference, outside f-strings (never evaluated)."""
    found: list[ast.Name] = []
    stack: list[ast.AST] = [tree]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.JoinedStr):
            continue
        if _is_node_reference(current):
            assert isinstance(current, ast.Attribute) and isinstance(current.value, ast.Name)
            found.append(current.value)
        stack.extend(ast.iter_child_nodes(current))
    return found


def referenced_nodes(source: str) -> set[str]:
    """Names of the nodes that `source` references as ``Node.param``.

    Reserved names (``frame``, ``pi``, function names...) are never node references. Source
    that does not parse references nothing (evaluating it fails anyway).
    """
    tree = _try_parse(source)
    if tree is None:
        return set()
    return {name.id for name in _reference_names(tree)}


def rename_references(source: str, old: str, new: str) -> str:
    """Rewrite references ``old.param`` to ``new.param``, leaving everything else untouched.

    Only whole node references change: ``old`` inside a string, inside a longer identifier
    or after a dot (``X.old.y``) is kept. Source that does not parse is returned unchanged.

    Raises:
        ValueError: if `new` is not a valid identifier (or is a keyword or reserved name).
    """
    if not new.isidentifier() or keyword.iskeyword(new) or new in RESERVED_NAMES:
        raise ValueError(f"cannot rename references to {new!r}: not a valid node name for expressions")
    if old == new or old in RESERVED_NAMES:
        return source
    tree = _try_parse(source)
    if tree is None:
        return source
    targets = [name for name in _reference_names(tree) if name.id == old]
    if not targets:
        return source

    # The source was parsed after strip(); ast positions are (line, UTF-8 byte column) there.
    stripped = source.strip()
    lead = len(source) - len(source.lstrip())
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(stripped)]
    spans: list[tuple[int, int]] = []
    for name in targets:
        start_of_line = line_starts[name.lineno - 1]
        line_end = line_starts[name.lineno] if name.lineno < len(line_starts) else len(stripped)
        line = stripped[start_of_line:line_end]
        column = len(line.encode("utf-8")[: name.col_offset].decode("utf-8"))
        start = lead + start_of_line + column
        spans.append((start, start + len(old)))
    result = source
    for start, end in sorted(spans, reverse=True):
        if result[start:end] != old:  # defensive: never corrupt the text
            return source
        result = result[:start] + new + result[end:]
    return result
