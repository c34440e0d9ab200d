"""Node type declarations: a schema plus a pure compute function, and optional actions.

A node type is a class with class attributes (its schema) and a static `compute`. Nothing here
runs pixels: the engine reads the schema to hash and evaluate, the document reads it to validate
params and wire inputs, the UI reads it to draw ports and the properties panel.

Actions are work a user starts on a node rather than work a render pulls: training a model,
tracking features, exporting a LUT. A type declares them (`actions`) and runs them in
`run_action`; the engine runs them as jobs with progress and cancel (`nodecomp.engine.actions`),
the app as background jobs behind a button, the CLI with `nodecomp run-action`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from nodecomp.core.params import ParamSpec, label_from_name


class Device(StrEnum):
    """Where a node's compute can run."""

    CPU = "cpu"
    CUDA = "cuda"
    ANY = "any"


@dataclass(frozen=True)
class Input:
    """An image input. Optional inputs may stay unconnected (compute then gets None)."""

    name: str
    optional: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Action:
    """Work a user starts on a node (a button in the app), run by the type's `run_action`.

    Attributes:
        name: lower_snake identifier, stable (scripts and `nodecomp run-action` use it).
        label: the button's text; derived from `name` when empty.
        doc: what it does, for the button's tooltip and the generated docs.
    """

    name: str
    label: str = ""
    doc: str = ""

    @property
    def display_label(self) -> str:
        """The label shown to users."""
        return self.label or label_from_name(self.name)


@dataclass(frozen=True)
class Output:
    """An image output. v1 nodes have exactly one."""

    name: str = "result"
    doc: str = ""


class NodeType:
    """Base class of every node type; subclasses declare class attributes and `compute`.

    Attributes:
        type_id: namespaced id stored in documents (`"nodecomp.Grade"`); never rename, bump `version`.
        version: bump when the same params give different pixels; it is part of every cache key.
        category: menu family (`"Color"`, `"Merge"`, `"Filter"`...).
        inputs, outputs, params: the schema.
        device: where compute runs; the engine moves images to that device first.
        frame_dependent: True when compute reads `ctx.frame` itself (Read, Noise): the frame then
            enters the cache key. Animated params never need it: their value at the frame is hashed.
        cacheable: False for sinks with side effects (Write), which must run every time.
        volatile: True for non-deterministic nodes; their results are never shared from the cache.
        is_output: True for nodes a render targets (Write).
        actions: work a user starts on the node (buttons in the app), run by `run_action`.
        cache_salt: set by the plugin loader when a plugin is reloaded, so results of the old code
            never answer for the new one; empty for a first load (keys stay stable across runs).
        group_role: "group", "input" or "output" for the three node types that make sub-graphs
            (the document and the engine treat them specially); empty for every other type.
        name_stem: what new nodes are named after (`Input` makes Input1, Input2...); the short
            name when empty.
        supports_region: compute honours `ctx.request.region` (a region of interest in
            full-resolution pixels): given inputs limited to the regions `input_requests` asks
            for, its result is right on the region. Pointwise nodes need nothing more; spatial
            nodes grow the region they ask of their inputs (`request.grown`). The engine crops
            the result to the region. False (the default): the node is computed whole and its
            result cropped, which is always correct and saves nothing.
        supports_scale: compute works at a proxy scale 1/n: inputs arrive reduced, params
            declared `pixels=True` arrive multiplied by the scale (also in every hook and in
            the cache key), `ctx.format_box` is the reduced format, and the result's windows
            are at that scale (`Box.reduced`; `ctx.fit` reduces a full-resolution image).
            False (the default): the node is computed at full resolution and its result reduced.
    """

    type_id: ClassVar[str] = ""
    version: ClassVar[int] = 1
    category: ClassVar[str] = "Other"
    inputs: ClassVar[tuple[Input, ...]] = ()
    outputs: ClassVar[tuple[Output, ...]] = (Output(),)
    params: ClassVar[tuple[ParamSpec, ...]] = ()
    actions: ClassVar[tuple[Action, ...]] = ()
    device: ClassVar[Device] = Device.CPU
    frame_dependent: ClassVar[bool] = False
    cacheable: ClassVar[bool] = True
    volatile: ClassVar[bool] = False
    is_output: ClassVar[bool] = False
    cache_salt: ClassVar[str] = ""
    group_role: ClassVar[str] = ""
    name_stem: ClassVar[str] = ""
    supports_region: ClassVar[bool] = False
    supports_scale: ClassVar[bool] = False

    @classmethod
    def short_name(cls) -> str:
        """The name users type: the part of `type_id` after the last dot."""
        return cls.type_id.rsplit(".", 1)[-1]

    @classmethod
    def param_spec(cls, name: str) -> ParamSpec | None:
        """The declaration of param `name`, or None."""
        for spec in cls.params:
            if spec.name == name:
                return spec
        return None

    @classmethod
    def action(cls, name: str) -> Action | None:
        """The declaration of action `name`, or None."""
        for spec in cls.actions:
            if spec.name == name:
                return spec
        return None

    @classmethod
    def input_index(cls, name: str) -> int | None:
        """Position of input `name`, or None."""
        for index, spec in enumerate(cls.inputs):
            if spec.name == name:
                return index
        return None

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Name of the input this node forwards untouched with these params, else None.

        Checked before hashing: a pass-through node takes its input's hash and result, so an
        identity Grade costs nothing and keeps downstream cache entries valid.
        """
        return None

    @classmethod
    def region_of_definition(cls, ctx: Any, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Any:
        """The windows compute will return, found without computing pixels; None = unknown.

        `inputs` maps each input name to its `Region` (data and display window) or None. The
        engine uses this to draw windows and plan work before any pixel exists; an unknown
        region is found by computing. The default: a node with inputs, all of them known,
        returns the union of their data windows with the first input's display window (right
        for colour operations); a node without inputs is unknown.
        """
        regions = list(inputs.values())
        if not regions or any(region is None for region in regions):
            return None
        data = regions[0].data_window
        for region in regions[1:]:
            data = data.union(region.data_window)
        return type(regions[0])(data, regions[0].display_window)

    @classmethod
    def forward_input(cls, request: Any, params: Mapping[str, Any]) -> str | None:
        """The input forwarded untouched for `request`; by default `pass_through(params)`.

        Override it when the answer depends on the frame (an AppendClip forwards whichever clip
        covers the frame, a FrameRange only frames inside its range). The forwarded input is
        pulled with the request `input_requests` gives it, so a held frame keeps the upstream
        key of the frame it holds and everything downstream hits the cache across frames.
        When `input_requests` gives that input no request (None) or several, the node is
        computed instead.
        """
        return cls.pass_through(params)

    @classmethod
    def input_requests(cls, request: Any, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The request sent to each input for `request`; time nodes change the frame here.

        The default asks every input for the same request (same region and scale). Return None
        for an input this node will not read with these params (a Switch), so its hash and
        pixels are skipped. A spatial node that supports regions asks for more than it gives:
        `request.grown(radius)` for a blur, or `request.with_region(box)` for a warp. Return
        a tuple of requests to read one input several times (a frame blend reads two source
        frames): compute then receives a tuple of images for that input, in the same order
        (None when the input is optional and unconnected).
        """
        return {spec.name: request for spec in cls.inputs}

    @classmethod
    def param_frames(cls, request: Any, params: Mapping[str, Any]) -> tuple[float, ...]:
        """Other frames whose param values compute reads, through `ctx.params_at(frame)`.

        A Tracker compares its feature positions at the frame with those at a reference frame.
        The engine resolves the params at each listed frame and hashes them with the rest.
        """
        return ()

    @classmethod
    def fingerprint(cls, ctx: Any, params: Mapping[str, Any]) -> Any:
        """Extra cache-key parts for state outside params (file size and mtime, a model digest)."""
        return None

    @classmethod
    def output_files(cls, ctx: Any, params: Mapping[str, Any]) -> tuple[str, ...]:
        """Absolute paths of the files an output node writes for `ctx.frame`; () for other nodes.

        Read without computing anything, so a farm can skip frames already complete (resume)
        and check a rendered range for missing or empty files.
        """
        return ()

    @classmethod
    def run_action(cls, ctx: Any, action: str) -> str | None:
        """Run the declared action `action`; returns a one-line summary for the user (or None).

        `ctx` is an `ActionContext` (`nodecomp.engine.actions`): the node's params at the
        current frame, its inputs at any frame, progress reports (which raise CancelledError
        once the user cancels) and edits to the node's own params, which are applied to the
        document as one undo step when the action succeeds. Actions run on a snapshot of the
        document in a background thread: they never touch the live document or any UI.
        """
        raise NotImplementedError(f"{cls.type_id} declares no action {action!r}")

    @staticmethod
    def compute(ctx: Any, **kwargs: Any) -> Any:
        """Return the output image. Receives inputs (by input name) and resolved params."""
        raise NotImplementedError
