"""Running node actions (train, track, export) as jobs: progress, live values, cancel, undoable edits.

A node type declares `actions` and implements `run_action(ctx, name)` (`core/nodetype.py`).
`ActionJob` runs one on a snapshot of the document taken when the job is made, so the user can
keep editing while it works (in the app it runs on a background thread); its evaluator pulls the
node's inputs at any frame through the shared cache. Progress reports carry a fraction, a
message and named numbers (a loss, a step) and are where cancellation is honoured. Edits the
action makes to its own node's params are collected and applied to the real document afterwards,
as one undo step, by whoever owns that document (`ActionResult.apply`), so a job never edits a
document another thread is showing.

```python
result = run_action(doc, "LookTrain1", "train", on_progress=lambda p: print(p.fraction, p.values))
```
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, GraphError, NodecompError
from nodecomp.core.frames import parse_frames
from nodecomp.core.node import Node
from nodecomp.core.params import ParamState
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.context import CancelToken, EvalContext
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import Image
from nodecomp.engine.request import Request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionProgress:
    """One progress report of a running action.

    Attributes:
        fraction: 0..1 done, or None when unknown.
        message: a short status line ("epoch 3/20").
        values: named numbers to show live and plot (`{"loss": 0.0012, "step": 120}`).
        output_changed: the node's output changed on disk (a checkpoint was written): views re-render.
    """

    fraction: float | None
    message: str = ""
    values: Mapping[str, float] = field(default_factory=dict)
    output_changed: bool = False


ProgressHandler = Callable[[ActionProgress], None]


@dataclass
class ActionResult:
    """What a finished action did.

    Attributes:
        node: the node's name when the job started.
        node_id: its id (stable across renames), to find it again in the live document.
        action: the action's name.
        label: the action's label ("Train").
        message: the action's one-line summary.
        params: param name -> new state, for params the action changed on its node.
        seconds: how long it ran.
    """

    node: str
    node_id: str
    action: str
    label: str
    message: str = ""
    params: dict[str, ParamState] = field(default_factory=dict)
    seconds: float = 0.0

    def apply(self, doc: Document) -> bool:
        """Set the changed params on the node in `doc`, as one undo step; False when it is gone."""
        if not self.params:
            return True
        node = doc.node_by_id(self.node_id) or doc.find(self.node)
        if node is None:
            return False
        with doc.macro(f"{self.label} {node.name}"):
            for name, state in self.params.items():
                doc.set_param_state(node, name, state)
        return True


class ActionContext:
    """What `NodeType.run_action` gets: params, inputs at any frame, progress, cancel, param edits.

    Attributes:
        node: the node's name.
        action: the action being run.
        frame: the document's current frame when the job started.
        params: the node's params resolved at `frame`.
        document: the snapshot the action runs on (built-in operations that work on whole
            documents use it; node types need only the methods below).
        evaluator: the snapshot's evaluator (its cache is the app's, or the caller's).
    """

    def __init__(self, job: ActionJob) -> None:
        self._job = job
        self.node = job.node.name
        self.action = job.action
        self.frame = job.frame
        self.document = job.snapshot
        self.evaluator = job.evaluator
        self.params = job.snapshot.resolve_params(job.node, job.frame)

    # ----------------------------------------------------------------- reading
    @property
    def frame_range(self) -> tuple[int, int]:
        """The document's first and last frame."""
        return self.document.frame_range

    def frames(self, spec: str) -> list[int]:
        """Frames listed by `spec` ("1-20", "1,5,9-12", "1-100x10"); empty means the frame range.

        Raises:
            ParamError: naming the node, when the text is not a frame list.
        """
        try:
            return parse_frames(spec.strip(), default=self.frame_range)
        except NodecompError as exc:
            raise self.error(f"bad frame list {spec!r}: {exc.reason}") from None

    def connected(self, name: str) -> bool:
        """True when input `name` has something connected."""
        return self._job.node.inputs.get(name) is not None

    def input(self, name: str, frame: float | None = None) -> Image:
        """Input `name` rendered at `frame` (the current frame when None), through the shared cache.

        Raises:
            EvaluationError: the input is not connected (naming node and input), or failed to render.
        """
        source = self._job.node.inputs.get(name)
        if source is None:
            raise self.error(f"input {name!r} is not connected", hint=f"connect an image to {name}")
        self.check_cancelled()
        return self.evaluator.evaluate(source, Request(float(self.frame if frame is None else frame)))

    def resolve_path(self, path: str) -> str:
        """A param path made absolute: `~` and variables expanded, relative to the comp's folder."""
        return self._eval_context().resolve_path(path)

    def eval_context(self, frame: float | None = None) -> EvalContext:
        """The context a compute of this node would get at `frame` (to reuse a node's own hooks)."""
        return self._eval_context(frame)

    def _eval_context(self, frame: float | None = None) -> EvalContext:
        return self.evaluator.context(self._job.node, Request(float(self.frame if frame is None else frame)))

    # --------------------------------------------------------------- reporting
    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop; for loops that must clean up before stopping."""
        return self._job.token.cancelled

    def check_cancelled(self) -> None:
        """Raise CancelledError when the user asked to stop."""
        self._job.token.check()

    def progress(self, fraction: float | None, message: str = "", **values: float) -> None:
        """Report progress (0..1, or None when unknown), a status line and named numbers.

        Raises:
            CancelledError: the user asked to stop (so a loop that reports also stops).
        """
        self._job.report(ActionProgress(None if fraction is None else min(max(float(fraction), 0.0), 1.0),
                                        message, {k: float(v) for k, v in values.items()}))
        self.check_cancelled()

    def output_changed(self, message: str = "") -> None:
        """Tell views the node's output changed (a model file was rewritten) so they re-render."""
        self._job.report(ActionProgress(None, message, {}, output_changed=True))

    def warn(self, message: str) -> None:
        """A non-fatal problem, logged and listed with the result."""
        text = f"{self.node}: {message}"
        self.evaluator.warnings.append(text)
        log.warning(text)

    def error(self, reason: str, *, path: str | None = None, hint: str | None = None) -> EvaluationError:
        """An EvaluationError naming this node; `raise ctx.error(...)`."""
        return EvaluationError(reason, node=self.node, path=path, hint=hint)

    # ------------------------------------------------------------------ editing
    def set_param(self, name: str, value: Any) -> None:
        """Set one of the node's params (applied to the document when the action succeeds)."""
        self.document.set_param(self._job.node, name, value)

    def set_key(self, name: str, frame: float, value: Any, *, interp: str = "smooth") -> None:
        """Key one of the node's params at `frame` (applied to the document when the action succeeds)."""
        self.document.set_key(self._job.node, name, frame, value, interp=interp)


class ActionJob:
    """One action of one node, ready to run on any thread.

    The snapshot is taken here, on the caller's thread (the one that owns `doc`); `run` may be
    called from another thread and never touches `doc`.

    Args:
        doc: the document.
        node: the node or its name.
        action: the action's name.
        frame: the frame params are read at (the document's current frame when None).
        cache: the cache inputs are rendered through (a private one when None).

    Raises:
        GraphError: the node is not in the document, its type is not loaded, or it has no such action.
    """

    def __init__(self, doc: Document, node: Node | str, action: str, *, frame: float | None = None,
                 cache: ImageCache | None = None) -> None:
        live = doc[node] if isinstance(node, str) else node
        node_type = live.node_type
        if node_type is None:
            raise GraphError(f"node type {live.type_id} is not loaded", node=live.name,
                             hint="install or enable the plugin that provides it")
        spec = node_type.action(action)
        if spec is None:
            names = ", ".join(a.name for a in node_type.actions) or "none"
            raise GraphError(f"{live.type_name} has no action {action!r} (its actions: {names})", node=live.name)
        self.spec = spec
        self.action = action
        self.node_id = live.id
        self.frame = float(doc.current_frame if frame is None else frame)
        self.snapshot = doc.copy()
        self.node = self.snapshot[live.name]
        self.token = CancelToken()
        self.evaluator = Evaluator(self.snapshot, cache, cancel=self.token)
        self._handlers: list[ProgressHandler] = []
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """Ask the action to stop at its next progress report or cancel check."""
        self.token.cancel()

    def report(self, event: ActionProgress) -> None:
        """Hand a progress report to the handlers (a failing handler is logged, never fatal)."""
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # noqa: BLE001 - a progress display must never stop the action
                log.exception("an action progress handler failed")

    def run(self, on_progress: ProgressHandler | None = None) -> ActionResult:
        """Run the action; returns what it changed.

        Raises:
            CancelledError: it was cancelled (nothing is applied).
            NodecompError: it failed (naming node, frame and file where it can).
        """
        if on_progress is not None:
            with self._lock:
                self._handlers.append(on_progress)
        node_type = self.node.node_type
        assert node_type is not None  # noqa: S101 - checked in __init__
        before = dict(self.node.params)
        started = time.perf_counter()
        try:
            message = node_type.run_action(ActionContext(self), self.action)
        except NodecompError as exc:
            if isinstance(exc, CancelledError) or exc.node is not None:
                raise
            raise type(exc)(exc.reason, node=self.node.name, frame=exc.frame, path=exc.path,
                            hint=exc.hint) from exc
        except OSError as exc:
            raise EvaluationError(f"{self.spec.display_label} failed: {exc}", node=self.node.name,
                                  path=exc.filename if isinstance(exc.filename, str) else None) from exc
        changed = {name: state for name, state in self.node.params.items() if before.get(name) is not state}
        return ActionResult(self.node.name, self.node_id, self.action, self.spec.display_label, message or "",
                            changed, time.perf_counter() - started)


def run_action(doc: Document, node: Node | str, action: str, *, frame: float | None = None,
               cache: ImageCache | None = None, on_progress: ProgressHandler | None = None,
               apply: bool = True) -> ActionResult:
    """Run a node's action in this thread and (with `apply`) set the params it changed on `doc`.

    Raises:
        GraphError: no such node or action.
        CancelledError: it was cancelled (to cancel from another thread, make an `ActionJob`
            and call its `cancel`).
        NodecompError: the action failed; nothing is applied.
    """
    job = ActionJob(doc, node, action, frame=frame, cache=cache)
    result = job.run(on_progress)
    if apply:
        result.apply(doc)
    return result
