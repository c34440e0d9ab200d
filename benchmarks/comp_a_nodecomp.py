"""comp-A built with nodecomp's scripting API, for the benchmark's "nodecomp" variant."""

from __future__ import annotations

from pathlib import Path

import nodecomp as nc
from nodecomp.engine.cache import ImageCache, default_render_budget_bytes
from nodecomp.engine.evaluator import Retain
from nodecomp.engine.jobs import RenderJob


def add_comp_a(doc: nc.Document, src: Path) -> nc.Node:
    """Add comp-A's nodes (Read FG -> Grade -> Blur -> Merge over Read BG); returns the Merge.

    The comp, viewer and proxy benchmarks all measure this graph.
    """
    bg = doc.add("Read", file=str(src / "bg.####.exr"))
    fg = doc.add("Read", file=str(src / "fg.####.exr"))
    graded = doc.add("Grade", fg, multiply=(1.2, 1.2, 1.2, 1.0), offset=(0.01, 0.01, 0.01, 0.0),
                     gamma=(1.1, 1.1, 1.1, 1.0), clamp_black=False)
    blurred = doc.add("Blur", graded, size=(4.0, 4.0))
    comp = doc.add("Merge", blurred, bg, operation="over")
    return comp


def build(src: Path, dst: Path, frames: int) -> nc.Document:
    """The comp-A graph: Read FG -> Grade -> Blur -> Merge over Read BG -> Write half zip."""
    import OpenImageIO as oiio

    spec = oiio.ImageInput.open(str(src / "bg.0001.exr")).spec()
    doc = nc.Document(name="comp_a")
    doc.format = nc.core.format.Format(spec.full_width, spec.full_height)
    doc.frame_range = (1, frames)
    comp = add_comp_a(doc, src)
    doc.add("Write", comp, file=str(dst / "comp.####.exr"), datatype="half", compression="zip")
    return doc


def _render(src: Path, dst: Path, frames: int, threads: int, retain: Retain) -> None:
    doc = build(Path(src), Path(dst), frames)
    job = RenderJob(doc, ["Write1"], range(1, frames + 1), threads=threads,
                    cache=ImageCache(default_render_budget_bytes()), retain=retain)
    result = job.run()
    if not result.ok:
        raise SystemExit(f"nodecomp render failed: {result.errors[:1]}")


def render_nodecomp(src: Path, dst: Path, frames: int, threads: int) -> None:
    """Render comp-A the way `nodecomp render` does (cache keeps results that recur)."""
    _render(src, dst, frames, threads, Retain.RECURRING)


def render_nodecomp_retain_all(src: Path, dst: Path, frames: int, threads: int) -> None:
    """Render comp-A keeping every result in the cache, as the app and scripts do."""
    _render(src, dst, frames, threads, Retain.ALL)
