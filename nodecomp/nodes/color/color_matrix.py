"""ColorMatrix: any 3x3 (RGB) or 4x4 (RGBA) linear mix of the channels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGBA, Bool, Choice, Color, EvalContext, Float, Image, Input, NodeType
from nodecomp.nodes.color.affine import affine_pixels, embed, mix_affine

SIZES = ("3x3", "4x4")
ROWS = ("red_row", "green_row", "blue_row", "alpha_row")
_IDENTITY_ROWS = ((1.0, 0.0, 0.0, 0.0), (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0), (0.0, 0.0, 0.0, 1.0))


class SingularMatrixError(ValueError):
    """The matrix has no inverse."""


def colour_matrix(rows: tuple[tuple[float, ...], ...], size: str, invert: bool) -> np.ndarray:
    """The (n, n) matrix (n = 3 or 4) from the row params, inverted if asked.

    Raises:
        SingularMatrixError: `invert` on a matrix without an inverse.
    """
    n = 3 if size == "3x3" else 4
    matrix = np.array([row[:n] for row in rows[:n]], dtype=np.float64)
    if not invert:
        return matrix
    if abs(np.linalg.det(matrix)) < 1e-12 or np.linalg.cond(matrix) > 1e12:
        raise SingularMatrixError(f"the {size} matrix has no inverse (determinant {np.linalg.det(matrix):.3g})")
    return np.linalg.inv(matrix)


class ColorMatrix(NodeType):
    """Multiplies each pixel's colour by a matrix, as Nuke's ColorMatrix.

    3x3 (default): the first three values of `red_row`, `green_row`, `blue_row`:

        R' = red_row[0] * R + red_row[1] * G + red_row[2] * B        (G', B' alike)

    4x4: all four values of all four rows, with A as a fourth input and output (alpha_row
    makes the new alpha). `invert` applies the matrix's inverse instead, to undo a conversion
    (a singular matrix is then an error). The result is blended with the input by `mix`.

    Linear, so a 3x3 works on premultiplied pixels as they come; a 4x4 mixing alpha into
    colour (or colour into alpha) changes what "premultiplied" means and is applied as given.
    A missing R, G, B (or A for 4x4) reads as zero and is not written; other layers are
    copied. Only non-zero coefficients read a channel, so a NaN stays in the outputs that use it.
    """

    type_id = "nodecomp.ColorMatrix"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to transform."),)
    params = (
        Choice("matrix_size", default="3x3", choices=SIZES,
               doc="3x3 mixes R, G, B (alpha untouched); 4x4 mixes R, G, B, A."),
        Color("red_row", default=_IDENTITY_ROWS[0], doc="Weights of R, G, B, A that make the new red."),
        Color("green_row", default=_IDENTITY_ROWS[1], doc="Weights of R, G, B, A that make the new green."),
        Color("blue_row", default=_IDENTITY_ROWS[2], doc="Weights of R, G, B, A that make the new blue."),
        Color("alpha_row", default=_IDENTITY_ROWS[3], doc="Weights of R, G, B, A that make the new alpha (4x4)."),
        Bool("invert", default=False, doc="Apply the inverse matrix (undo a conversion)."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """An identity matrix (inverted or not) or mix 0 change nothing."""
        n = 3 if params["matrix_size"] == "3x3" else 4
        rows = [tuple(params[name])[:n] for name in ROWS[:n]]
        return "source" if rows == [row[:n] for row in _IDENTITY_ROWS[:n]] or params["mix"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, matrix_size: str, red_row: tuple[float, ...],
                green_row: tuple[float, ...], blue_row: tuple[float, ...], alpha_row: tuple[float, ...],
                invert: bool, mix: float) -> Image:
        """Apply the matrix to the main R, G, B (and A)."""
        try:
            block = colour_matrix((red_row, green_row, blue_row, alpha_row), matrix_size, invert)
        except SingularMatrixError as exc:
            raise ctx.error(str(exc), hint="turn invert off or fix the rows") from None
        wanted = RGBA[: block.shape[0]]
        present = [i for i, name in enumerate(wanted) if name in source.channels]
        if not present:
            return source
        indices = [source.index(wanted[i]) for i in present]
        # Rows of missing outputs are dropped; columns of missing inputs read zero (dropped too).
        count = len(source.channels)
        matrix = embed(block[np.ix_(present, present)], indices, count)
        matrix, offset, reads = mix_affine(matrix, np.zeros(count), mix)
        return source.with_pixels(affine_pixels(source.pixels, matrix, offset, reads))
