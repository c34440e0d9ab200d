"""The stage as a wall file describes it: panels, walls, processors, raster maps, cabling, colour, timing.

Plain frozen dataclasses, built and validated by `plugins.led_wall.schema`. Field names follow
Netflix OpenVPCal's stage assets where they exist (`panel_count_width`, `raster_u`,
`wall_segment_u_start`...). Units: millimetres for physical sizes, metres for stage positions,
degrees for angles, pixels for everything on the canvas or a raster. Every choice saved in a
wall file is a `StrEnum` whose values are the file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Gamut(StrEnum):
    """The wall's primaries; the OCIO colour space the canvas is converted to before encoding."""

    REC2020 = "rec2020"
    P3D65 = "p3d65"
    REC709 = "rec709"


class Eotf(StrEnum):
    """How light becomes signal: absolute PQ (SMPTE ST 2084) or a power law relative to peak."""

    PQ = "pq"
    GAMMA = "gamma"


class SignalRange(StrEnum):
    """Full range uses every code value; legal (narrow) puts black at 64 and white at 940 (10-bit)."""

    FULL = "full"
    LEGAL = "legal"


class CablingMode(StrEnum):
    """Serpentine reverses direction on every run; linear starts every run on the same side."""

    SERPENTINE = "serpentine"
    LINEAR = "linear"


class Corner(StrEnum):
    """The cabinet each port's chain starts from, as seen from the front of the wall."""

    TOP_LEFT = "top_left"
    TOP_RIGHT = "top_right"
    BOTTOM_LEFT = "bottom_left"
    BOTTOM_RIGHT = "bottom_right"


class Direction(StrEnum):
    """The axis of a run: vertical runs are columns, horizontal runs are rows."""

    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


class Packing(StrEnum):
    """How runs fill ports: whole runs per port (split only when one run is too big), or cabinet by cabinet."""

    RUNS = "runs"
    CABINETS = "cabinets"


class PortPacking(StrEnum):
    """How a port carries samples deeper than 8 bits: packed at their depth, or in 16-bit words."""

    PACKED = "packed"
    WORD16 = "word16"


class ArcDirection(StrEnum):
    """Concave walls curve towards the stage (a volume); convex walls away from it."""

    CONCAVE = "concave"
    CONVEX = "convex"


@dataclass(frozen=True)
class Panel:
    """One cabinet model. `px_w` x `px_h` is the stated pixel count, never derived from the pitch."""

    name: str
    px_w: int
    px_h: int
    panel_width: float  # mm
    panel_height: float  # mm
    pixel_pitch: float | None = None  # mm, informative
    peak_nits: float | None = None
    refresh_hz: float | None = None  # the LED refresh (scan) rate, informative
    model: str = ""


@dataclass(frozen=True)
class Arc:
    """A wall curved about a vertical axis: each cabinet column turns by 2*asin(w / 2R)."""

    radius: float  # mm, to the LED face
    direction: ArcDirection = ArcDirection.CONCAVE


@dataclass(frozen=True)
class Rotation:
    """Orientation of a wall on stage in degrees: yaw about +Y, then pitch about +X, then roll about +Z."""

    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0


@dataclass(frozen=True)
class Cabling:
    """How cabinets are daisy-chained on a processor's ports."""

    mode: CablingMode = CablingMode.SERPENTINE
    start_corner: Corner = Corner.BOTTOM_LEFT
    direction: Direction = Direction.VERTICAL
    packing: Packing = Packing.RUNS


@dataclass(frozen=True)
class Wall:
    """A rectangle of identical cabinets, placed on the canvas and on stage.

    Attributes:
        canvas_x, canvas_y: where the wall's top-left pixel sits on the canvas.
        origin: stage position (metres) of the bottom-left corner of the LED face.
        missing: (column, row) of cabinets that are not installed, counted from the top-left.
        cabling: this wall's cabling; the stage default when the file gives none.
    """

    name: str
    panel: Panel
    panel_count_width: int
    panel_count_height: int
    canvas_x: int
    canvas_y: int
    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: Rotation = field(default_factory=Rotation)
    arc: Arc | None = None
    missing: frozenset[tuple[int, int]] = frozenset()
    cabling: Cabling = field(default_factory=Cabling)

    @property
    def width_px(self) -> int:
        """Canvas width of the wall: panel count times the stated pixels, curved or not."""
        return self.panel_count_width * self.panel.px_w

    @property
    def height_px(self) -> int:
        """Canvas height of the wall."""
        return self.panel_count_height * self.panel.px_h


@dataclass(frozen=True)
class Processor:
    """An LED processor: one video input (the raster) and output ports that feed cabinet chains.

    Attributes:
        input_width, input_height: the raster written for it (its exact input size).
        max_input_width, max_input_height: the largest input it accepts.
        max_input_pixels: pixels per frame it accepts at `reference_hz` (pixel-rate bound).
        ports: output ports.
        pixels_per_port: pixels one port carries at `reference_bits` and `reference_hz`.
        port_packing: how deeper samples travel (see `PortPacking`).
    """

    name: str
    model: str
    input_width: int
    input_height: int
    max_input_width: int
    max_input_height: int
    max_input_pixels: int
    ports: int
    pixels_per_port: int
    reference_bits: int = 8
    reference_hz: float = 60.0
    port_packing: PortPacking = PortPacking.PACKED


@dataclass(frozen=True)
class Mapping:
    """One wall segment placed on a processor raster (OpenVPCal's raster-map mapping).

    The segment is [u_start, u_end) x [v_start, v_end) in the wall's own pixels, rotated
    clockwise by `orientation` degrees (0, 90, 180, 270) and pasted with its top-left at
    (raster_u, raster_v).
    """

    wall_name: str
    raster_u: int
    raster_v: int
    wall_segment_u_start: int
    wall_segment_u_end: int
    wall_segment_v_start: int
    wall_segment_v_end: int
    wall_segment_orientation: int = 0

    @property
    def segment_width(self) -> int:
        """Width of the wall segment before rotation."""
        return self.wall_segment_u_end - self.wall_segment_u_start

    @property
    def segment_height(self) -> int:
        """Height of the wall segment before rotation."""
        return self.wall_segment_v_end - self.wall_segment_v_start

    @property
    def raster_size(self) -> tuple[int, int]:
        """(width, height) the segment covers on the raster, after rotation."""
        if self.wall_segment_orientation in (90, 270):
            return self.segment_height, self.segment_width
        return self.segment_width, self.segment_height


@dataclass(frozen=True)
class RasterMap:
    """Everything one processor's raster holds."""

    processor: str
    mappings: tuple[Mapping, ...]


@dataclass(frozen=True)
class ColourSpec:
    """The wall's signal: gamut, transfer function, peak, range, bit depth and the scene's 1.0.

    Attributes:
        scene_white_nits: luminance a scene-linear 1.0 becomes (100 by default).
        gamma: exponent of the GAMMA eotf (signal = (L / peak) ** (1 / gamma)).
    """

    gamut: Gamut = Gamut.REC2020
    eotf: Eotf = Eotf.PQ
    peak_nits: float = 1000.0
    range: SignalRange = SignalRange.FULL
    bit_depth: int = 10
    scene_white_nits: float = 100.0
    gamma: float = 2.4


@dataclass(frozen=True)
class Timing:
    """Content frame rate and the video refresh the processors run at (60 or 120 Hz typically)."""

    fps: float = 24.0
    refresh_hz: float = 60.0


@dataclass(frozen=True)
class Stage:
    """A whole wall file."""

    name: str
    panels: tuple[Panel, ...]
    walls: tuple[Wall, ...]
    processors: tuple[Processor, ...]
    raster_maps: tuple[RasterMap, ...]
    colour: ColourSpec
    timing: Timing
    description: str = ""
    source: str = ""

    def wall(self, name: str) -> Wall:
        """The wall called `name` (KeyError when absent)."""
        for wall in self.walls:
            if wall.name == name:
                return wall
        raise KeyError(name)

    def processor(self, name: str) -> Processor:
        """The processor called `name` (KeyError when absent)."""
        for processor in self.processors:
            if processor.name == name:
                return processor
        raise KeyError(name)

    def raster_map(self, processor: str) -> RasterMap | None:
        """The raster map of `processor`, or None when it has none."""
        return next((r for r in self.raster_maps if r.processor == processor), None)
