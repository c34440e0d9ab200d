"""Background rendering for the viewer: the newest request wins, stale ones are cancelled.

Each request evaluates a snapshot of the document (taken on the UI thread, so later edits never
race the worker) through the engine with the app's shared cache, then turns the image into
viewer pixels. A request carries its own CancelToken; asking again cancels every older token,
so a stale render stops at the engine's next check and never reaches the screen. Display-only
changes (exposure, channels, zoom) reuse the last image and skip the engine.

Requests belong to a slot: the viewer's A input, its B input, or the A-B difference. Each slot
has its own newest request, its own cancellation and its own last picture, so an edit that
changes only B re-renders only B (A's request finds its cache key unchanged and stops there),
while both run on the same pool through the same display transforms.

A request may carry a region of interest and a proxy scale (`engine/request.py`); the engine
then returns fewer pixels, in proxy coordinates, and the display stage maps them back: every
`DisplayFrame` is placed in full-resolution image coordinates, whatever the proxy scale. The
difference of A and B is taken only between pictures made for the same request.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore

from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, NodecompError
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.colour import ColourManager
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator, Plan
from nodecomp.engine.image import Box, Image, conform
from nodecomp.engine.request import Request
from nodecomp.ui.display import DisplayTransform, default_display_view
from nodecomp.ui.viewer_compare import DIFFERENCE, A
from nodecomp.ui.viewer_image import LUMA_709, DisplayFrame, DisplaySettings, render_display

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ViewResult:
    """A finished request: the engine image (for the pixel probe) and its viewer pixels.

    `slot` is the viewer input it was asked for: "A", "B" or "D" (the difference). `image` is
    in the request's proxy coordinates; `frame` in full-resolution coordinates.
    """

    generation: int
    image: Image
    frame: DisplayFrame
    colour: ColourManager
    settings: DisplaySettings
    keys: frozenset[str] = frozenset()
    slot: str = A
    request: Request = Request(1.0)


@dataclass(frozen=True)
class ViewFailure:
    """A request that failed; `node` names the node to mark (None when unknown)."""

    generation: int
    message: str
    node: str | None
    slot: str = A


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
        self._shown: dict[str, int] = {}
        self._tokens: dict[int, tuple[str, CancelToken]] = {}
        self._outstanding = 0
        self._last: dict[str, ViewResult] = {}
        self._evaluating: dict[str, int] = {}  # per slot: the newest evaluation not yet finished
        self._transforms: dict[tuple, DisplayTransform] = {}
        self._transforms_lock = threading.Lock()
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        """True while any request is running or queued."""
        return self._outstanding > 0

    @property
    def last(self) -> ViewResult | None:
        """The newest result shown for the A input."""
        return self._last.get(A)

    def result(self, slot: str) -> ViewResult | None:
        """The newest result shown for `slot` ("A", "B" or "D")."""
        return self._last.get(slot)

    def request(self, doc: Document, node_name: str, frame: float, settings: DisplaySettings,
                slot: str = A, *, region: Box | None = None, scale: float = 1.0) -> int:
        """Evaluate `node_name` at `frame` and display it as `slot`; returns the request's generation.

        `region` (full-resolution pixels) limits the work to a region of interest; `scale` asks
        for a proxy image (1/2, 1/4...).
        """
        snapshot = doc.copy()
        wanted = Request(float(frame), region, scale)
        generation = self._submit(
            slot, lambda token, gen: self._evaluate(snapshot, node_name, wanted, settings, token, gen, slot))
        self._evaluating[slot] = generation
        return generation

    def redisplay(self, settings: DisplaySettings, slot: str = A) -> int | None:
        """Re-run only the display stage on `slot`'s last image (exposure, channels, zoom).

        Returns None, doing nothing, when there is no image yet or an evaluation is still on its
        way: a redisplay would cancel it and show the old image; ask with `request` instead.
        """
        last = self._last.get(slot)
        if last is None or slot in self._evaluating:
            return None
        meta = (last.frame.key, last.frame.node, last.request)
        return self._submit(slot, lambda token, gen: self._display(last.image, meta, last.colour, settings, token,
                                                                   gen, last.keys, slot))

    def difference(self, a: ViewResult, b: ViewResult, settings: DisplaySettings) -> int:
        """Display |A - B| (every channel of A, on the union of both data windows) as slot "D".

        The difference is taken on linear values, then goes through the same display stage as
        A and B, so exposure lifts small differences into view. A and B must come from the same
        request (frame, region, proxy scale): their pixels are then in the same coordinates.
        """
        if a.request != b.request:
            raise ValueError(f"A and B were made for different requests: {a.request} and {b.request}")
        key = f"{a.frame.key}-{b.frame.key}" if a.frame.key and b.frame.key else None
        meta = (key, f"{a.frame.node} - {b.frame.node}", a.request)

        def work(token: CancelToken, generation: int) -> None:
            try:
                image = difference_image(a.image, b.image)
            except Exception as exc:  # noqa: BLE001 - reported like a display failure
                log.exception("viewer difference failed")
                self._fail(generation, EvaluationError(f"difference failed: {type(exc).__name__}: {exc}"),
                           DIFFERENCE)
                return
            self._display(image, meta, a.colour, settings, token, generation, frozenset(), DIFFERENCE)

        return self._submit(DIFFERENCE, work)

    def forget(self, slot: str) -> None:
        """Cancel `slot`'s requests and drop its last picture (B no longer shown)."""
        self.cancel(slot)
        self._last.pop(slot, None)

    def cancel(self, slot: str) -> None:
        """Cancel the requests in flight for `slot`."""
        for owner, token in self._tokens.values():
            if owner == slot:
                token.cancel()

    def cancel_all(self) -> None:
        """Cancel every request in flight."""
        for _slot, token in self._tokens.values():
            token.cancel()

    def shutdown(self) -> None:
        """Cancel everything and wait for the workers (call before the window goes away)."""
        self.cancel_all()
        self.pool.clear()
        self.pool.waitForDone(10000)

    # ------------------------------------------------------------- internals
    def _submit(self, slot: str, work) -> int:
        self.cancel(slot)
        self._generation += 1
        generation = self._generation
        token = CancelToken()
        self._tokens[generation] = (slot, token)
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
        slot, _token = self._tokens.pop(generation, (None, None))
        if slot is not None and self._evaluating.get(slot) == generation:
            del self._evaluating[slot]
        self._outstanding -= 1
        if self._outstanding == 0:
            self.busy_changed.emit(False)

    def accept(self, outcome: ViewResult | ViewFailure) -> bool:
        """True when a delivered outcome is the newest so far for its slot; older ones arriving late are dropped.

        The viewer calls this for every `frame_ready` and `failed`; accepted results become the
        slot's last picture.
        """
        slot = outcome.slot
        if outcome.generation < self._shown.get(slot, 0):
            return False
        self._shown[slot] = outcome.generation
        if isinstance(outcome, ViewResult):
            self._drop_obsolete(self._last.get(slot), outcome)
            self._last[slot] = outcome
        return True

    def _drop_obsolete(self, previous: ViewResult | None, current: ViewResult) -> None:
        """After an edit, drop the results only the previous picture used.

        Same node, same frame, other keys: an edit changed them, so the old results of the
        edited node and everything below it are unlikely to be asked for again. Dropping them
        keeps memory flat while a slider is dragged (otherwise each step would add a frame per
        node downstream of the edit) and lets the next step reuse the freed memory, which on
        Linux is several times faster than growing the process. Changing frame or node drops
        nothing, so playback and A/B comparisons stay cached; so does changing the region of
        interest or the proxy scale. A result the other input's picture still uses is kept.
        """
        if previous is None or not current.keys or previous.frame.node != current.frame.node:
            return
        if previous.request != current.request:  # another frame, region or proxy scale
            return
        in_use = set(current.keys)
        for slot, other in self._last.items():
            if slot != current.slot:
                in_use |= other.keys
        for key in previous.keys - in_use:
            self.cache.discard(key)

    def _unchanged(self, key: str | None, node_name: str, request: Request, settings: DisplaySettings,
                   slot: str) -> bool:
        """True when `slot`'s picture on screen already shows this key with these settings."""
        last = self._last.get(slot)
        return (
            key is not None and last is not None and last.generation == self._shown.get(slot)
            and last.frame.key == key and last.frame.node == node_name and last.request == request
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

    def _evaluate(self, snapshot: Document, node_name: str, request: Request, settings: DisplaySettings,
                  token: CancelToken, generation: int, slot: str) -> None:
        frame = request.frame

        def report(node: str, _frame: float, fraction: float, _message: str) -> None:
            self.progress.emit(node, fraction)

        try:
            evaluator = Evaluator(snapshot, self.cache, cancel=token, progress=report, on_compute=self.computing.emit)
            plan = evaluator.plan(snapshot[node_name], request)
            if self._unchanged(plan.key, node_name, request, settings, slot):
                return
            image = evaluator.run(plan)
            colour = evaluator.colour
        except CancelledError:
            return
        except NodecompError as exc:
            self._fail(generation, exc, slot)
            return
        except Exception as exc:  # noqa: BLE001 - a bug must show in the viewer, not kill the worker
            log.exception("viewer render of %s at frame %s failed", node_name, frame)
            self._fail(generation, EvaluationError(f"internal error: {type(exc).__name__}: {exc}",
                                                   node=node_name, frame=frame), slot)
            return
        self._display(image, (plan.key, node_name, request), colour, settings, token, generation,
                      _plan_keys(plan), slot)

    def _display(self, image: Image, meta: tuple[str | None, str, Request], colour: ColourManager,
                 settings: DisplaySettings, token: CancelToken, generation: int,
                 keys: frozenset[str] = frozenset(), slot: str = A) -> None:
        key, node_name, request = meta
        step = request.step
        try:
            transform = self._transform(colour, settings)
            luma = tuple(colour.config.getDefaultLumaCoefs()) or LUMA_709
            token.check()
            # settings.scale is shown pixels per full-resolution pixel; a proxy pixel is `step` of those
            shown = render_display(image, settings.at_scale(min(1.0, settings.scale * step)), transform, luma)
            token.check()
        except CancelledError:
            return
        except NodecompError as exc:
            self._fail(generation, exc, slot)
            return
        except Exception as exc:  # noqa: BLE001 - OCIO or numpy failures are reported like node errors
            log.exception("viewer display failed")
            self._fail(generation, EvaluationError(f"display failed: {type(exc).__name__}: {exc}"), slot)
            return
        frame = DisplayFrame(shown.rgba, shown.data_window.enlarged(step), shown.display_window.enlarged(step),
                             shown.scale / step, key=key, node=node_name, frame=request.frame)
        self.frame_ready.emit(ViewResult(generation, image, frame, colour, settings, keys, slot, request))

    def _fail(self, generation: int, exc: NodecompError, slot: str = A) -> None:
        node = exc.node.split(".", 1)[0] if exc.node else None
        self.failed.emit(ViewFailure(generation, str(exc), node, slot))


def difference_image(a: Image, b: Image) -> Image:
    """|A - B| per channel of A over the union of both data windows (outside a window reads as 0).

    B's channels are matched to A's by name; one B lacks reads as zero (an opaque alpha when B
    has colour but no alpha), so the difference shows A there.
    """
    a_cpu, b_cpu = _on_cpu(a), _on_cpu(b)
    if a.data_window == b.data_window and a.channels == b.channels:  # the usual case: one pass, no copies
        pixels = np.subtract(a_cpu.pixels, b_cpu.pixels, dtype=np.float32)
        return a.replace(pixels=np.abs(pixels, out=pixels))
    window = a.data_window.union(b.data_window)
    pixels = conform(a_cpu, window)
    pixels -= conform(b_cpu, window, a.channels)
    return a.replace(pixels=np.abs(pixels, out=pixels), data_window=window)


def _on_cpu(image: Image) -> Image:
    """The image with numpy pixels (torch pixels are copied off the device)."""
    if isinstance(image.pixels, np.ndarray):
        return image
    return image.replace(pixels=image.pixels.detach().cpu().numpy())


def _plan_keys(plan: Plan) -> frozenset[str]:
    """Every cache key a plan reads, its own included."""
    keys: set[str] = set()
    stack = [plan]
    while stack:
        current = stack.pop()
        if current.key is not None:
            keys.add(current.key)
        for sub in (*current.inputs.values(), current.forward, current.adapt):
            stack.extend(sub if isinstance(sub, tuple) else (sub,) if sub is not None else ())
    return frozenset(keys)
