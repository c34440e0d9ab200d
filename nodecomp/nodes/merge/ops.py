"""Merge operations on premultiplied RGBA arrays, as Nuke defines them.

Each function takes A and B, two (H, W, 4) float32 arrays (R, G, B, A; premultiplied), and
writes the result into `out` (same shape, contiguous, distinct from A and B). Lower-case a
and b are the alphas of A and B. Every formula applies to all four channels, alpha included,
so `over` gives alpha a + b(1 - a).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Operation = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
_ONE = np.float32(1.0)


def _complement(alpha_of: np.ndarray) -> np.ndarray:
    """1 - alpha as an (H, W, 1) array that broadcasts over the four channels."""
    return np.subtract(_ONE, alpha_of[..., 3:4])


def _alpha(alpha_of: np.ndarray) -> np.ndarray:
    return alpha_of[..., 3:4]


def over(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A + B(1 - a): A in front of B (Porter-Duff src-over)."""
    np.multiply(b, _complement(a), out=out)
    np.add(out, a, out=out)


def under(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A(1 - b) + B: A behind B."""
    np.multiply(a, _complement(b), out=out)
    np.add(out, b, out=out)


def plus(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A + B."""
    np.add(a, b, out=out)


def minus(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A - B."""
    np.subtract(a, b, out=out)


def from_(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """B - A."""
    np.subtract(b, a, out=out)


def multiply(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """AB, except A where A < 0 and B < 0 (so two negatives do not make a positive)."""
    np.multiply(a, b, out=out)
    both_negative = np.less(a, 0.0)
    both_negative &= np.less(b, 0.0)
    np.copyto(out, a, where=both_negative)


def screen(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A + B - AB, except max(A, B) where A > 1 and B > 1."""
    np.multiply(a, b, out=out)
    np.subtract(b, out, out=out)
    np.add(out, a, out=out)
    both_bright = np.greater(a, 1.0)
    both_bright &= np.greater(b, 1.0)
    np.copyto(out, np.maximum(a, b), where=both_bright)


def maximum(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """max(A, B)."""
    np.maximum(a, b, out=out)


def minimum(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """min(A, B)."""
    np.minimum(a, b, out=out)


def difference(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """|A - B|."""
    np.subtract(a, b, out=out)
    np.abs(out, out=out)


def average(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """(A + B) / 2."""
    np.add(a, b, out=out)
    np.multiply(out, np.float32(0.5), out=out)


def in_(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """Ab: A where B is (Porter-Duff src-in)."""
    np.multiply(a, _alpha(b), out=out)


def out_(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A(1 - b): A where B is not (Porter-Duff src-out)."""
    np.multiply(a, _complement(b), out=out)


def mask(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """Ba: B where A is (Porter-Duff dst-in)."""
    np.multiply(b, _alpha(a), out=out)


def stencil(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """B(1 - a): B where A is not (Porter-Duff dst-out)."""
    np.multiply(b, _complement(a), out=out)


def atop(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """Ab + B(1 - a): A over B, only inside B (Porter-Duff src-atop)."""
    np.multiply(b, _complement(a), out=out)
    out += a * _alpha(b)


def xor(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A(1 - b) + B(1 - a): each where the other is not."""
    np.multiply(b, _complement(a), out=out)
    out += a * _complement(b)


def copy(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """A (B is ignored; use mix or a mask to blend)."""
    np.copyto(out, a)


OPERATIONS: dict[str, Operation] = {
    "over": over,
    "under": under,
    "plus": plus,
    "minus": minus,
    "from": from_,
    "multiply": multiply,
    "screen": screen,
    "max": maximum,
    "min": minimum,
    "difference": difference,
    "average": average,
    "in": in_,
    "out": out_,
    "mask": mask,
    "stencil": stencil,
    "atop": atop,
    "xor": xor,
    "copy": copy,
}


def merge_pixels(operation: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`operation` of A and B, two (H, W, 4) premultiplied RGBA arrays, into a new array.

    NaN and infinite inputs propagate as IEEE arithmetic says (inf * 0 is NaN) without warnings.

    Raises:
        KeyError: for an unknown operation name.
    """
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype=np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        OPERATIONS[operation](a, b, out)
    return out


def blend(result: np.ndarray, b: np.ndarray, amount: np.ndarray | float) -> None:
    """Blend towards B in place: result = B + (result - B) * amount.

    `amount` is a scalar or an (H, W, 1) array (mix times the mask).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        np.subtract(result, b, out=result)
        np.multiply(result, amount, out=result)
        np.add(result, b, out=result)
