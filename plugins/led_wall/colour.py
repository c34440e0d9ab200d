"""Scene-linear canvas to the wall's signal: gamut through OCIO, light scaled to nits, clipped, encoded.

Scene-linear 1.0 is `scene_white_nits` (100 by default). One OCIO processor per setting does
the gamut conversion (working space to Linear Rec.2020, Linear P3-D65 or Linear Rec.709 of the
document's config) and the scaling into the encoder's unit (L / 10000 for PQ, L / peak for
gamma); then light above the wall's peak and below zero (outside the wall's gamut) is clipped
and counted, and `encoding.SignalEncoder` makes code values. The canvas is processed in row
bands on a thread pool (OpenCV, OCIO and numpy release the GIL).

Between linear spaces OCIO's processor is a 3x3 matrix. When probing it shows exactly that,
the matrix is read from OCIO and applied with `cv2.transform` straight from the RGBA input
(about 8x faster than `applyRGB` on a copy; same values to float rounding); any other
processor (a config whose spaces are not linear) is applied by OCIO itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
import PyOpenColorIO as ocio

from plugins.led_wall.encoding import PQ_PEAK_NITS, SignalEncoder, encoder_for
from plugins.led_wall.errors import WallError
from plugins.led_wall.model import ColourSpec, Eotf, Gamut

# Colour spaces of OCIO's built-in configs (name, then alias) for each wall gamut.
TARGET_SPACES: dict[Gamut, tuple[str, ...]] = {
    Gamut.REC2020: ("Linear Rec.2020", "lin_rec2020"),
    Gamut.P3D65: ("Linear P3-D65", "lin_p3d65"),
    Gamut.REC709: ("Linear Rec.709 (sRGB)", "lin_rec709"),
}
_ROWS_PER_BAND = 128

_processors: dict[tuple[str, str, str, float], ocio.CPUProcessor] = {}
_lock = threading.Lock()


@dataclass
class FrameStats:
    """What clipping the frame's light did.

    Attributes:
        pixels: pixels encoded.
        clipped: pixels with a channel above the wall's peak (set to the peak).
        negative: pixels with a channel below zero after the gamut conversion (outside the wall's gamut).
        max_nits: the brightest channel value before clipping, in nits.
    """

    pixels: int = 0
    clipped: int = 0
    negative: int = 0
    max_nits: float = 0.0

    def add(self, other: FrameStats) -> None:
        """Accumulate another band's counts."""
        self.pixels += other.pixels
        self.clipped += other.clipped
        self.negative += other.negative
        self.max_nits = max(self.max_nits, other.max_nits)

    def as_dict(self) -> dict[str, float]:
        """JSON form for the report."""
        fraction = self.clipped / self.pixels if self.pixels else 0.0
        return {"pixels": self.pixels, "clipped_pixels": self.clipped, "clipped_fraction": round(fraction, 6),
                "out_of_gamut_pixels": self.negative, "max_nits": round(self.max_nits, 3)}


def target_space(config: ocio.Config, gamut: Gamut) -> str:
    """The config's linear colour space for `gamut`; WallError when the config has none."""
    for name in TARGET_SPACES[gamut]:
        space = config.getColorSpace(name)
        if space is not None:
            return str(space.getName())
    raise WallError(f"the OCIO config has no linear {gamut.value} colour space (looked for "
                    f"{', '.join(TARGET_SPACES[gamut])})", hint="use OCIO's built-in studio config or add one")


def unit_nits(colour: ColourSpec) -> float:
    """Nits that one unit of the encoder's input stands for."""
    return PQ_PEAK_NITS if colour.eotf is Eotf.PQ else colour.peak_nits


def light_processor(config: ocio.Config, cache_id: str, source: str, target: str, scale: float) -> ocio.CPUProcessor:
    """A cached CPU processor: `source` to `target` primaries, then every channel times `scale`."""
    key = (cache_id, source, target, scale)
    with _lock:
        cpu = _processors.get(key)
        if cpu is None:
            group = ocio.GroupTransform()
            if source != target:
                group.appendTransform(ocio.ColorSpaceTransform(src=source, dst=target))
            group.appendTransform(ocio.MatrixTransform([scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, 1]))
            try:
                cpu = config.getProcessor(group).getDefaultCPUProcessor()
            except ocio.Exception as exc:
                raise WallError(f"OCIO cannot convert {source} to {target}: {exc}") from None
            _processors[key] = cpu
        return cpu


def processor_matrix(cpu: ocio.CPUProcessor) -> np.ndarray | None:
    """The 3x3 matrix M with cpu(x) = M @ x for every RGB x, or None when the processor is not one."""
    basis = np.eye(3, dtype=np.float32)
    cpu.applyRGB(basis)
    matrix = basis.T.astype(np.float64)
    probe = np.array([[0.18, 0.18, 0.18], [2.5, -0.3, 0.04], [0.0, 7.0, 0.5], [-1.0, 0.02, 30.0],
                      [1e-4, 3e-4, 2e-4]], np.float32)
    out = probe.copy()
    cpu.applyRGB(out)
    expected = probe.astype(np.float64) @ matrix.T
    if not np.allclose(out, expected, rtol=1e-5, atol=1e-9 * max(1.0, float(np.abs(matrix).max()))):
        return None
    return matrix


class CanvasEncoder:
    """Encodes scene-linear RGB canvases for one wall colour setting.

    Args:
        config: the OCIO config (the document's).
        cache_id: the config's cache id (processors are cached per config).
        source: colour space of the canvas (the working space).
        colour: the wall's colour settings.
    """

    def __init__(self, config: ocio.Config, cache_id: str, source: str, colour: ColourSpec) -> None:
        self.colour = colour
        self.target = target_space(config, colour.gamut)
        unit = unit_nits(colour)
        self.unit = unit
        self.processor = light_processor(config, cache_id, source, self.target, colour.scene_white_nits / unit)
        self.encoder: SignalEncoder = encoder_for(colour.eotf, colour.bit_depth, colour.range, colour.peak_nits,
                                                  colour.gamma)
        self.peak = np.float32(colour.peak_nits / unit)
        self.matrix = processor_matrix(self.processor)

    def encode(self, pixels: np.ndarray, rgb: Sequence[int], out: np.ndarray | None = None,
               workers: int | None = None) -> tuple[np.ndarray, FrameStats]:
        """16-bit containers (H, W, 3) of the canvas `pixels[..., rgb]`, and the clipping counts."""
        height, width = pixels.shape[:2]
        if out is None:
            out = np.empty((height, width, 3), dtype=np.uint16)
        bands = [(y, min(height, y + _ROWS_PER_BAND)) for y in range(0, height, _ROWS_PER_BAND)]
        workers = workers or os.cpu_count() or 1
        channels = list(rgb)

        transform = self._transform_matrix(pixels, channels)

        def band(rows: tuple[int, int]) -> FrameStats:
            y0, y1 = rows
            if transform is not None:
                light = cv2.transform(pixels[y0:y1], transform)
            else:
                light = np.ascontiguousarray(pixels[y0:y1, :, channels], dtype=np.float32)
                self.processor.applyRGB(light)
            return self._encode_band(light, out[y0:y1])

        stats = FrameStats()
        if workers == 1 or len(bands) == 1:
            results = [band(rows) for rows in bands]
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="led-encode") as pool:
                results = list(pool.map(band, bands))
        for result in results:
            stats.add(result)
        return out, stats

    def _transform_matrix(self, pixels: np.ndarray, channels: list[int]) -> np.ndarray | None:
        """The 3 x C matrix taking the input's channels to encoder light, when OpenCV can apply it."""
        if self.matrix is None or pixels.dtype != np.float32 or not 3 <= pixels.shape[2] <= 4 \
                or not pixels[:1].flags.c_contiguous:
            return None
        transform = np.zeros((3, pixels.shape[2]), np.float64)
        transform[:, channels] = self.matrix
        return transform

    def _encode_band(self, light: np.ndarray, out: np.ndarray) -> FrameStats:
        brightest = np.maximum(np.maximum(light[..., 0], light[..., 1]), light[..., 2])
        darkest = np.minimum(np.minimum(light[..., 0], light[..., 1]), light[..., 2])
        stats = FrameStats(pixels=int(brightest.size), clipped=int(np.count_nonzero(brightest > self.peak)),
                           negative=int(np.count_nonzero(darkest < 0)),
                           max_nits=float(np.nanmax(brightest, initial=0.0)) * self.unit)
        np.clip(light, 0.0, self.peak, out=light)
        self.encoder.encode(light, out=out)
        return stats
