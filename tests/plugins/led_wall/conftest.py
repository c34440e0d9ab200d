"""Wall definitions for the LED-wall tests: the shipped 12 m x 6 m stage and a tiny one (fast to export)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from plugins.led_wall.plan import build_plan
from plugins.led_wall.schema import load_stage, stage_from_dict

ROOT = Path(__file__).resolve().parents[3]
STAGE_12X6 = ROOT / "resources" / "led_walls" / "stage_12x6.json"

# A 4 x 3 wall of 8 x 6 px cabinets (canvas 32 x 18) on two processors with 40 x 20 rasters:
# P1 takes columns 0-1 unrotated, P2 columns 2-3 turned 90 degrees (16 x 18 px -> 18 x 16 px).
# Ports carry 180 px at 8-bit 60 Hz: 144 px (3 cabinets, one column) at 10-bit.
TINY = {
    "format_version": 1,
    "name": "tiny",
    "panels": [{"name": "p8x6", "px_w": 8, "px_h": 6, "panel_width": 500, "panel_height": 375,
                "pixel_pitch": 62.5, "peak_nits": 1500}],
    "walls": [{"name": "w", "panel_name": "p8x6", "panel_count_width": 4, "panel_count_height": 3}],
    "processors": [
        {"name": "P1", "max_input_width": 40, "max_input_height": 20, "ports": 4, "pixels_per_port": 180},
        {"name": "P2", "max_input_width": 40, "max_input_height": 20, "ports": 4, "pixels_per_port": 180},
    ],
    "raster_maps": [
        {"processor": "P1", "mappings": [{"wall_name": "w", "raster_u": 0, "raster_v": 0,
                                          "wall_segment_u_start": 0, "wall_segment_u_end": 16,
                                          "wall_segment_v_start": 0, "wall_segment_v_end": 18}]},
        {"processor": "P2", "mappings": [{"wall_name": "w", "raster_u": 2, "raster_v": 1,
                                          "wall_segment_u_start": 16, "wall_segment_u_end": 32,
                                          "wall_segment_v_start": 0, "wall_segment_v_end": 18,
                                          "wall_segment_orientation": 90}]},
    ],
    "colour": {"gamut": "rec2020", "eotf": "pq", "peak_nits": 1500, "range": "full", "bit_depth": 10},
    "timing": {"fps": 24, "refresh_hz": 60},
}


def tiny_dict(**changes: object) -> dict:
    """A deep copy of TINY with top-level sections replaced."""
    data = copy.deepcopy(TINY)
    data.update(copy.deepcopy(changes))
    return data


def write_wall(folder: Path, data: dict, name: str = "wall.json") -> Path:
    """Write a wall dict as JSON and return its path."""
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def stage_12x6():
    return load_stage(str(STAGE_12X6))


@pytest.fixture(scope="session")
def plan_12x6(stage_12x6):
    return build_plan(stage_12x6)


@pytest.fixture
def tiny_stage():
    return stage_from_dict(tiny_dict())


@pytest.fixture
def tiny_plan(tiny_stage):
    return build_plan(tiny_stage)
