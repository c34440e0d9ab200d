"""Which nodes are cached at the current frame and which one the viewer is computing now.

*Cached*: the node's result for the current frame is in the app's cache. Finding out costs a
plan of every node (hashing only, no pixels) and a `peek` per key, which neither counts nor
reorders the cache; it runs on a worker thread from a snapshot of the document, at most once
per `CACHED_INTERVAL_MS` however fast edits come, so dragging a slider stays smooth.

*Computing*: the viewer's evaluator reports each compute's start and end (`on_compute`);
those reports arrive here as queued signals and are passed on after `COMPUTING_INTERVAL_MS`,
so a burst of fast nodes redraws the graph once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from PySide6 import QtCore

from nodecomp.core.document import Document
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator, Plan
from nodecomp.engine.request import Request

log = logging.getLogger(__name__)

CACHED_INTERVAL_MS = 300
COMPUTING_INTERVAL_MS = 60


class NodeState(StrEnum):
    """A state drawn as a badge on a node (errors colour the whole node instead)."""

    CACHED = "cached"
    COMPUTING = "computing"


def cached_nodes(snapshot: Document, frame: float, cache: ImageCache,
                 still_wanted: Callable[[], bool] = lambda: True) -> set[str]:
    """Names of the nodes whose result at `frame` is in `cache` (planning only, no compute).

    Nodes that are never cached (Write nodes, volatile ones, backdrops) and nodes that cannot
    be planned (an unconnected input) are left out.
    """
    nodes = [n for n in snapshot.nodes if n.node_type is not None and n.node_type.outputs
             and n.node_type.cacheable]
    if not nodes or not still_wanted():
        return set()
    plans = Evaluator(snapshot, cache).plan_each(nodes, Request(float(frame)))
    return {name for name, plan in plans.items()
            if isinstance(plan, Plan) and plan.key is not None and cache.peek(plan.key)}


class NodeStates(QtCore.QObject):
    """Tracks cached and computing nodes and says when the set changed.

    Args:
        cache: the app's image cache.

    Signals:
        changed(dict): node name -> NodeState, for every node with a state.
    """

    changed = QtCore.Signal(dict)
    _cached_ready = QtCore.Signal(int, object)

    def __init__(self, cache: ImageCache, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.cached: set[str] = set()
        self._computing: dict[str, dict[str, int]] = {}  # source ("viewer", "render") -> node -> computes running
        self._doc: Document | None = None
        self._frame = 1.0
        self._generation = 0
        self._shown: dict[str, NodeState] = {}
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._cached_timer = QtCore.QTimer(self, singleShot=True, interval=CACHED_INTERVAL_MS)
        self._cached_timer.timeout.connect(self._find_cached)
        self._emit_timer = QtCore.QTimer(self, singleShot=True, interval=COMPUTING_INTERVAL_MS)
        self._emit_timer.timeout.connect(self._emit)
        self._cached_ready.connect(self._on_cached)

    @property
    def computing(self) -> set[str]:
        """Nodes with a compute running now, for the viewer or a render."""
        return {name for counts in self._computing.values() for name, count in counts.items() if count > 0}

    def states(self) -> dict[str, NodeState]:
        """Node name -> state now (computing wins over cached)."""
        found = {name: NodeState.CACHED for name in self.cached}
        found.update({name: NodeState.COMPUTING for name in self.computing})
        return found

    # ------------------------------------------------------------- inputs
    def update(self, doc: Document, frame: float) -> None:
        """Look for cached nodes of `doc` at `frame` soon (throttled: not on every call)."""
        self._doc, self._frame = doc, float(frame)
        if not self._cached_timer.isActive():
            self._cached_timer.start()

    def set_computing(self, node_name: str, started: bool, source: str = "viewer") -> None:
        """A compute started or ended (an evaluator's `on_compute` says so).

        Counted per node and per source: a render with two frames in flight computes one node
        twice at once, and the viewer going idle must not clear what a render is computing.
        """
        counts = self._computing.setdefault(source, {})
        counts[node_name] = max(0, counts.get(node_name, 0) + (1 if started else -1))
        if not self._emit_timer.isActive():
            self._emit_timer.start()

    def idle(self, source: str = "viewer") -> None:
        """Nothing is computing any more for `source` (it finished or cancelled everything)."""
        if self._computing.pop(source, None):
            self._emit_timer.start()

    def shutdown(self) -> None:
        """Stop timers and the worker (before the window closes)."""
        self._generation += 1
        self._cached_timer.stop()
        self._emit_timer.stop()
        self.pool.clear()
        self.pool.waitForDone(10000)

    # ---------------------------------------------------------- internals
    def _find_cached(self) -> None:
        doc = self._doc
        if doc is None:
            return
        self._generation += 1
        generation = self._generation
        snapshot, frame = doc.copy(), self._frame

        def run() -> None:
            try:
                names = cached_nodes(snapshot, frame, self.cache, lambda: generation == self._generation)
            except Exception:  # noqa: BLE001 - a state badge is advisory; never let it break the app
                log.exception("finding cached nodes failed")
                names = set()
            self._cached_ready.emit(generation, names)

        self.pool.start(run)

    def _on_cached(self, generation: int, names: set[str]) -> None:
        if generation == self._generation:
            self.cached = names
            self._emit()

    def _emit(self) -> None:
        states = self.states()
        if states != self._shown:
            self._shown = states
            self.changed.emit(dict(states))
