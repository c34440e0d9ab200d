"""nodecomp: node-based compositing for AI-assisted VFX and virtual production.

The scripting facade TDs import::

    import nodecomp as nc
    doc = nc.Document()
    read = doc.add("Read", file="plates/bg.####.exr")
    nc.render(doc, doc["Write1"], frames="1-24")
"""

from __future__ import annotations

from collections.abc import Sequence

from nodecomp.core import document as _document
from nodecomp.core.errors import (
    CancelledError,
    DocumentError,
    EvaluationError,
    GraphError,
    NodecompError,
    ParamError,
    PluginError,
)
from nodecomp.core.fileformat import load_document
from nodecomp.core.frames import parse_frames
from nodecomp.core.node import Node
from nodecomp.core.registry import NodeRegistry

__version__ = "0.1.0"


class Document(_document.Document):
    """A comp document using the process-wide node registry unless one is given."""

    def __init__(self, registry: NodeRegistry | None = None, *, name: str = "untitled") -> None:
        from nodecomp.plugin_loader import default_registry

        super().__init__(registry or default_registry(), name=name)


def load(path: str, *, recover: bool = False, registry: NodeRegistry | None = None) -> _document.Document:
    """Open a `.ncomp` file (see `nodecomp.core.fileformat.load_document`)."""
    from nodecomp.plugin_loader import default_registry

    return load_document(path, registry or default_registry(), recover=recover)


def render(
    doc: _document.Document,
    nodes: Node | str | Sequence[Node | str] | None = None,
    frames: str | int | tuple[int, int] | list[int] = "",
    *,
    threads: int | None = None,
    cache_mb: int | None = None,
    keep_going: bool = False,
):
    """Render Write nodes over frames; raises the first frame's error, returns the RenderResult.

    Args:
        doc: the document.
        nodes: a Write node, its name, several, or None for every Write node.
        frames: `"1-24"`, `"1-100x2,120"`, a frame, (first, last); empty = the document range.
        threads: frames in flight (default: number of cores).
        cache_mb: cache budget in MiB for this render (default: 1/8 of RAM, at most 2 GiB).
        keep_going: render every frame even after a failure, then raise the first error.
    """
    from nodecomp.engine.cache import ImageCache, default_render_budget_bytes
    from nodecomp.engine.jobs import RenderJob

    if nodes is None:
        targets: list[Node | str] = list(doc.outputs())
    elif isinstance(nodes, Node | str):
        targets = [nodes]
    else:
        targets = list(nodes)
    cache = ImageCache(cache_mb * 1024 * 1024 if cache_mb is not None else default_render_budget_bytes())
    job = RenderJob(doc, targets, parse_frames(frames, default=doc.frame_range), threads=threads,
                    cache=cache, keep_going=keep_going)
    result = job.run()
    if result.errors:
        raise result.errors[0]
    if result.cancelled:
        raise CancelledError("render cancelled")
    return result


__all__ = [
    "CancelledError",
    "Document",
    "DocumentError",
    "EvaluationError",
    "GraphError",
    "NodecompError",
    "ParamError",
    "PluginError",
    "load",
    "render",
]
