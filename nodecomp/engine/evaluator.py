"""Pull evaluation: plan (hash) first, then hit the cache or compute.

For a (node, request) the evaluator resolves the node's params at the frame, asks the node type
whether it passes an input through, which request each input gets, and which outside state it
depends on; the cache key is the hash of all that plus the input keys. Only then are pixels
pulled, so an unchanged branch is never recomputed and an identity node costs nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from nodecomp.core import groups
from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, NodecompError
from nodecomp.core.node import Node
from nodecomp.core.nodetype import NodeType
from nodecomp.engine import devices
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.colour import ColourManager, colour_manager
from nodecomp.engine.context import CancelToken, EvalContext, ProgressCallback
from nodecomp.engine.hashing import Uncacheable, digest
from nodecomp.engine.image import Box, Image, Region
from nodecomp.engine.proxy import clip_to_request, fit_image, fit_region, scale_params
from nodecomp.engine.request import Request

log = logging.getLogger(__name__)

RECURSION_LIMIT = 50_000
"""Planning and running recurse once or twice per node along a chain, so Python's default limit
of 1,000 frames stopped a chain of about 500 nodes. Python 3.11 keeps Python-to-Python calls off
the C stack, so a higher limit costs nothing until it is used; a deeper graph gets an
EvaluationError naming the node instead of a crash."""
if sys.getrecursionlimit() < RECURSION_LIMIT:
    sys.setrecursionlimit(RECURSION_LIMIT)


@dataclass
class Plan:
    """What computing one node for one request involves; `key` is None when uncacheable.

    Exactly one of these says how the image is made: `forward` (a pass-through: the input's
    plan), `blank` (a disabled node with nothing to forward), `adapt` (a node type that does
    not support the request's region or scale: its full-resolution plan, cropped and reduced),
    or else compute from `inputs`.
    """

    node: Node
    request: Request
    params: dict[str, Any]
    key: str | None
    inputs: dict[str, Plan | tuple[Plan, ...] | None] = field(default_factory=dict)
    forward: Plan | None = None
    adapt: Plan | None = None
    params_at: dict[float, dict[str, Any]] = field(default_factory=dict)
    blank: bool = False
    recurring: bool = True


@dataclass
class EvaluatorStats:
    """Per node name: computes, and output pixels computed (what tests and benchmarks check).

    `pixels` counts the data-window area of each computed result, so a region of interest or
    a proxy scale shows up as fewer pixels for the nodes that honour it.
    """

    computes: dict[str, int] = field(default_factory=dict)
    pixels: dict[str, int] = field(default_factory=dict)


class Retain(StrEnum):
    """Which computed results the cache keeps.

    ALL suits interactive work and scripts that re-render after edits. RECURRING keeps only
    results whose key was already planned before (a frame-independent Constant, a held frame,
    a repeated request): a batch render then pays neither the memory nor the cost of touching
    fresh pages for intermediates that no later frame will ask for. Results already in the
    cache are used either way.
    """

    ALL = "all"
    RECURRING = "recurring"


class Evaluator:
    """Evaluates nodes of one document with a shared cache.

    Args:
        document: the comp; read only. Jobs pass a snapshot so edits do not race renders.
        cache: shared result cache (a private one is made when None).
        cancel: token checked between nodes and by long computes.
        progress: callback for long computes.
        retain: which results to store in the cache (see `Retain`).
        on_compute: called with (node name, True) when a node's compute starts and (node name,
            False) when it ends, on the computing thread (the app marks computing nodes).
    """

    def __init__(
        self,
        document: Document,
        cache: ImageCache | None = None,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        retain: Retain = Retain.ALL,
        on_compute: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.document = document
        self.on_compute = on_compute
        self.retain = Retain(retain)
        self._planned: set[str] = set()
        self.cache = cache if cache is not None else ImageCache()
        self.cancel = cancel or CancelToken()
        self.progress = progress
        self.warnings: list[str] = []
        self.stats = EvaluatorStats()
        self._stats_lock = threading.Lock()
        self._colour: ColourManager | None = None
        self._document_dir = os.path.dirname(os.path.abspath(document.path)) if document.path else os.getcwd()

    @property
    def colour(self) -> ColourManager:
        """The document's colour manager (loaded on first use)."""
        if self._colour is None:
            settings = self.document.settings
            self._colour = colour_manager(settings.get("ocio_config", ""), settings.get("working_space", ""))
        return self._colour

    def context(
        self, node: Node, request: Request, params_at: dict[float, dict[str, Any]] | None = None
    ) -> EvalContext:
        """The context a node's hooks get for `request` (`params_at`: params at other frames)."""
        return EvalContext(
            node=node.name,
            request=request,
            format=self.document.format,
            colour=self.colour,
            document_dir=self._document_dir,
            metadata={"document": self.document.name, "fps": self.document.fps, **self.document.metadata},
            cancel=self.cancel,
            progress=self.progress,
            warnings=self.warnings,
            params_at=params_at,
        )

    # ------------------------------------------------------------------ plan
    def hash(self, node: Node | str, request: Request | float) -> str | None:
        """The cache key of `node` for `request` (None when uncacheable)."""
        return self.plan(node, request).key

    def plan(self, node: Node | str, request: Request | float) -> Plan:
        """Resolve params, pass-throughs and input requests down the graph, hashing as it goes."""
        node = self.document[node] if isinstance(node, str) else node
        request = request if isinstance(request, Request) else Request(float(request))
        try:
            return self._plan(node, request, {}, ())
        except RecursionError:
            raise _too_deep(node, request) from None

    def plan_each(self, nodes: list[Node], request: Request | float) -> dict[str, Plan | NodecompError]:
        """Plans of several nodes for one request, sharing the work on their common upstream.

        A node that cannot be planned (an unconnected input, a bad expression) maps to its
        error instead, so one broken branch does not hide the others.
        """
        request = request if isinstance(request, Request) else Request(float(request))
        memo: dict[Any, Plan] = {}
        plans: dict[str, Plan | NodecompError] = {}
        for node in nodes:
            try:
                try:
                    plans[node.name] = self._plan(node, request, memo, ())
                except RecursionError:
                    raise _too_deep(node, request) from None
            except NodecompError as exc:
                plans[node.name] = exc
        return plans

    def _plan(self, node: Node, request: Request, memo: dict[Any, Plan], path: tuple[str, ...]) -> Plan:
        memo_key = (node.id, request)
        if memo_key in memo:
            return memo[memo_key]
        if node.id in path:
            raise EvaluationError("the graph has a cycle through this node", node=node.name, frame=request.frame)
        node_type = node.node_type
        if node_type is None:
            raise EvaluationError(
                f"node type {node.type_id} is not loaded",
                node=node.name, frame=request.frame, hint="install or enable the plugin that provides it",
            )
        if not node_type.outputs:
            raise EvaluationError(
                f"a {node_type.short_name()} has no output, so there is no image to compute",
                node=node.name, frame=request.frame, hint="view or render a node that has an output",
            )
        try:
            params = self.document.resolve_params(node, request.frame)
        except NodecompError as exc:
            raise EvaluationError(exc.reason, node=node.name, frame=request.frame) from None
        if node_type.supports_scale and request.scale != 1.0:
            params = scale_params(node_type.params, params, request.scale)

        plan = self._plan_forward(node, request, params, memo, path)
        if plan is None:
            full = _supported(node_type, request)
            if full != request:  # computed as the node supports, then cropped and reduced
                inner = self._plan(node, full, memo, path)
                key = digest("nodecomp.fit", inner.key, request.region, request.scale) if inner.key else None
                plan = Plan(node, request, params, key, adapt=inner)
                self._note_recurring(plan)
            else:
                plan = self._plan_compute(node, request, params, memo, (*path, node.id))
        memo[memo_key] = plan
        return plan

    def _plan_forward(self, node: Node, request: Request, params: dict[str, Any], memo: dict[Any, Plan],
                      path: tuple[str, ...]) -> Plan | None:
        """The plan of a disabled or pass-through node, or None when it computes.

        A forwarded input is untouched, so it is asked for the request's region and scale
        whatever the node supports.
        """
        node_type = node.node_type
        assert node_type is not None  # noqa: S101 - checked by _plan
        if node_type.group_role in ("group", "input") and not node.disabled:
            return self._plan_group_edge(node, request, params, memo, (*path, node.id))
        if node.disabled:
            forward_input: str | None = next((name for name, src in node.inputs.items() if src is not None), "")
        else:
            forward_input = node_type.forward_input(request, params)
        if forward_input is None:
            return None
        source = node.inputs.get(forward_input) if forward_input else None
        forward_request: Any = request
        if not node.disabled:  # a time node forwards its input at the frame it asks for
            forward_request = node_type.input_requests(request, params).get(forward_input)
            if isinstance(forward_request, Request):
                forward_request = replace(forward_request, region=request.region, scale=request.scale)
        if source is not None and isinstance(forward_request, Request):
            forward = self._plan(source, forward_request, memo, (*path, node.id))
            return Plan(node, request, params, forward.key, forward=forward)
        if node.disabled:
            return self._blank_plan(node, request, params)
        return None

    def _blank_plan(self, node: Node, request: Request, params: dict[str, Any]) -> Plan:
        """Transparent black in the document format: a disabled node with nothing to pass, an unfed GroupInput."""
        proxy = () if request.is_full else (request.region, request.scale)
        return Plan(node, request, params, digest("blank", self.document.format, *proxy), blank=True)

    def _plan_group_edge(
        self, node: Node, request: Request, params: dict[str, Any], memo: dict[Any, Plan], path: tuple[str, ...]
    ) -> Plan:
        """A Group is its GroupOutput; a GroupInput is what feeds its group's input of that name.

        Both forward the request untouched, so a grouped graph keeps the cache keys of the same
        nodes ungrouped.
        """
        if node.node_type is not None and node.node_type.group_role == "group":
            output = groups.group_output(self.document, node)
            if output is None:
                raise EvaluationError("the group has no GroupOutput node", node=node.name, frame=request.frame,
                                      hint="open the group and add a GroupOutput fed by its result")
            forward = self._plan(output, request, memo, path)
            return Plan(node, request, params, forward.key, forward=forward)
        source = node.parent.inputs.get(node.name) if node.parent is not None else None
        if source is None:
            return self._blank_plan(node, request, params)
        forward = self._plan(source, request, memo, path)
        return Plan(node, request, params, forward.key, forward=forward)

    def _plan_compute(self, node: Node, request: Request, params: dict[str, Any], memo: dict[Any, Plan],
                      path: tuple[str, ...]) -> Plan:
        """The plan of a node computed for `request` (which it supports): inputs, params at other frames, key."""
        node_type = node.node_type
        assert node_type is not None  # noqa: S101 - checked by _plan
        wanted = node_type.input_requests(request, params)
        inputs: dict[str, Plan | tuple[Plan, ...] | None] = {}
        for spec in node_type.inputs:
            source = node.inputs.get(spec.name)
            sub_request = wanted.get(spec.name)
            if source is None or sub_request is None:
                if source is None and not spec.optional and sub_request is not None:
                    raise EvaluationError(
                        f"input {spec.name!r} is not connected", node=node.name, frame=request.frame
                    )
                inputs[spec.name] = None
                continue
            if isinstance(sub_request, tuple | list):  # one input read at several requests
                inputs[spec.name] = tuple(self._plan(source, sub, memo, path) for sub in sub_request)
            else:
                inputs[spec.name] = self._plan(source, sub_request, memo, path)

        try:
            params_at = {
                float(other): self.document.resolve_params(node, float(other))
                for other in node_type.param_frames(request, params)
            }
        except NodecompError as exc:
            raise EvaluationError(exc.reason, node=node.name, frame=request.frame) from None
        if node_type.supports_scale and request.scale != 1.0:
            params_at = {f: scale_params(node_type.params, p, request.scale) for f, p in params_at.items()}
        key = self._key(node, request, params, inputs, params_at)
        plan = Plan(node, request, params, key, inputs, params_at=params_at)
        self._note_recurring(plan)
        return plan

    def _note_recurring(self, plan: Plan) -> None:
        """Under Retain.RECURRING, mark whether the plan's key was planned before."""
        if plan.key is not None and self.retain is Retain.RECURRING:
            with self._stats_lock:
                plan.recurring = plan.key in self._planned
                self._planned.add(plan.key)

    def _key(
        self,
        node: Node,
        request: Request,
        params: dict[str, Any],
        inputs: dict[str, Plan | tuple[Plan, ...] | None],
        params_at: dict[float, dict[str, Any]],
    ) -> str | None:
        node_type = node.node_type
        assert node_type is not None  # noqa: S101 - checked by _plan
        if node_type.volatile:
            return None
        input_keys: list[Any] = []
        for name, sub in inputs.items():
            subs = sub if isinstance(sub, tuple) else (sub,)
            if any(s is not None and s.key is None for s in subs):
                return None
            if isinstance(sub, tuple):
                input_keys.append((name, tuple(s.key for s in sub)))
            else:
                input_keys.append((name, sub.key if sub is not None else None))
        try:
            extra = node_type.fingerprint(self.context(node, request), params)
        except NodecompError as exc:
            if exc.node is None:
                raise EvaluationError(exc.reason, node=node.name, frame=request.frame, path=exc.path,
                                      hint=exc.hint) from exc
            raise
        except OSError as exc:
            raise EvaluationError(f"cannot fingerprint: {exc}", node=node.name, frame=request.frame) from None
        try:
            return digest(
                node_type.type_id,
                node_type.version,
                params,
                input_keys,
                request.region,
                request.scale,
                request.frame if node_type.frame_dependent else None,
                extra,
                self.document.format if not node_type.inputs else None,
                *((sorted(params_at.items()),) if params_at else ()),
                *((("salt", node_type.cache_salt),) if node_type.cache_salt else ()),
            )
        except Uncacheable as exc:
            log.info("%s is not cached: %s", node.name, exc)
            return None

    # ---------------------------------------------------- region of definition
    def region_of_definition(self, node: Node | str, request: Request | float) -> Region | None:
        """The windows `node` produces for `request`, asked of the node types, not computed.

        Follows forwards and pass-throughs; a node type that cannot tell (returns None) makes
        the answer None unless its result is already in the cache.
        """
        return self._region(self.plan(node, request), {})

    def _region(self, plan: Plan, memo: dict[int, Region | None]) -> Region | None:
        if id(plan) in memo:
            return memo[id(plan)]
        if plan.forward is not None:
            region = self._region(plan.forward, memo)
        elif plan.adapt is not None:
            inner = self._region(plan.adapt, memo)
            region = fit_region(inner, plan.request) if inner is not None else None
        elif plan.blank:
            box = Box(0, 0, self.document.format.width, self.document.format.height)
            region = fit_region(Region(box, box), plan.request)
        else:
            cached = self.cache.peek_image(plan.key) if plan.key is not None else None
            if cached is not None:
                region = Region(cached.data_window, cached.display_window)
            else:
                node_type = plan.node.node_type
                assert node_type is not None  # noqa: S101 - checked when planning
                inputs: dict[str, Region | None] = {}
                for name, sub in plan.inputs.items():
                    if isinstance(sub, tuple):
                        parts = [self._region(p, memo) for p in sub]
                        inputs[name] = None if any(r is None for r in parts) else _union(parts)  # type: ignore[arg-type]
                    else:
                        inputs[name] = self._region(sub, memo) if sub is not None else None
                region = node_type.region_of_definition(self.context(plan.node, plan.request), plan.params, inputs)
                window = plan.request.window
                if region is not None and window is not None:
                    region = Region(region.data_window.intersect(window), region.display_window)
        memo[id(plan)] = region
        return region

    # -------------------------------------------------------------- evaluate
    def evaluate(self, node: Node | str, request: Request | float) -> Image:
        """The image `node` produces for `request` (from the cache when possible)."""
        plan = self.plan(node, request)
        return self.run(plan)

    def run(self, plan: Plan) -> Image:
        """Compute a plan made by `plan()`."""
        try:
            return self._run(plan, {})
        except RecursionError:
            raise _too_deep(plan.node, plan.request) from None

    def _run(self, plan: Plan, done: dict[int, Image]) -> Image:
        if id(plan) in done:
            return done[id(plan)]
        if plan.forward is not None:
            image = self._run(plan.forward, done)
        elif plan.blank:
            box = Box(0, 0, self.document.format.width, self.document.format.height)
            image = fit_image(Image.blank(box), plan.request).freeze()
        elif plan.adapt is not None:
            adapt = plan.adapt
            image = self._cached(plan, lambda: fit_image(self._run(adapt, done), plan.request).freeze())
        else:
            image = self._cached(plan, lambda: self._compute(plan, done))
        done[id(plan)] = image
        return image

    def _cached(self, plan: Plan, make: Any) -> Image:
        """`make()`'s image, through the cache when the plan has a key and its node type is cacheable."""
        node_type = plan.node.node_type
        assert node_type is not None  # noqa: S101
        if plan.key is not None and node_type.cacheable and plan.recurring:
            return self.cache.get_or_compute(plan.key, make)
        if plan.key is not None and node_type.cacheable:
            cached = self.cache.get(plan.key)
            return cached if cached is not None else make()
        return make()

    def _compute(self, plan: Plan, done: dict[int, Image]) -> Image:
        node, request = plan.node, plan.request
        node_type = node.node_type
        assert node_type is not None  # noqa: S101
        self.cancel.check()
        arguments: dict[str, Any] = {}
        for name, sub in plan.inputs.items():
            if sub is None:
                arguments[name] = None
            elif isinstance(sub, tuple):
                arguments[name] = tuple(
                    devices.place(self._run(s, done), node_type.device, node=node.name, frame=request.frame)
                    for s in sub
                )
            else:
                image = self._run(sub, done)
                arguments[name] = devices.place(image, node_type.device, node=node.name, frame=request.frame)
        arguments.update(plan.params)
        ctx = self.context(node, request, plan.params_at)
        self.cancel.check()
        if self.on_compute is not None:
            self.on_compute(node.name, True)
        try:
            result = node_type.compute(ctx, **arguments)
        except CancelledError:
            raise
        except NodecompError as exc:
            if exc.node is None:
                raise EvaluationError(exc.reason, node=node.name, frame=request.frame, path=exc.path,
                                      hint=exc.hint) from exc
            raise
        except MemoryError:
            raise EvaluationError(
                "out of memory", node=node.name, frame=request.frame,
                hint="lower the cache size (--cache-mb) or the frames in flight (--threads)",
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure inside a node becomes an error naming it
            raise EvaluationError(f"{type(exc).__name__}: {exc}", node=node.name, frame=request.frame) from exc
        finally:
            if self.on_compute is not None:
                self.on_compute(node.name, False)
        if not isinstance(result, Image):
            raise EvaluationError(
                f"compute returned {type(result).__name__}, not an Image", node=node.name, frame=request.frame,
                hint="node authors: return an nodecomp.api.Image",
            )
        if request.region is not None:
            result = clip_to_request(result, request)
        with self._stats_lock:
            self.stats.computes[node.name] = self.stats.computes.get(node.name, 0) + 1
            self.stats.pixels[node.name] = self.stats.pixels.get(node.name, 0) + result.width * result.height
        return result.freeze()


def _supported(node_type: type[NodeType], request: Request) -> Request:
    """`request` without the region or scale the node type does not support."""
    if request.region is not None and not node_type.supports_region:
        request = replace(request, region=None)
    if request.scale != 1.0 and not node_type.supports_scale:
        request = replace(request, scale=1.0)
    return request


def _union(regions: list[Region]) -> Region:
    data = regions[0].data_window
    for region in regions[1:]:
        data = data.union(region.data_window)
    return Region(data, regions[0].display_window)


def _too_deep(node: Node, request: Request) -> EvaluationError:
    return EvaluationError(
        "the graph above this node is too deep to evaluate (a chain of many thousands of nodes)",
        node=node.name, frame=request.frame, hint="split the chain, or precomp part of it to files",
    )
