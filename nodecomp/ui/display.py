"""The viewer's display transform: working space to an OCIO display/view, fast enough to scrub.

OCIO's default view (ACES 2.0 SDR) costs about a second per HD frame on the CPU processor,
because the ACES 2.0 output transform is evaluated per pixel. The fast path bakes the whole
transform once per (config, working space, display, view) into a 65³ 3D LUT over a log
shaper, and applies shaper + LUT with OCIO's own CPU processor (C++, tetrahedral
interpolation). The shaper is ACEScct-shaped (log2 above 2^-7, linear below, so small
negative values survive) and covers linear -0.01 to 222.9 (ACEScct 0..1): values outside
clamp to the edge of the LUT. The exact path, the CPU processor of the real transform, stays
available as an option (View > Exact display transform). Figures are in docs/app.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import PyOpenColorIO as ocio

from nodecomp.engine.colour import ColourManager

LUT_SIZE = 65
SHAPER_LOW = -0.01
# ACEScct: log2(x) * (1/17.52) + 9.72/17.52 above x = 2^-7, a straight line below.
_LOG_SLOPE = 1.0 / 17.52
_LOG_OFFSET = 9.72 / 17.52
_LIN_BREAK = 0.0078125


@dataclass(frozen=True)
class DisplayView:
    """An OCIO (display, view) pair."""

    display: str
    view: str

    @property
    def label(self) -> str:
        """`sRGB - Display / ACES 2.0 - SDR 100 nits (Rec.709)`."""
        return f"{self.display} / {self.view}"


def display_views(colour: ColourManager) -> list[DisplayView]:
    """Every (display, view) of the config, the config's default first."""
    config = colour.config
    default = default_display_view(colour)
    pairs = [DisplayView(d, v) for d in config.getDisplays() for v in config.getViews(d)]
    return [default] + [p for p in pairs if p != default]


def default_display_view(colour: ColourManager) -> DisplayView:
    """The config's default display and its default view."""
    display = colour.config.getDefaultDisplay()
    return DisplayView(display, colour.config.getDefaultView(display))


def _shaper() -> ocio.GroupTransform:
    """Linear -> [0, 1]: the ACEScct curve, then a range that maps SHAPER_LOW..222.9 to 0..1."""
    group = ocio.GroupTransform()
    group.appendTransform(
        ocio.LogCameraTransform(
            linSideBreak=[_LIN_BREAK] * 3, base=2.0, logSideSlope=[_LOG_SLOPE] * 3,
            logSideOffset=[_LOG_OFFSET] * 3, linSideSlope=[1.0] * 3, linSideOffset=[0.0] * 3,
        )
    )
    raw = ocio.Config.CreateRaw()
    probe = np.array([[SHAPER_LOW] * 3], dtype=np.float32)
    raw.getProcessor(group).getDefaultCPUProcessor().applyRGB(probe)
    group.appendTransform(
        ocio.RangeTransform(minInValue=float(probe[0, 0]), maxInValue=1.0, minOutValue=0.0, maxOutValue=1.0)
    )
    return group


_baked: dict[tuple[str, str, str, str, int], ocio.CPUProcessor] = {}
_baked_lock = threading.Lock()


def baked_processor(colour: ColourManager, view: DisplayView, size: int = LUT_SIZE) -> ocio.CPUProcessor:
    """Shaper + `size`³ LUT of working space -> (display, view), built once and shared.

    The lattice is the shaper's inverse on a regular grid, pushed through the exact transform:
    ~0.13 s for 65³ on one core, then every frame costs one LUT lookup per pixel.
    """
    key = (colour.cache_id, colour.working_space, view.display, view.view, size)
    with _baked_lock:
        cached = _baked.get(key)
        if cached is not None:
            return cached
        exact = exact_processor(colour, view)
        shaper = _shaper()
        raw = ocio.Config.CreateRaw()
        grid = np.linspace(0.0, 1.0, size, dtype=np.float32)
        lattice = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), axis=-1).reshape(-1, 3).copy()
        raw.getProcessor(shaper, ocio.TRANSFORM_DIR_INVERSE).getDefaultCPUProcessor().applyRGB(lattice)
        exact.applyRGB(lattice)
        lut = ocio.Lut3DTransform(gridSize=size)
        lut.setData(np.ascontiguousarray(lattice, dtype=np.float32).reshape(-1))  # blue varies fastest
        lut.setInterpolation(ocio.INTERP_TETRAHEDRAL)
        group = ocio.GroupTransform()
        group.appendTransform(shaper)
        group.appendTransform(lut)
        processor = raw.getProcessor(group).getDefaultCPUProcessor()
        _baked[key] = processor
        return processor


def exact_processor(colour: ColourManager, view: DisplayView) -> ocio.CPUProcessor:
    """The CPU processor of the real working space -> (display, view) transform."""
    transform = ocio.DisplayViewTransform(src=colour.working_space, display=view.display, view=view.view)
    return colour.config.getProcessor(transform).getDefaultCPUProcessor()


class DisplayTransform:
    """Applies one (display, view) to float32 RGB, baked (default) or exact.

    Args:
        colour: the document's colour manager (config and working space).
        view: the display/view; the config's default when None.
        exact: use the exact CPU processor instead of the baked LUT.
    """

    def __init__(self, colour: ColourManager, view: DisplayView | None = None, *, exact: bool = False) -> None:
        self.colour = colour
        self.view = view or default_display_view(colour)
        self.exact = exact
        self._processor = exact_processor(colour, self.view) if exact else baked_processor(colour, self.view)

    def apply(self, pixels: np.ndarray) -> np.ndarray:
        """Display-referred values of (H, W, 3 or 4) working-space pixels, as a new float32 array."""
        out = np.array(pixels, dtype=np.float32, order="C", copy=True)
        self.apply_inplace(out)
        return out

    def apply_inplace(self, pixels: np.ndarray) -> None:
        """Transform a C-contiguous float32 (H, W, 3 or 4) array in place; alpha is left alone.

        RGBA is OCIO's fast path (about three times faster than RGB on the same pixels).
        """
        if pixels.shape[-1] == 4:
            self._processor.applyRGBA(pixels)
        else:
            self._processor.applyRGB(pixels)
