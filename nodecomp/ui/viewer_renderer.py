"""Background rendering for the viewer: the newest request wins, stale ones are cancelled.

Each request evaluates a snapshot of the document (taken on the UI thread, so later edits never
race the worker) through the engine with the app's shared cache, then turns the image into
viewer pixels. A request carries its own CancelToken; asking again cancels every older token,
so a stale render stops at the engine's next check and never reaches the screen. Display-only
changes (exposure, channels, zoom) reuse the last image and skip the engine.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6 import QtCore

from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, NodecompError
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.colour import ColourManager
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator, Plan
from nodecomp.engine.image import Image
from nodecomp.engine.request import Request
from nodecomp.ui.display import DisplayTransform, default_display_view
from nodecomp.ui.viewer_image import LUMA_709, DisplayFrame, DisplaySettings, render_display

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ViewResult:
    """A finished request: the engine image (for the pixel probe) and its viewer pixels."""

    generation: int
    image: Image
    frame: DisplayFrame
    colour: ColourManager
    settings: DisplaySettings
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ViewFailure:
    """A request that failed; `node` names the node to mark (None when unknown)."""

    generation: int
    message: str
    node: str | None


class ViewerRenderer(QtCore.QObject):
    """Runs viewer requests on a small thread pool and reports results on the UI thread.

    Args:
        cache: the app's shared image cache.

    Signals:
        frame_ready(ViewResult), failed(ViewFailure), progress(str, float): a long compute's
        node and fraction, busy_changed(bool), computing(str, bool): a node's compute started
        (True) or ended (False), for the graph's node states.
    """

    frame_ready = QtCore.Signal(object)
    failed = QtCore.Signal(object)
    progress = QtCore.Signal(str, float)
    busy_changed = QtCore.Signal(bool)
    computing = QtCore.Signal(str, bool)
    _done = QtCore.Signal(int)

    def __init__(self, cache: ImageCache, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._generation = 0
        self._shown = 0
        self._tokens: dict[int, CancelToken] = {}
        self._outstanding = 0
        self._last: ViewResult | None = None
        self._evaluating: int | None = None  # generation of the newest evaluation not yet finished
        self._transforms: dict[tuple, DisplayTransform] = {}
        self._transforms_lock = threading.Lock()
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        """True while any request is running or queued."""
        return self._outstanding > 0

    @property
    def last(self) -> ViewResult | None:
        """The newest result shown."""
        return self._last

    def request(self, doc: Document, node_name: str, frame: float, settings: DisplaySettings) -> int:
        """Evaluate `node_name` at `frame` and display it; returns the request's generation."""
        snapshot = doc.copy()
        generation = self._submit(lambda token, gen: self._evaluate(snapshot, node_name, frame, settings, token, gen))
        self._evaluating = generation
        return generation

    def redisplay(self, settings: DisplaySettings) -> int | None:
        """Re-run only the display stage on the last image (exposure, channels, zoom).

        Returns None, doing nothing, when there is no image yet or an evaluation is still on its
        way: a redisplay would cancel it and show the old image; ask with `request` instead.
        """
        last = self._last
        if last is None or self._evaluating is not None:
            return None
        meta = (last.frame.key, last.frame.node, last.frame.frame)
        return self._submit(lambda token, gen: self._display(last.image, meta, last.colour, settings, token, gen,
                                                             last.keys))

    def forget(self) -> None:
        """Drop the picture on record, so the next request is drawn even when its key is unchanged.

        For changes the cache key cannot see, such as another OCIO config for the display.
        """
        self._last = None

    def cancel_all(self) -> None:
        """Cancel every request in flight."""
        for token in self._tokens.values():
            token.cancel()

    def shutdown(self) -> None:
        """Cancel everything and wait for the workers (call before the window goes away)."""
        self.cancel_all()
        self.pool.clear()
        self.pool.waitForDone(10000)

    # ------------------------------------------------------------- internals
    def _submit(self, work) -> int:
        self.cancel_all()
        self._generation += 1
        generation = self._generation
        token = CancelToken()
        self._tokens[generation] = token
        self._outstanding += 1
        if self._outstanding == 1:
            self.busy_changed.emit(True)

        def run() -> None:
            try:
                if not token.cancelled:
                    work(token, generation)
            finally:
                self._done.emit(generation)

        self.pool.start(run)
        return generation

    def _on_done(self, generation: int) -> None:
        self._tokens.pop(generation, None)
        if generation == self._evaluating:
            self._evaluating = None
        self._outstanding -= 1
        if self._outstanding == 0:
            self.busy_changed.emit(False)

    def accept(self, outcome: ViewResult | ViewFailure) -> bool:
        """True when a delivered outcome is the newest so far; older ones arriving late are dropped.

        The viewer calls this for every `frame_ready` and `failed`; accepted results become `last`.
        """
        if outcome.generation < self._shown:
            return False
        self._shown = outcome.generation
        if isinstance(outcome, ViewResult):
            self._drop_obsolete(self._last, outcome)
            self._last = outcome
        return True

    def _drop_obsolete(self, previous: ViewResult | None, current: ViewResult) -> None:
        """After an edit, drop the results only the previous picture used.

        Same node, same frame, other keys: an edit changed them, so the old results of the
        edited node and everything below it are unlikely to be asked for again. Dropping them
        keeps memory flat while a slider is dragged (otherwise each step would add a frame per
        node downstream of the edit) and lets the next step reuse the freed memory, which on
        Linux is several times faster than growing the process. Changing frame or node drops
        nothing, so playback and A/B comparisons stay cached.
        """
        if previous is None or not current.keys or previous.frame.node != current.frame.node:
            return
        if previous.frame.frame != current.frame.frame:
            return
        for key in previous.keys - current.keys:
            self.cache.discard(key)

    def _unchanged(self, key: str | None, node_name: str, frame: float, settings: DisplaySettings) -> bool:
        """True when the picture on screen already shows this key with these settings."""
        last = self._last
        return (
            key is not None and last is not None and last.generation == self._shown
            and last.frame.key == key and last.frame.node == node_name and last.frame.frame == float(frame)
            and last.settings == settings
        )

    def _transform(self, colour: ColourManager, settings: DisplaySettings) -> DisplayTransform:
        view = settings.view or default_display_view(colour)
        key = (colour.source, colour.cache_id, colour.working_space, view, settings.exact)
        with self._transforms_lock:
            transform = self._transforms.get(key)
            if transform is None:
                transform = self._transforms[key] = DisplayTransform(colour, view, exact=settings.exact)
            return transform

    def _evaluate(self, snapshot: Document, node_name: str, frame: float, settings: DisplaySettings,
                  token: CancelToken, generation: int) -> None:
        def report(node: str, _frame: float, fraction: float, _message: str) -> None:
            self.progress.emit(node, fraction)

        try:
            evaluator = Evaluator(snapshot, self.cache, cancel=token, progress=report, on_compute=self.computing.emit)
            plan = evaluator.plan(snapshot[node_name], Request(float(frame)))
            if self._unchanged(plan.key, node_name, frame, settings):
                return
            image = evaluator.run(plan)
            colour = evaluator.colour
        except CancelledError:
            return
        except NodecompError as exc:
            self._fail(generation, exc)
            return
        except Exception as exc:  # noqa: BLE001 - a bug must show in the viewer, not kill the worker
            log.exception("viewer render of %s at frame %s failed", node_name, frame)
            self._fail(generation, EvaluationError(f"internal error: {type(exc).__name__}: {exc}",
                                                   node=node_name, frame=frame))
            return
        self._display(image, (plan.key, node_name, float(frame)), colour, settings, token, generation,
                      _plan_keys(plan))

    def _display(self, image: Image, meta: tuple[str | None, str, float], colour: ColourManager,
                 settings: DisplaySettings, token: CancelToken, generation: int,
                 keys: frozenset[str] = frozenset()) -> None:
        try:
            transform = self._transform(colour, settings)
            luma = tuple(colour.config.getDefaultLumaCoefs()) or LUMA_709
            token.check()
            shown = render_display(image, settings, transform, luma)
            token.check()
        except CancelledError:
            return
        except NodecompError as exc:
            self._fail(generation, exc)
            return
        except Exception as exc:  # noqa: BLE001 - OCIO or numpy failures are reported like node errors
            log.exception("viewer display failed")
            self._fail(generation, EvaluationError(f"display failed: {type(exc).__name__}: {exc}"))
            return
        key, node_name, frame_number = meta
        frame = DisplayFrame(shown.rgba, shown.data_window, shown.display_window, shown.scale,
                             key=key, node=node_name, frame=frame_number)
        self.frame_ready.emit(ViewResult(generation, image, frame, colour, settings, keys))

    def _fail(self, generation: int, exc: NodecompError) -> None:
        node = exc.node.split(".", 1)[0] if exc.node else None
        self.failed.emit(ViewFailure(generation, str(exc), node))


def _plan_keys(plan: Plan) -> frozenset[str]:
    """Every cache key a plan reads, its own included."""
    keys: set[str] = set()
    stack = [plan]
    while stack:
        current = stack.pop()
        if current.key is not None:
            keys.add(current.key)
        stack.extend(p for p in (*current.inputs.values(), current.forward) if p is not None)
    return frozenset(keys)
