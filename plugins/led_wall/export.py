"""Writing an export: per-frame rasters and tiles, and once per export the maps, overlay, mesh, patterns and report.

Layout under the output folder (frames padded to six digits):

    rasters/<processor>/<processor>.000101.dpx     each processor's input, at its exact size
    tiles/<wall>/<wall>_C00_R00.000101.png         one 16-bit PNG per cabinet (optional)
    maps/cabinets.csv, maps/ndisplay.json, maps/slices.xml, maps/<stage>.obj
    maps/overlay.png                               the pixel map at canvas size
    patterns/checker/<processor>.dpx, patterns/outline/<processor>.dpx
    report.json, report.txt                        plan, warnings, and clipping per exported frame

Every file is written atomically. The once-per-export files are rewritten only when the plan
changes (its key is kept in report.json), so frames rendered in parallel or resumed later
share them; each frame adds its clipping counts to report.json under a lock.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from plugins.led_wall import image_io, maps, mesh, overlay, patterns
from plugins.led_wall.colour import FrameStats
from plugins.led_wall.encoding import SignalEncoder, encoder_for
from plugins.led_wall.image_io import EXTENSIONS, OutputFormat
from plugins.led_wall.plan import Plan
from plugins.led_wall.rasters import assemble
from plugins.led_wall.report import build_report, summary_text

PADDING = 6
_folder_locks: dict[str, threading.Lock] = {}
_folder_locks_guard = threading.Lock()
_static_written: set[tuple[str, str]] = set()  # (folder, key) this process has written or found


@dataclass(frozen=True)
class ExportOptions:
    """What to write.

    Attributes:
        out_dir: the export folder.
        formats: raster formats, the first also used for patterns.
        tiles: write one PNG per cabinet each frame.
        patterns: write the test patterns (once per export).
        workers: threads for encoding and writing (default: the number of cores).
    """

    out_dir: str
    formats: tuple[OutputFormat, ...] = (OutputFormat.DPX,)
    tiles: bool = False
    patterns: bool = True
    workers: int | None = None


class WallExport:
    """Writes one plan's outputs into one folder.

    Args:
        plan: the export plan.
        options: formats, tiles, patterns, folder.
        key: identifies the plan and settings (wall file fingerprint, colour, formats); the
            once-per-export files are rewritten when it changes.
    """

    def __init__(self, plan: Plan, options: ExportOptions, key: str) -> None:
        self.plan = plan
        self.options = options
        self.key = key
        colour = plan.stage.colour
        self.bits = colour.bit_depth
        encoder = encoder_for(colour.eotf, colour.bit_depth, colour.range, colour.peak_nits, colour.gamma)
        self.black = int(encoder.encode(np.zeros(1, np.float32))[0])  # 0 in full range, 64 << 6 legal 10-bit

    # ------------------------------------------------------------ paths
    def raster_path(self, processor: str, frame: int, fmt: OutputFormat) -> str:
        """`rasters/<processor>/<processor>.######.<ext>`."""
        return os.path.join(self.options.out_dir, "rasters", processor,
                            f"{processor}.{frame:0{PADDING}d}.{EXTENSIONS[fmt]}")

    def tile_path(self, cabinet_id: str, wall: str, frame: int) -> str:
        """`tiles/<wall>/<wall>_C00_R00.######.png`."""
        return os.path.join(self.options.out_dir, "tiles", wall, f"{cabinet_id}.{frame:0{PADDING}d}.png")

    def frame_files(self, frame: int) -> list[str]:
        """Every file `export_frame` writes for `frame`."""
        files = [self.raster_path(use.processor.name, frame, fmt)
                 for use in self.plan.processors for fmt in self.options.formats]
        if self.options.tiles:
            files += [self.tile_path(p.cabinet.id, p.cabinet.wall, frame) for p in self.plan.placements]
        return files

    # ------------------------------------------------------------ per frame
    def export_frame(self, containers: np.ndarray, frame: int, check: Callable[[], None] = lambda: None,
                     outline: dict[str, int] | None = None) -> list[str]:
        """Write the frame's rasters (and tiles) from the encoded canvas (H, W, 3) uint16 containers.

        Args:
            containers: the encoded canvas.
            frame: frame number for the file names.
            check: called between files (a cancel check); raising stops the export.
            outline: pattern levels; when given, raster-map outlines are drawn on every raster.

        Returns:
            The files written.
        """
        jobs: list[tuple[str, Callable[[], None]]] = []
        for use in self.plan.processors:
            name = use.processor.name
            for fmt in self.options.formats:
                jobs.append((self.raster_path(name, frame, fmt),
                             self._raster_job(containers, name, frame, fmt, outline)))
        if self.options.tiles:
            for placement in self.plan.placements:
                c = placement.cabinet
                tile = containers[c.y:c.y + c.h, c.x:c.x + c.w]
                path = self.tile_path(c.id, c.wall, frame)
                jobs.append((path, partial(image_io.write_png, path, tile, fast=True)))
        for folder in sorted({os.path.dirname(path) for path, _ in jobs}):
            image_io.ensure_folder(folder)
        self._run(jobs, check)
        return [path for path, _ in jobs]

    def _raster_job(self, containers: np.ndarray, processor: str, frame: int, fmt: OutputFormat,
                    outline: dict[str, int] | None) -> Callable[[], None]:
        def job() -> None:
            raster = assemble(containers, self.plan.stage, processor, self.plan.blackouts.get(processor, ()),
                              black=self.black)
            if outline is not None:
                patterns.outline_raster(self.plan, processor, raster, outline)
            image_io.write_raster(self.raster_path(processor, frame, fmt), raster, fmt, self.bits,
                                  self.attributes(processor, frame, fmt))
        return job

    def description(self, processor: str, frame: int) -> str:
        """What a raster holds, in words."""
        colour = self.plan.stage.colour
        return (f"nodecomp LED wall {self.plan.stage.name}, processor {processor}, frame {frame}: "
                f"{colour.eotf.value} {colour.gamut.value} {colour.bit_depth}-bit {colour.range.value} range, "
                f"peak {colour.peak_nits:g} nits")

    def attributes(self, processor: str, frame: int, fmt: OutputFormat) -> dict[str, str]:
        """Header fields saying what a raster holds.

        DPX keeps only 31 characters of ImageDescription, so there it gets the signal in short
        (`pq rec2020 10b full 1500nit`) and the whole description as its 100-character DocumentName.
        """
        if fmt is not OutputFormat.DPX:
            return {"ImageDescription": self.description(processor, frame)}
        colour = self.plan.stage.colour
        short = f"{colour.eotf.value} {colour.gamut.value} {colour.bit_depth}b {colour.range.value}"
        with_peak = f"{short} {colour.peak_nits:g}nit"
        return {"ImageDescription": with_peak if len(with_peak) <= 31 else short,
                "DocumentName": self.description(processor, frame)[:99]}

    def _run(self, jobs: list[tuple[str, Callable[[], None]]], check: Callable[[], None]) -> None:
        workers = self.options.workers or os.cpu_count() or 1
        if workers == 1 or len(jobs) <= 1:
            for _, job in jobs:
                check()
                job()
            return

        def guarded(job: Callable[[], None]) -> None:
            check()
            job()

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="led-write") as pool:
            for future in [pool.submit(guarded, job) for _, job in jobs]:
                future.result()

    # ------------------------------------------------------------ once per export
    def ensure_static(self, encoder: SignalEncoder, white_light: float, wall_file: str) -> bool:
        """Write the maps, overlay, mesh, patterns and report unless this plan's are already there.

        Returns:
            True when they were written now.
        """
        done = (os.path.abspath(self.options.out_dir), self.key)
        with _lock_for(self.options.out_dir):
            if done in _static_written and os.path.isfile(os.path.join(self.options.out_dir, "report.json")):
                return False
            report = self._read_report()
            if report is None or report.get("export_key") != self.key:
                self.write_static(encoder, white_light, wall_file)
                _static_written.add(done)
                return True
            _static_written.add(done)
            return False

    def write_static(self, encoder: SignalEncoder, white_light: float, wall_file: str) -> None:
        """Write every once-per-export file (see the module docstring)."""
        out = self.options.out_dir
        folder = os.path.join(out, "maps")
        image_io.ensure_folder(folder)
        mesh_name = f"{self.plan.stage.name}.obj"
        image_io.write_text(os.path.join(folder, "cabinets.csv"), maps.cabinets_csv(self.plan))
        image_io.write_text(os.path.join(folder, "ndisplay.json"), maps.ndisplay_json(self.plan, mesh_name))
        image_io.write_text(os.path.join(folder, "slices.xml"), maps.resolume_xml(self.plan))
        image_io.write_text(os.path.join(folder, mesh_name), mesh.wall_obj(self.plan))
        picture = overlay.over_background(overlay.draw_overlay(self.plan))
        image_io.write_png(os.path.join(folder, "overlay.png"), picture)
        if self.options.patterns:
            self._write_patterns(encoder, white_light)
        self._write_report(build_report(self.plan, wall_file=wall_file), wall_file)

    def _write_patterns(self, encoder: SignalEncoder, white_light: float) -> None:
        """The checker and outline rasters (the frame counter is a per-frame content of the export node)."""
        level = patterns.levels(encoder, white_light)
        ext = EXTENSIONS[self.options.formats[0]]
        root = os.path.join(self.options.out_dir, "patterns")
        checker = patterns.checker(self.plan, level)
        grid = patterns.grid(self.plan, level)
        jobs: list[tuple[str, Callable[[], None]]] = []
        for use in self.plan.processors:
            name = use.processor.name
            jobs.append((os.path.join(root, "checker", f"{name}.{ext}"), partial(self._pattern, name, checker)))
            jobs.append((os.path.join(root, "outline", f"{name}.{ext}"),
                         partial(self._pattern, name, grid, outline=level)))
        for folder in sorted({os.path.dirname(path) for path, _ in jobs}):
            image_io.ensure_folder(folder)
        self._run([(path, partial(job, path)) for path, job in jobs], lambda: None)

    def _pattern(self, processor: str, canvas: np.ndarray, path: str, *,
                 outline: dict[str, int] | None = None) -> None:
        """Write one pattern raster: `canvas` sliced for `processor`, outlined when `outline` levels are given."""
        raster = assemble(canvas, self.plan.stage, processor, self.plan.blackouts.get(processor, ()),
                          black=self.black)
        if outline is not None:
            patterns.outline_raster(self.plan, processor, raster, outline)
        fmt = self.options.formats[0]
        image_io.write_raster(path, raster, fmt, self.bits, self.attributes(processor, 0, fmt))

    # ------------------------------------------------------------ report
    def record_frame(self, frame: int, stats: FrameStats, wall_file: str) -> None:
        """Add a frame's clipping counts to report.json and report.txt."""
        with _lock_for(self.options.out_dir):
            report = self._read_report()
            frames = report.get("frames", {}) if report is not None and report.get("export_key") == self.key else {}
            frames[str(frame)] = stats.as_dict()
            self._write_report(build_report(self.plan, wall_file=wall_file, frames=frames), wall_file)

    def _write_report(self, report: dict[str, Any], wall_file: str) -> None:
        report["export_key"] = self.key
        report["outputs"] = {"formats": [f.value for f in self.options.formats], "tiles": self.options.tiles,
                             "patterns": self.options.patterns}
        image_io.write_text(os.path.join(self.options.out_dir, "report.json"), json.dumps(report, indent=2) + "\n")
        image_io.write_text(os.path.join(self.options.out_dir, "report.txt"), summary_text(report))

    def _read_report(self) -> dict[str, Any] | None:
        path = os.path.join(self.options.out_dir, "report.json")
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None


def _lock_for(folder: str) -> threading.Lock:
    key = os.path.abspath(folder)
    with _folder_locks_guard:
        return _folder_locks.setdefault(key, threading.Lock())
