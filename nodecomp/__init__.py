"""nodecomp: node-based compositing for AI-assisted VFX and virtual production.

The scripting facade TDs import::

    import nodecomp as nc
    doc = nc.Document()
    read = doc.add("Read", file="plates/bg.####.exr")
    nc.render(doc, doc["Write1"], frames="1-24")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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
    on_frame: Callable[[Any], None] | None = None,
):
    """Render Write nodes over frames; raises the first frame's error, returns the RenderResult.

    Args:
        doc: the document.
        nodes: a Write node, its name, several, or None for every Write node.
        frames: `"1-24"`, `"1-100x2,120"`, a frame, (first, last); empty = the document range.
        threads: frames in flight (default: number of cores).
        cache_mb: cache budget in MiB for this render (default: 1/8 of RAM, at most 2 GiB).
        keep_going: render every frame even after a failure, then raise the first error.
        on_frame: called with each finished frame's `FrameResult` (`frame`, `seconds`, `error`),
            in the calling thread; hooks for every render in the process are `nodecomp.hooks`.
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
    result = job.run(on_frame)
    if result.errors:
        raise result.errors[0]
    if result.cancelled:
        raise CancelledError("render cancelled")
    return result


def run_action(
    doc: _document.Document,
    node: Node | str,
    action: str,
    *,
    frame: float | None = None,
    on_progress: Callable[[Any], None] | None = None,
):
    """Run a node's action (`"train"` on a LookTrain, `"track"` on a Tracker) and apply its edits.

    It runs in this thread on a snapshot of `doc`; params it changes on its node are set on `doc`
    afterwards as one undo step. `on_progress` gets each `ActionProgress` (`fraction`, `message`,
    `values` such as a loss). Returns the `ActionResult` (its `message` is the action's summary);
    raises the action's error, or CancelledError.
    """
    from nodecomp.engine.actions import run_action as _run

    return _run(doc, node, action, frame=frame, on_progress=on_progress)


def reload_plugin(name: str, *documents: _document.Document):
    """Re-import plugin `name` under development and point `documents`' nodes at its new code.

    Its node types get new cache keys, so nothing computed by the old code is reused. Raises
    PluginError (the old code stays loaded) when the new code fails to load. Returns its PluginInfo.
    """
    from nodecomp.plugin_loader import reload_plugin as _reload

    return _reload(name, documents)


def __getattr__(name: str) -> Any:
    """`nodecomp.hooks`: the process-wide render hooks, imported on first use to keep `import nodecomp` light.

    `hooks.before_render(job)`, `hooks.frame_done(job, frame_result)`, `hooks.frame_failed(job, frame_result)`
    and `hooks.after_render(job, render_result)` are signals: `nc.hooks.after_render.connect(callback)`.
    """
    if name == "hooks":
        from nodecomp.engine.jobs import render_hooks

        return render_hooks
    raise AttributeError(f"module 'nodecomp' has no attribute {name!r}")


__all__ = [
    "CancelledError",
    "Document",
    "DocumentError",
    "EvaluationError",
    "GraphError",
    "NodecompError",
    "ParamError",
    "PluginError",
    "hooks",
    "load",
    "reload_plugin",
    "render",
    "run_action",
]
