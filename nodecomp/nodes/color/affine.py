"""Per-pixel affine colour maps (out = M @ in + b over all channels) in one OpenCV pass.

Saturation, HueShift, ColorMatrix, Exposure and Invert are all affine in the channel values,
so each builds a (C, C) matrix and a (C,) offset, folds `mix` into them, and calls
`affine_pixels` once: `cv2.transform` writes the output array directly (SIMD and threaded),
about as fast as a memory copy of the frame. Channels a node does not touch keep an identity
row.

NaN and infinity: OpenCV sums every term of a row, so a NaN (or an infinity times a zero
coefficient) in one channel would spread to channels whose row does not use it. The result is
defined as the sum over the non-zero coefficients only: a NaN in alpha never reaches R of a
Saturation. Frames with no NaN in the result (the usual case) cost one extra reduction; the few
pixels of other frames are recomputed that way in numpy.
"""

from __future__ import annotations

import cv2
import numpy as np


def mix_affine(matrix: np.ndarray, offset: np.ndarray, mix: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The map `in + (M @ in + b - in) * mix` as a matrix and offset of its own, plus what it reads.

    The third value is `affine_pixels`'s `reads`: with mix below 1 every output also reads its
    own input, even where the folded coefficient happens to be 0 (Invert at mix 0.5), so a NaN
    there stays NaN.
    """
    count = matrix.shape[0]
    mixed = np.eye(count) * (1.0 - mix) + np.asarray(matrix, np.float64) * mix
    reads = np.asarray(matrix) != 0
    if mix != 1.0:
        reads = reads | np.eye(count, dtype=bool)
    return mixed, np.asarray(offset, np.float64) * mix, reads


def is_identity(matrix: np.ndarray, offset: np.ndarray) -> bool:
    """True when the map changes nothing (bitwise: NaN stays NaN, -0.0 stays -0.0)."""
    return bool(np.array_equal(matrix, np.eye(matrix.shape[0])) and not np.any(offset))


def affine_pixels(pixels: np.ndarray, matrix: np.ndarray, offset: np.ndarray,
                  reads: np.ndarray | None = None) -> np.ndarray:
    """out[..., i] = sum_j matrix[i, j] * pixels[..., j] + offset[i], as a new float32 array.

    Args:
        pixels: (H, W, C) float32, never written.
        matrix: (C, C); rows of untouched channels are identity rows.
        offset: (C,).
        reads: (C, C) booleans, which inputs each output reads; default `matrix != 0`.

    Returns:
        A new C-contiguous (H, W, C) float32 array. Only the inputs an output reads take part,
        so NaN and infinity stay in the channels whose rows read them.
    """
    height, width, count = pixels.shape
    out = np.empty((height, width, count), dtype=np.float32)
    if out.size == 0:
        return out
    reads = np.asarray(matrix) != 0 if reads is None else np.asarray(reads, dtype=bool)
    affine = np.empty((count, count + 1), dtype=np.float32)
    affine[:, :count] = matrix
    affine[:, count] = offset
    if count > 4 and not _dense_rows(matrix):
        _sparse_transform(pixels, matrix, offset, reads, out)
        return out
    src = np.ascontiguousarray(pixels)
    diagonal = np.diag(matrix)
    if np.array_equal(matrix, np.diag(diagonal)):
        _scale_and_offset(src, diagonal, offset, out)
        if not np.any((diagonal == 0) & ~np.diag(reads)):
            return out  # each output reads only its own input: nothing can spread
    else:
        cv2.transform(src, affine, dst=out)
    if np.isnan(out.max()) and not np.isnan(matrix).any():
        _repair_non_finite(src, matrix, offset, reads, out)
    return out


def _scale_and_offset(src: np.ndarray, scale: np.ndarray, offset: np.ndarray, out: np.ndarray) -> None:
    """Per channel, src * scale + offset into `out`, for diagonal maps (Exposure, Invert).

    Contiguous numpy passes over the (H, W * C) view: with scalars when every channel gets
    the same values (one pass for `1 - x` or `2 * x`, the fastest loops), else two passes
    with one tiled row of per-channel values.
    """
    height, width, count = src.shape
    flat_src, flat_out = src.reshape(height, width * count), out.reshape(height, width * count)
    with np.errstate(invalid="ignore", over="ignore"):
        if np.all(scale == scale[0]) and np.all(offset == offset[0]):
            factor, shift = np.float32(scale[0]), np.float32(offset[0])
            if factor == -1.0:
                np.subtract(shift, flat_src, out=flat_out)
                return
            np.multiply(flat_src, factor, out=flat_out)
        else:
            factor, shift = (np.tile(np.asarray(v, np.float32), width) for v in (scale, offset))
            np.multiply(flat_src, factor, out=flat_out)
        if np.any(offset):
            np.add(flat_out, shift, out=flat_out)


def _dense_rows(matrix: np.ndarray) -> bool:
    """True when most rows mix channels (OpenCV's full product is then the right tool)."""
    off_diagonal = np.count_nonzero(matrix - np.diag(np.diag(matrix)), axis=1)
    return bool(np.count_nonzero(off_diagonal) * 2 > matrix.shape[0])


def _sparse_transform(pixels: np.ndarray, matrix: np.ndarray, offset: np.ndarray, reads: np.ndarray,
                      out: np.ndarray) -> None:
    """Row by row in numpy for many-channel images where few rows mix channels (RGB of an AOV stack).

    OpenCV's transform costs C multiply-adds per output channel; with 20 channels and a 3x3
    colour block that is mostly zeros, so the mixed rows are done with their non-zero terms and
    every identity row is a copy.
    """
    count = matrix.shape[0]
    with np.errstate(invalid="ignore", over="ignore"):
        for row in range(count):
            terms = np.flatnonzero(reads[row])
            if terms.tolist() == [row] and matrix[row, row] == 1.0 and offset[row] == 0.0:
                out[..., row] = pixels[..., row]
                continue
            _row_sum(pixels, matrix[row], terms, offset[row], out[..., row])


def _row_sum(pixels: np.ndarray, coefficients: np.ndarray, terms: np.ndarray, offset: float,
             target: np.ndarray) -> None:
    if terms.size == 0:
        target[...] = np.float32(offset)
        return
    np.multiply(pixels[..., terms[0]], np.float32(coefficients[terms[0]]), out=target)
    for term in terms[1:]:
        target += pixels[..., term] * np.float32(coefficients[term])
    if offset:
        target += np.float32(offset)


def _repair_non_finite(pixels: np.ndarray, matrix: np.ndarray, offset: np.ndarray, reads: np.ndarray,
                       out: np.ndarray) -> None:
    """Recompute, with the terms each output reads only, the pixels that hold a NaN or an infinity."""
    bad = ~np.isfinite(pixels).all(axis=2)
    if not bad.any():
        return  # the NaN came from finite inputs overflowing (inf - inf): that is the answer
    src = pixels[bad].astype(np.float64)
    fixed = np.empty_like(src)
    with np.errstate(invalid="ignore", over="ignore"):
        for row in range(matrix.shape[0]):
            terms = np.flatnonzero(reads[row])
            fixed[:, row] = (src[:, terms] * matrix[row, terms]).sum(axis=1) + offset[row]
    out[bad] = fixed.astype(np.float32)


def embed(block: np.ndarray, indices: list[int], count: int) -> np.ndarray:
    """A (count, count) identity with `block` (k x k) placed on the rows and columns `indices`."""
    matrix = np.eye(count)
    matrix[np.ix_(indices, indices)] = block
    return matrix


def main_rgb(channels: tuple[str, ...]) -> list[int] | None:
    """Indices of R, G, B (in that order) of the main layer, or None when one is missing."""
    if not all(name in channels for name in ("R", "G", "B")):
        return None
    return [channels.index(name) for name in ("R", "G", "B")]
