"""Light to code values: SMPTE ST 2084 (PQ) or a power law, full or legal range, 8/10/12-bit.

Reference formulas (float64), used by tests and to build the fast encoder:

- PQ inverse EOTF, Y = L / 10000 nits:  E' = ((c1 + c2 * Y^m1) / (1 + c3 * Y^m1))^m2 with
  m1 = 2610/16384, m2 = 2523/4096 * 128, c1 = 3424/4096, c2 = 2413/4096 * 32, c3 = 2392/4096 * 32.
- Gamma: E' = (L / peak)^(1 / gamma).
- Code value D = floor(base + scale * E' + 0.5) (round half up) with, for n bits,
  full range base 0, scale 2^n - 1 (ITU-R BT.2100 full range) and legal range base 16 * 2^(n-8),
  scale 219 * 2^(n-8) (black 64, white 940 at 10 bits).

The fast encoder turns float32 light into codes with two table look-ups instead of two
`pow` calls per sample (about 8x faster on a 4608 x 2304 canvas), with the same result as the
float64 formula on the float32 input: the light at which the code steps from k to k+1 is
precomputed in float64 and rounded up to float32, and a table indexed by the top bits of the
float32 gives the code at the bucket's start and the next step inside the bucket.

Codes are handed to image writers in 16-bit containers by bit replication (a 10-bit code c is
c << 6 | c >> 4), which every 16-bit-to-n-bit conversion (OpenImageIO's DPX writer, PNG
readers) maps back to exactly c.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from plugins.led_wall.model import Eotf, SignalRange

PQ_M1 = 2610.0 / 16384.0
PQ_M2 = 2523.0 / 4096.0 * 128.0
PQ_C1 = 3424.0 / 4096.0
PQ_C2 = 2413.0 / 4096.0 * 32.0
PQ_C3 = 2392.0 / 4096.0 * 32.0
PQ_PEAK_NITS = 10000.0


# ---------------------------------------------------------------- reference formulas
def pq_encode(nits: np.ndarray | float) -> np.ndarray:
    """ST 2084 inverse EOTF: absolute luminance (cd/m2) to a 0..1 signal (float64)."""
    y = np.clip(np.asarray(nits, dtype=np.float64) / PQ_PEAK_NITS, 0.0, 1.0)
    p = y ** PQ_M1
    return ((PQ_C1 + PQ_C2 * p) / (1.0 + PQ_C3 * p)) ** PQ_M2


def pq_decode(signal: np.ndarray | float) -> np.ndarray:
    """ST 2084 EOTF: a 0..1 signal to absolute luminance (cd/m2, float64)."""
    e = np.clip(np.asarray(signal, dtype=np.float64), 0.0, 1.0) ** (1.0 / PQ_M2)
    return PQ_PEAK_NITS * (np.maximum(e - PQ_C1, 0.0) / (PQ_C2 - PQ_C3 * e)) ** (1.0 / PQ_M1)


def gamma_encode(nits: np.ndarray | float, peak_nits: float, gamma: float) -> np.ndarray:
    """Power-law signal relative to the wall's peak: (L / peak)^(1/gamma), clipped to 0..1."""
    return np.clip(np.asarray(nits, dtype=np.float64) / peak_nits, 0.0, 1.0) ** (1.0 / gamma)


def code_scale(bits: int, signal_range: SignalRange) -> tuple[int, int]:
    """(base, scale) of code values: D = base + scale * E'."""
    if signal_range is SignalRange.LEGAL:
        return 16 << (bits - 8), 219 << (bits - 8)
    return 0, (1 << bits) - 1


def to_code(signal: np.ndarray | float, bits: int, signal_range: SignalRange) -> np.ndarray:
    """Integer code values of a 0..1 signal, rounded half up."""
    base, scale = code_scale(bits, signal_range)
    return np.floor(base + scale * np.asarray(signal, dtype=np.float64) + 0.5).astype(np.int64)


def reference_codes(nits: np.ndarray | float, eotf: Eotf, bits: int, signal_range: SignalRange,
                    peak_nits: float, gamma: float = 2.4) -> np.ndarray:
    """Code values of absolute luminance, clipped at `peak_nits` (the float64 definition)."""
    light = np.minimum(np.maximum(np.asarray(nits, dtype=np.float64), 0.0), peak_nits)
    signal = pq_encode(light) if eotf is Eotf.PQ else gamma_encode(light, peak_nits, gamma)
    return to_code(signal, bits, signal_range)


def container16(codes: np.ndarray, bits: int) -> np.ndarray:
    """n-bit codes in 16-bit containers by bit replication (exact through any 16-to-n-bit scaling)."""
    codes = np.asarray(codes, dtype=np.uint16)
    if bits == 16:
        return codes
    return (codes << (16 - bits)) | (codes >> max(0, 2 * bits - 16))


def from_container16(values: np.ndarray, bits: int) -> np.ndarray:
    """The n-bit codes of bit-replicated 16-bit values."""
    return np.asarray(values, dtype=np.uint16) >> (16 - bits)


# ---------------------------------------------------------------- fast encoder
class SignalEncoder:
    """float32 light (in the encoder's unit, already clipped to 0..peak) to 16-bit containers.

    The unit is L / 10000 nits for PQ and L / peak for gamma, so a colour processor can fold
    the scaling into its matrix. Build through `encoder_for` (cached).
    """

    def __init__(self, eotf: Eotf, bits: int, signal_range: SignalRange, peak_nits: float, gamma: float) -> None:
        self.eotf, self.bits, self.range = eotf, bits, signal_range
        self.peak = peak_nits / PQ_PEAK_NITS if eotf is Eotf.PQ else 1.0
        thresholds = self._thresholds(peak_nits, gamma)
        self.shift, self.low, self.step = _tables(thresholds)
        self.peak_code = int(np.searchsorted(thresholds, np.float32(self.peak), side="right"))

    def _thresholds(self, peak_nits: float, gamma: float) -> np.ndarray:
        """float32 light at which the code steps from k to k+1, rounded up (-1: always, inf: never)."""
        base, scale = code_scale(self.bits, self.range)
        target = (np.arange((1 << self.bits) - 1, dtype=np.float64) + 0.5 - base) / scale
        inside = np.clip(target, 0.0, 1.0)
        if self.eotf is Eotf.PQ:
            light = pq_decode(inside) / PQ_PEAK_NITS
        else:
            light = inside ** gamma
        light = np.where(target < 0.0, -1.0, np.where(target > 1.0, np.inf, light))
        rounded = light.astype(np.float32)
        below = rounded.astype(np.float64) < light
        return np.where(below, np.nextafter(rounded, np.float32(np.inf)), rounded)

    def encode(self, light: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """16-bit containers of float32 `light` (any shape; NaN gives black)."""
        codes = self.codes(light)
        if out is None:
            out = np.empty_like(codes)
        np.left_shift(codes, 16 - self.bits, out=out)
        out |= codes >> (2 * self.bits - 16)  # bit replication, as `container16`
        return out

    def codes(self, light: np.ndarray) -> np.ndarray:
        """n-bit code values (uint16) of float32 `light`."""
        light = np.asarray(light, dtype=np.float32)
        # intp indices and `take`: about 3x faster than fancy indexing with uint32 indices
        index = np.right_shift(light.view(np.uint32), self.shift, dtype=np.intp)
        codes = self.low.take(index)
        codes += light >= self.step.take(index)
        return codes


def _tables(thresholds: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(shift, code at each bucket start, next step in each bucket) for the coarsest valid buckets.

    A bucket is all float32 values sharing their top 32 - shift bits; it is valid when it holds
    at most one step, so one comparison finishes the look-up. Negative values and NaN map to
    the code of 0 (they cannot pass any step).
    """
    padded = np.append(thresholds, np.float32(np.inf))
    for shift in (12, 11, 10, 9, 8):
        count = 1 << (32 - shift)
        starts = (np.arange(count // 2, dtype=np.uint64) << shift).astype(np.uint32).view(np.float32)
        low = np.searchsorted(thresholds, starts, side="right")
        next_start = np.append(starts[1:], np.float32(np.inf))
        before_next = np.searchsorted(thresholds, next_start, side="left")
        finite = np.isfinite(starts)
        if np.all((before_next - low <= 1) | ~finite):
            zero = int(np.searchsorted(thresholds, np.float32(0.0), side="right"))
            low = np.where(finite, low, zero)
            step = np.where(finite, padded[np.minimum(low, len(thresholds))], np.float32(np.inf))
            low_all = np.concatenate([low, np.full(count // 2, zero)]).astype(np.uint16)
            step_all = np.concatenate([step, np.full(count // 2, np.inf)]).astype(np.float32)
            return shift, low_all, step_all
    raise ValueError("the transfer function is too steep to tabulate")  # gamma far below 0.5


@functools.lru_cache(maxsize=8)
def encoder_for(eotf: Eotf, bits: int, signal_range: SignalRange, peak_nits: float, gamma: float) -> SignalEncoder:
    """A shared encoder for these settings (tables take ~10 ms and ~6 MB to build)."""
    if not math.isfinite(peak_nits) or peak_nits <= 0:
        raise ValueError(f"peak_nits must be above 0, got {peak_nits!r}")
    return SignalEncoder(Eotf(eotf), bits, SignalRange(signal_range), float(peak_nits), float(gamma))
