"""Wall file plus the node's colour overrides, loaded once and shared by every frame and node.

A plan depends only on the wall file's contents and the overrides, so it is cached by the
file's path, size and modification time (the same tuple the nodes put in their cache keys):
editing the wall file reloads it, an unchanged file costs one `os.stat` per frame.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from enum import StrEnum

from nodecomp.api import ResourceCache, file_fingerprint
from plugins.led_wall.errors import WallError
from plugins.led_wall.model import ColourSpec, Eotf, Gamut, SignalRange, Stage
from plugins.led_wall.plan import Plan, build_plan
from plugins.led_wall.schema import load_stage

WALL = "wall"
_plans = ResourceCache(budget_bytes=256 * 1024 * 1024, max_entries=16)


class GamutChoice(StrEnum):
    """The `gamut` param: the wall file's, or one of the wall gamuts."""

    WALL = WALL
    REC2020 = Gamut.REC2020.value
    P3D65 = Gamut.P3D65.value
    REC709 = Gamut.REC709.value


class EotfChoice(StrEnum):
    """The `eotf` param."""

    WALL = WALL
    PQ = Eotf.PQ.value
    GAMMA = Eotf.GAMMA.value


class RangeChoice(StrEnum):
    """The `signal_range` param."""

    WALL = WALL
    FULL = SignalRange.FULL.value
    LEGAL = SignalRange.LEGAL.value


class DepthChoice(StrEnum):
    """The `bit_depth` param."""

    WALL = WALL
    BITS8 = "8"
    BITS10 = "10"
    BITS12 = "12"


def choices(enum: type[StrEnum]) -> tuple[str, ...]:
    """The values of a choice enum, in order (for `Choice(..., choices=...)`)."""
    return tuple(member.value for member in enum)


@dataclass(frozen=True)
class Overrides:
    """Colour settings a node or the CLI puts over the wall file's (`wall` or 0 keeps the file's)."""

    gamut: str = WALL
    eotf: str = WALL
    signal_range: str = WALL
    bit_depth: str = WALL
    peak_nits: float = 0.0
    scene_white_nits: float = 0.0

    def apply(self, colour: ColourSpec) -> ColourSpec:
        """`colour` with these overrides."""
        return replace(
            colour,
            gamut=colour.gamut if self.gamut == WALL else Gamut(self.gamut),
            eotf=colour.eotf if self.eotf == WALL else Eotf(self.eotf),
            range=colour.range if self.signal_range == WALL else SignalRange(self.signal_range),
            bit_depth=colour.bit_depth if self.bit_depth == WALL else int(self.bit_depth),
            peak_nits=self.peak_nits or colour.peak_nits,
            scene_white_nits=self.scene_white_nits or colour.scene_white_nits,
        )


@dataclass(frozen=True)
class LoadedWall:
    """A plan and the key that identifies it (wall file fingerprint plus overrides)."""

    path: str
    plan: Plan
    key: str

    @property
    def stage(self) -> Stage:
        """The stage with the overrides applied."""
        return self.plan.stage


def wall_fingerprint(path: str) -> tuple[object, ...]:
    """(path, size, mtime_ns) of the wall file; WallError when it cannot be read."""
    if not path:
        raise WallError("no wall file is set", hint="set wall to a wall definition such as stage_12x6.json")
    try:
        return file_fingerprint(path)
    except OSError as exc:
        raise WallError(f"cannot read the wall file ({exc.strerror})", path=path) from None


def load_wall(path: str, overrides: Overrides = Overrides()) -> LoadedWall:
    """The plan of the wall file at `path` (absolute) with `overrides`, from the cache when unchanged."""
    fingerprint = wall_fingerprint(path)
    key = ("led_wall.plan", fingerprint, overrides)

    def load() -> LoadedWall:
        stage = load_stage(path)
        stage = replace(stage, colour=overrides.apply(stage.colour))
        digest = hashlib.sha1(repr((fingerprint, overrides)).encode(), usedforsecurity=False).hexdigest()[:16]
        return LoadedWall(os.path.abspath(path), build_plan(stage), digest)

    return _plans.get(key, load, nbytes=1024 * 1024)
