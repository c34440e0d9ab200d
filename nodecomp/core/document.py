"""The document: the single source of truth for a comp.

Nodes, connections, frame range, fps, format, colour settings and metadata live here. Every edit
is a command on the shared undo stack and emits an event; the UI's node graph is only a view.
"""

from __future__ import annotations

import copy
import math
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from nodecomp.core import expressions, groups
from nodecomp.core.commands import Command, UndoStack
from nodecomp.core.curves import Curve, Interp, Key
from nodecomp.core.errors import GraphError, ParamError
from nodecomp.core.events import DocumentEvents
from nodecomp.core.format import PRESETS, Format
from nodecomp.core.node import Node, Published
from nodecomp.core.nodetype import NodeType
from nodecomp.core.params import ParamState
from nodecomp.core.registry import NodeRegistry

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRAILING_DIGITS = re.compile(r"\d+$")

SETTINGS_DEFAULTS: dict[str, Any] = {
    "first_frame": 1,
    "last_frame": 100,
    "fps": 24.0,
    "format": PRESETS["HD_1080"],
    "ocio_config": "",  # empty: the OCIO env var, else the built-in studio config
    "working_space": "",  # empty: the config's scene_linear role
}

MAX_FRAME = 10**9
"""Largest frame number (either sign) a document accepts; anything beyond is a typo."""


class Document:
    """A comp: a graph of nodes plus the settings a render needs.

    Args:
        registry: the node types this document can create and evaluate.
        name: a label for metadata and the UI; defaults to the file stem once saved.
    """

    def __init__(self, registry: NodeRegistry, *, name: str = "untitled") -> None:
        self.registry = registry
        self.name = name
        self.path: str | None = None
        self.events = DocumentEvents()
        self.undo_stack = UndoStack()
        self.settings: dict[str, Any] = dict(SETTINGS_DEFAULTS)
        self.metadata: dict[str, Any] = {}
        self.current_frame: float = 1.0
        self._nodes: dict[str, Node] = {}  # by name, insertion ordered
        self._resolving = threading.local()
        self.load_problems: list[str] = []  # what `recover=True` loading had to drop
        self.scope: Node | None = None  # the Group new nodes go into (None: the top level)
        self.undo_stack.changed.connect(lambda: self.events.changed.emit())

    # ----------------------------------------------------------------- lookup
    @property
    def nodes(self) -> list[Node]:
        """Every node, in creation order."""
        return list(self._nodes.values())

    def __getitem__(self, name: str) -> Node:
        try:
            return self._nodes[name]
        except KeyError:
            raise GraphError(f"no node named {name!r} in the document") from None

    def __contains__(self, name: object) -> bool:
        return name in self._nodes

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def find(self, name: str) -> Node | None:
        """The node called `name`, or None."""
        return self._nodes.get(name)

    def node_by_id(self, node_id: str) -> Node | None:
        """The node with internal id `node_id` (used by views), or None."""
        return next((n for n in self._nodes.values() if n.id == node_id), None)

    def _own(self, node: Node | str) -> Node:
        if isinstance(node, str):
            return self[node]
        if self._nodes.get(node.name) is not node:
            raise GraphError(f"node {node.name} is not part of this document")
        return node

    # --------------------------------------------------------------- settings
    @property
    def frame_range(self) -> tuple[int, int]:
        """(first, last) frame, inclusive."""
        return int(self.settings["first_frame"]), int(self.settings["last_frame"])

    @frame_range.setter
    def frame_range(self, value: Sequence[int]) -> None:
        try:
            first, last = value
        except (TypeError, ValueError):
            raise ParamError(f"frame range must be (first, last), got {value!r}", param="frame_range") from None
        first, last = _whole_frame(first, "frame_range"), _whole_frame(last, "frame_range")
        if last < first:
            raise ParamError(f"frame range {first}-{last} ends before it starts", param="frame_range")
        with self.undo_stack.macro("Set frame range"):
            # order the two edits so the range never ends before it starts in between
            if first > self.frame_range[1]:
                self.set_setting("last_frame", last)
                self.set_setting("first_frame", first)
            else:
                self.set_setting("first_frame", first)
                self.set_setting("last_frame", last)

    @property
    def fps(self) -> float:
        """Frames per second."""
        return float(self.settings["fps"])

    @fps.setter
    def fps(self, value: float) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1000:
            raise ParamError(f"fps must be a number in (0, 1000], got {value!r}", param="fps")
        self.set_setting("fps", float(value))

    @property
    def format(self) -> Format:
        """The delivery format (display window of generated images)."""
        return self.settings["format"]

    @format.setter
    def format(self, value: Format | str) -> None:
        if isinstance(value, str):
            if value not in PRESETS:
                raise ParamError(f"unknown format {value!r} (known: {', '.join(PRESETS)})", param="format")
            value = PRESETS[value]
        self.set_setting("format", value)  # set_setting refuses anything but a Format

    def set_setting(self, key: str, value: Any) -> None:
        """Change one document setting (undoable)."""
        if key not in SETTINGS_DEFAULTS:
            raise ParamError(f"unknown document setting {key!r}", param=key)
        value = self._checked_setting(key, value)
        old = self.settings[key]
        if old == value:
            return

        def apply(v: Any) -> None:
            self.settings[key] = v
            self.events.settings_changed.emit(key)

        self.undo_stack.push(Command(f"Set {key}", lambda: apply(value), lambda: apply(old)))

    def _checked_setting(self, key: str, value: Any) -> Any:
        """`value` in the setting's stored type; ParamError when a save would not load back."""
        if key in ("first_frame", "last_frame"):
            value = _whole_frame(value, key)
            first, last = (value, self.frame_range[1]) if key == "first_frame" else (self.frame_range[0], value)
            if last < first:
                raise ParamError(f"frame range {first}-{last} ends before it starts", param=key)
            return value
        if key == "fps":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1000:
                raise ParamError(f"fps must be a number in (0, 1000], got {value!r}", param="fps")
            return float(value)
        if key == "format":
            if not isinstance(value, Format):
                raise ParamError(f"format must be a Format or a preset name, got {value!r}", param="format")
            return value
        if not isinstance(value, str):
            raise ParamError(f"{key} must be text, got {value!r}", param=key)
        return value

    # ------------------------------------------------------------------ edits
    def unique_name(self, base: str) -> str:
        """`base` + the lowest counter not in use (`Read1`, `Read2`...)."""
        stem = _TRAILING_DIGITS.sub("", base) or "Node"
        counter = 1
        while f"{stem}{counter}" in self._nodes:
            counter += 1
        return f"{stem}{counter}"

    def add(self, type_name: str, *inputs: Node | None, name: str | None = None, **params: Any) -> Node:
        """Create a node, wire `inputs` in declaration order and set `params` (one undo step).

        Args:
            type_name: short name (`"Grade"`) or type id (`"nodecomp.Grade"`).
            *inputs: nodes to connect to the inputs in order (None leaves one unconnected).
            name: unique node name; defaults to type name + counter (`Grade1`).
            **params: initial static param values.

        Returns:
            The new node.

        Raises:
            GraphError: unknown type, taken or invalid name, too many inputs.
            ParamError: unknown param or bad value.
        """
        node_type = self.registry.resolve(type_name)
        if len(inputs) > len(node_type.inputs):
            raise GraphError(
                f"{node_type.short_name()} takes {len(node_type.inputs)} inputs, {len(inputs)} given"
            )
        with self.undo_stack.macro(f"Add {node_type.short_name()}"):
            name = name or self.unique_name(node_type.name_stem or node_type.short_name())
            node = self.insert_node(node_type.type_id, node_type, name, parent=self.scope)
            for index, source in enumerate(inputs):
                if source is not None:
                    self.connect(source, node, input=index)
            for key, value in params.items():
                self.set_param(node, key, value)
        return node

    def insert_node(
        self,
        type_id: str,
        node_type: type[NodeType] | None,
        name: str,
        *,
        node_id: str | None = None,
        parent: Node | None = None,
    ) -> Node:
        """Add a bare node (used by `add`, file loading and paste) inside `parent`; undoable."""
        self._check_name(name)
        if parent is not None and groups.role(self._own(parent)) != "group":
            raise GraphError(f"{parent.name} is not a Group; nodes can only go inside groups")
        node = Node(self, type_id, name, node_type, node_id=node_id)
        node.parent = parent

        def do() -> None:
            self._nodes[node.name] = node
            self._group_inputs_changed(node)
            self.events.node_added.emit(node)

        def undo() -> None:
            del self._nodes[node.name]
            self._group_inputs_changed(node)
            self.events.node_removed.emit(node)

        self.undo_stack.push(Command(f"Add {name}", do, undo))
        return node

    def _group_inputs_changed(self, node: Node) -> None:
        """Rebuild the inputs of the group `node` is in when `node` is one of its GroupInputs."""
        if node.parent is not None and groups.role(node) == "input":
            groups.refresh_group_type(self, node.parent)

    def _check_name(self, name: str) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise GraphError(f"node name {name!r} must start with a letter and use letters, digits and _")
        if name in self._nodes:
            raise GraphError(f"a node named {name} already exists")

    def remove(self, node: Node | str, *, reconnect: bool = False) -> None:
        """Delete a node; downstream inputs it fed are disconnected, or fed its first input."""
        node = self._own(node)
        with self.undo_stack.macro(f"Delete {node.name}"):
            for child in reversed(groups.children(self, node)):  # a group goes with its contents
                self.remove(child)
            if node.parent is not None:
                for pub in [p for p in node.parent.published if p.node is node]:
                    groups.unpublish(self, node.parent, pub.name)
                if groups.role(node) == "input":
                    self._set_input(node.parent, node.name, None)
            upstream = next((n for n in node.inputs.values() if n is not None), None)
            for other in self.nodes:
                for input_name, source in list(other.inputs.items()):
                    if source is node:
                        self._set_input(other, input_name, upstream if reconnect else None)
            for input_name in list(node.inputs):
                self._set_input(node, input_name, None)

            position = 0

            def do() -> None:
                nonlocal position
                position = list(self._nodes).index(node.name)
                del self._nodes[node.name]
                self._group_inputs_changed(node)
                self.events.node_removed.emit(node)

            def undo() -> None:  # back in its place: node order is creation order and file order
                items = list(self._nodes.items())
                items.insert(position, (node.name, node))
                self._nodes = dict(items)
                self._group_inputs_changed(node)
                self.events.node_added.emit(node)

            self.undo_stack.push(Command(f"Delete {node.name}", do, undo))

    def rename(self, node: Node | str, new_name: str) -> None:
        """Rename a node and rewrite expressions that reference it (one undo step)."""
        node = self._own(node)
        old_name = node.name
        if new_name == old_name:
            return
        self._check_name(new_name)

        def apply(old: str, new: str) -> None:
            self._nodes = {(new if k == old else k): v for k, v in self._nodes.items()}
            node.name = new
            group = node.parent
            if group is not None and groups.role(node) == "input":  # the group's input follows its name
                group.inputs = {(new if k == old else k): v for k, v in group.inputs.items()}
                groups.refresh_group_type(self, group)
            self.events.node_renamed.emit(node, old)

        with self.undo_stack.macro(f"Rename {old_name} to {new_name}"):
            self.undo_stack.push(
                Command(f"Rename {old_name}", lambda: apply(old_name, new_name), lambda: apply(new_name, old_name))
            )
            for other in self.nodes:
                for param_name, state in other.params.items():
                    for component, source in state.expressions.items():
                        if old_name not in expressions.referenced_nodes(source):
                            continue
                        try:
                            rewritten = expressions.rename_references(source, old_name, new_name)
                        except ValueError:
                            raise GraphError(
                                f"cannot rename {old_name} to {new_name}: {other.name}.{param_name} refers to "
                                f"{old_name} and expressions cannot name a node {new_name!r}",
                                hint="pick a name that is not a keyword, function or constant",
                            ) from None
                        if rewritten != source:
                            self._set_state(other, param_name, state.with_expression(component, rewritten))
                            state = other.params[param_name]

    def connect(self, source: Node | str, target: Node | str, input: int | str = 0) -> None:
        """Feed `source`'s output into `target`'s input (by index or name); cycles are refused."""
        source, target = self._own(source), self._own(target)
        input_name = target.input_name(input)
        if source.node_type is not None and not source.node_type.outputs:
            raise GraphError(f"{source.name} has no output to connect to {target.name}.{input_name}")
        if source.parent is not target.parent:
            where = {None: "the top level"}
            raise GraphError(
                f"{source.name} ({where.get(source.parent, source.parent and source.parent.name)}) and "
                f"{target.name} ({where.get(target.parent, target.parent and target.parent.name)}) are in "
                "different groups; connect through the group's inputs and output"
            )
        if source is target or target in self.upstream(source):
            raise GraphError(
                f"connecting {source.name} into {target.name}.{input_name} would make a cycle "
                f"({target.name} already feeds {source.name})"
            )
        self._set_input(target, input_name, source)

    def disconnect(self, target: Node | str, input: int | str = 0) -> None:
        """Leave `target`'s input unconnected."""
        target = self._own(target)
        self._set_input(target, target.input_name(input), None)

    def _set_input(self, target: Node, input_name: str, source: Node | None) -> None:
        old = target.inputs.get(input_name)
        if old is source:
            return

        def apply(value: Node | None) -> None:
            target.inputs[input_name] = value
            if target.is_placeholder:
                target.raw_inputs[input_name] = value.name if value else None
            self.events.connection_changed.emit(target, input_name)

        label = f"Connect {source.name} to {target.name}" if source else f"Disconnect {target.name}"
        self.undo_stack.push(Command(label, lambda: apply(source), lambda: apply(old)))

    def set_disabled(self, node: Node | str, disabled: bool) -> None:
        """Bypass a node: it then passes its first input through (undoable)."""
        node = self._own(node)
        old = node.disabled
        if old == disabled:
            return

        def apply(value: bool) -> None:
            node.disabled = value
            self.events.node_changed.emit(node, "disabled")

        self.undo_stack.push(
            Command(f"{'Disable' if disabled else 'Enable'} {node.name}", lambda: apply(disabled), lambda: apply(old))
        )

    def set_ui(self, node: Node | str, key: str, value: Any) -> None:
        """Store view data (position, colour) on a node; undoable so moves can be undone."""
        node = self._own(node)
        old = node.ui.get(key)
        if old == value:
            return

        def apply(v: Any) -> None:
            if v is None:
                node.ui.pop(key, None)
            else:
                node.ui[key] = v
            self.events.node_changed.emit(node, key)

        self.undo_stack.push(Command(f"Change {node.name} {key}", lambda: apply(value), lambda: apply(old)))

    # ----------------------------------------------------------------- params
    def set_param(self, node: Node | str, name: str, value: Any) -> None:
        """Set a static value; on a keyed param this sets a key at the current frame."""
        node, name = self.param_holder(node, name)
        spec = node.spec(name)
        try:
            coerced = spec.coerce(value)
        except ValueError as exc:
            raise ParamError(str(exc), node=node.name, param=name) from None
        state = node.params[name]
        if state.curves:
            self.set_key(node, name, self.current_frame, coerced)
            return
        self._set_state(node, name, state.with_value(coerced))

    def set_param_state(self, node: Node | str, name: str, state: ParamState) -> None:
        """Replace a param's whole state (value, curves, expressions) in one undoable step.

        Used where a param is restored as a unit: pasting nodes keeps keys with their tangents,
        and "reset to default" drops animation and value together.
        """
        node, name = self.param_holder(node, name)
        spec = node.spec(name)
        try:
            coerced = spec.coerce(state.value)
        except ValueError as exc:
            raise ParamError(str(exc), node=node.name, param=name) from None
        if state.is_animated:
            self._components(node, name, None)  # raises for params that cannot be animated
            bad = [c for c in (*state.curves, *state.expressions) if not 0 <= c < spec.components]
            if bad:
                raise ParamError(f"component {bad[0]} out of range", node=node.name, param=name)
        self._set_state(node, name, state.with_value(coerced))

    def param_holder(self, node: Node | str, name: str) -> tuple[Node, str]:
        """The node and param that hold `node.name`'s value: its group's, when it is published."""
        node = self._own(node)
        link = groups.linked(node, name)
        while link is not None:
            node, name = link
            link = groups.linked(node, name)
        return node, name

    def param_state(self, node: Node | str, name: str) -> ParamState:
        """The stored state (value, keys, expressions) behind `node.name`, following publishing."""
        holder, param = self.param_holder(node, name)
        return holder.params[param]

    def _set_state(self, node: Node, name: str, state: ParamState) -> None:
        old = node.params[name]
        if old == state:
            return

        def apply(value: ParamState) -> None:
            node.params[name] = value
            self.events.param_changed.emit(node, name)

        self.undo_stack.push(Command(f"Set {node.name}.{name}", lambda: apply(state), lambda: apply(old)))

    def _components(self, node: Node, name: str, component: int | None) -> list[int]:
        spec = node.spec(name)
        if not spec.animatable:
            raise ParamError("this param cannot be animated", node=node.name, param=name)
        if component is None:
            return list(range(spec.components))
        if not 0 <= component < spec.components:
            raise ParamError(f"component {component} out of range", node=node.name, param=name)
        return [component]

    def set_key(
        self,
        node: Node | str,
        name: str,
        frame: float,
        value: Any,
        *,
        interp: str = "smooth",
        component: int | None = None,
    ) -> None:
        """Set a keyframe (on every component, or one); the value is checked like a static one."""
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        spec = node.spec(name)
        state = node.params[name]
        try:
            interp_value = Interp(interp)
            if isinstance(frame, bool) or not isinstance(frame, int | float) or not math.isfinite(frame):
                raise ValueError(f"key frame must be a finite number, got {frame!r}")
            if component is None:
                values = spec.coerce(value)
            else:
                values = _component_value(spec, state, component, value)
            values = values if isinstance(values, tuple) else (values,)
            keys = [Key(float(frame), float(v), interp_value) for v in values]
        except (ValueError, OverflowError) as exc:
            raise ParamError(str(exc), node=node.name, param=name, frame=frame) from None
        for comp, key in zip(components, keys, strict=True):
            state = state.with_curve(comp, state.curves.get(comp, Curve()).set_key(key))
        self._set_state(node, name, state)

    def remove_key(self, node: Node | str, name: str, frame: float, *, component: int | None = None) -> None:
        """Remove the keyframe at `frame`; the last key removed leaves the value it had there."""
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        held = self.param_value(node, name, frame)
        state = node.params[name]
        for comp in components:
            if comp in state.curves:
                state = state.with_curve(comp, state.curves[comp].remove_key(float(frame)))
                if comp not in state.curves:  # its last key went: hold the value it had there
                    if isinstance(state.value, tuple):
                        whole = list(state.value)
                        whole[comp] = held[comp]
                        state = state.with_value(tuple(whole))
                    else:
                        state = state.with_value(held)
        self._set_state(node, name, state)

    def keys_moved(
        self,
        node: Node | str,
        name: str,
        moves: Mapping[float, float],
        *,
        component: int | None = None,
        values: Mapping[float, float] | None = None,
        state: ParamState | None = None,
    ) -> ParamState:
        """The param's state with keys moved, checked like `move_keys`, without editing anything.

        `state` is where to start from (default: the stored state); a drag in the app starts
        every step from the state it had when the drag began, so keys it passes over come back.
        """
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        spec = node.spec(name)
        state = node.params[name] if state is None else state
        values = dict(values or {})
        if values and len(components) > 1:
            raise ParamError("moving key values needs a component", node=node.name, param=name)
        found: set[float] = set()
        try:
            if set(values) - set(moves):
                raise ValueError("key values given for keys that are not moved")
            for new_frame in moves.values():
                _check_key_frame(new_frame)
            for comp in components:
                curve = state.curves.get(comp)
                if curve is None:
                    continue
                here = {}
                for frame, new_frame in moves.items():
                    key = curve.key_at(float(frame))
                    if key is None:
                        continue
                    found.add(frame)
                    value = key.value
                    if frame in values:
                        value = float(_component_value(spec, state, comp, values[frame]))
                    here[float(frame)] = (float(new_frame), value)
                state = state.with_curve(comp, curve.move_keys(here))
            missing = [f for f in moves if f not in found]
            if missing:
                raise ValueError(f"no key at frame {float(missing[0]):g}")
        except ValueError as exc:
            raise ParamError(str(exc), node=node.name, param=name) from None
        return state

    def move_keys(
        self,
        node: Node | str,
        name: str,
        moves: Mapping[float, float],
        *,
        component: int | None = None,
        values: Mapping[float, float] | None = None,
    ) -> None:
        """Move keys in time, `{old_frame: new_frame}`, on every component (or one); undoable.

        The keys move as a group and keep their interpolation; a moved key landing on a key
        that is not moved replaces it. `values` (`{old_frame: new_value}`, needs a component on
        vectors) also sets the moved keys' values, checked like `set_key`.

        Raises:
            ParamError: a frame with no key, two keys landing on one frame, a bad frame or value.
        """
        node, name = self.param_holder(node, name)
        self._set_state(node, name, self.keys_moved(node, name, moves, component=component, values=values))

    def set_key_interp(
        self, node: Node | str, name: str, frames: Iterable[float], interp: str, *, component: int | None = None
    ) -> None:
        """Change how the segments leaving the keys at `frames` are interpolated; undoable.

        Raises:
            ParamError: an unknown interpolation, or a frame with no key on those components.
        """
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        state = node.params[name]
        frames = [float(f) for f in frames]
        try:
            interp_value = Interp(interp)
            found: set[float] = set()
            for comp in components:
                curve = state.curves.get(comp)
                if curve is None:
                    continue
                here = [f for f in frames if curve.key_at(f) is not None]
                found.update(here)
                state = state.with_curve(comp, curve.with_interp(here, interp_value))
            missing = [f for f in frames if f not in found]
            if missing:
                raise ValueError(f"no key at frame {missing[0]:g}")
        except ValueError as exc:
            raise ParamError(str(exc), node=node.name, param=name) from None
        self._set_state(node, name, state)

    def set_key_slopes(
        self,
        node: Node | str,
        name: str,
        frame: float,
        in_slope: float | None,
        out_slope: float | None,
        *,
        component: int | None = None,
    ) -> None:
        """Set the tangents of the key at `frame` (value per frame; None: automatic); undoable.

        `out_slope` shapes the segment leaving the key when it is cubic, `in_slope` the segment
        arriving when the previous key is cubic; other interpolations keep them but ignore them.

        Raises:
            ParamError: no key at `frame` on those components, or a slope that is not finite.
        """
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        state = node.params[name]
        try:
            found = False
            for comp in components:
                curve = state.curves.get(comp)
                if curve is not None and curve.key_at(float(frame)) is not None:
                    found = True
                    state = state.with_curve(comp, curve.with_slopes(float(frame), in_slope, out_slope))
            if not found:
                raise ValueError(f"no key at frame {float(frame):g}")
        except (TypeError, ValueError) as exc:
            raise ParamError(str(exc), node=node.name, param=name, frame=frame) from None
        self._set_state(node, name, state)

    def set_expression(
        self, node: Node | str, name: str, source: str | None, *, component: int | None = None
    ) -> None:
        """Drive a param (every component, or one) by an expression; None or '' removes it."""
        node, name = self.param_holder(node, name)
        components = self._components(node, name, component)
        state = node.params[name]
        for comp in components:
            state = state.with_expression(comp, source)
        with self.undo_stack.macro(f"Set {node.name}.{name} expression"):
            self._set_state(node, name, state)
            if source:  # a failing expression raises here and the macro reverts the edit
                self.param_value(node, name, self.current_frame)

    def param_value(self, node: Node | str, name: str, frame: float) -> Any:
        """Value of one param at `frame`: static value, overridden per component by curves/expressions."""
        node, name = self.param_holder(node, name)
        spec = node.spec(name)
        state = node.params[name]
        if not state.is_animated:
            return state.value
        key = (node.name, name)
        stack: list[tuple[str, str]] = getattr(self._resolving, "stack", None) or []
        if key in stack:
            chain = " -> ".join(f"{n}.{p}" for n, p in [*stack, key])
            raise ParamError(f"expression cycle: {chain}", node=node.name, param=name, frame=frame)
        self._resolving.stack = [*stack, key]
        try:
            components = list(state.value) if isinstance(state.value, tuple) else [state.value]
            for comp in range(len(components)):
                if comp in state.expressions:
                    components[comp] = expressions.evaluate(
                        state.expressions[comp],
                        frame=frame,
                        lookup=lambda other, param, f=frame: self._lookup(other, param, f),
                        node=node.name,
                        param=name,
                    )
                elif comp in state.curves:
                    components[comp] = state.curves[comp].value_at(frame)
            value: Any = tuple(components) if isinstance(state.value, tuple) else components[0]
            try:
                return spec.coerce(value)
            except ValueError as exc:
                raise ParamError(str(exc), node=node.name, param=name, frame=frame) from None
        finally:
            self._resolving.stack = stack

    def _lookup(self, node_name: str, param: str, frame: float) -> Any:
        if node_name == "root":
            return self._root_value(param)
        other = self.find(node_name)
        if other is None:
            raise ParamError(f"expression refers to unknown node {node_name!r}")
        return self.param_value(other, param, frame)

    def _root_value(self, key: str) -> Any:
        values = {
            "first_frame": self.frame_range[0],
            "last_frame": self.frame_range[1],
            "fps": self.fps,
            "width": self.format.width,
            "height": self.format.height,
        }
        if key not in values:
            raise ParamError(f"root has no value {key!r} (known: {', '.join(values)})")
        return values[key]

    def resolve_params(self, node: Node | str, frame: float) -> dict[str, Any]:
        """Every param of `node` at `frame`, as compute receives them."""
        node = self._own(node)
        return {name: self.param_value(node, name, frame) for name in node.params}

    # ------------------------------------------------------------------ graph
    def upstream(self, node: Node | str) -> list[Node]:
        """`node` and everything feeding it, inputs before the nodes they feed."""
        node = self._own(node)
        order: list[Node] = []
        seen: set[str] = set()

        def visit(current: Node) -> None:
            if current.id in seen:
                return
            seen.add(current.id)
            for source in current.inputs.values():
                if source is not None:
                    visit(source)
            order.append(current)

        visit(node)
        return order

    def downstream(self, node: Node | str) -> list[Node]:
        """Nodes fed, directly or not, by `node` (not including it)."""
        node = self._own(node)
        result: list[Node] = []
        frontier = [node]
        while frontier:
            current = frontier.pop()
            for other in self._nodes.values():
                if other not in result and current in other.inputs.values():
                    result.append(other)
                    frontier.append(other)
        return result

    # ----------------------------------------------------------------- groups
    def children(self, group: Node | str | None = None) -> list[Node]:
        """Nodes directly inside `group` (None: the top level), in creation order."""
        return groups.children(self, self._own(group) if group is not None else None)

    @contextmanager
    def inside(self, group: Node | str | None) -> Iterator[Node | None]:
        """Create nodes inside `group` while the block runs (`with doc.inside(g): doc.add(...)`)."""
        group = self._own(group) if group is not None else None
        if group is not None and groups.role(group) != "group":
            raise GraphError(f"{group.name} is not a Group")
        previous, self.scope = self.scope, group
        try:
            yield group
        finally:
            self.scope = previous

    def group(self, nodes: Sequence[Node | str], *, name: str | None = None) -> Node:
        """Move `nodes` into a new Group wired in their place; returns it (one undo step)."""
        return groups.collapse(self, [self._own(n) for n in nodes], name)

    def ungroup(self, group: Node | str) -> list[Node]:
        """Put a group's nodes back in its place and delete it; returns those nodes (one undo step)."""
        return groups.expand(self, self._own(group))

    def publish(self, group: Node | str, node: Node | str, param: str, name: str | None = None) -> str:
        """Show `node.param` on `group` (as `name`); returns the name used (undoable)."""
        return groups.publish(self, self._own(group), self._own(node), param, name)

    def unpublish(self, group: Node | str, name: str) -> None:
        """Stop showing `name` on `group`; the inner param keeps the group's value (undoable)."""
        groups.unpublish(self, self._own(group), name)

    def outputs(self) -> list[Node]:
        """Nodes a render can target (Write nodes), in creation order."""
        return [n for n in self._nodes.values() if n.node_type is not None and n.node_type.is_output]

    # ------------------------------------------------------------------- undo
    def undo(self) -> str | None:
        """Undo the last edit; returns its label."""
        return self.undo_stack.undo()

    def redo(self) -> str | None:
        """Redo the last undone edit; returns its label."""
        return self.undo_stack.redo()

    @contextmanager
    def macro(self, label: str) -> Iterator[None]:
        """Group edits into one undo step."""
        with self.undo_stack.macro(label):
            yield

    @property
    def modified(self) -> bool:
        """True when there are edits since the last save or load."""
        return not self.undo_stack.is_clean

    # ---------------------------------------------------------------- storage
    def to_dict(self) -> dict[str, Any]:
        """The document as `.ncomp` JSON data."""
        from nodecomp.core.fileformat import document_to_dict

        return document_to_dict(self)

    def save(self, path: str | None = None) -> str:
        """Write the document atomically; returns the path written."""
        from nodecomp.core.fileformat import save_document

        return save_document(self, path)

    def copy(self) -> Document:
        """An independent copy with the same registry (a render's snapshot); no history.

        Built node by node rather than through the file format: the viewer, the cache line and
        every render take one per edit, and re-validating a whole comp (cycle checks included)
        grew with the square of its size. Param states are immutable, so they are shared; nodes
        keep their ids, so a snapshot's nodes can be matched with the live ones.
        """
        clone = Document(self.registry, name=self.name)
        clone.path, clone.current_frame = self.path, self.current_frame
        clone.settings = dict(self.settings)
        clone.metadata = copy.deepcopy(self.metadata)
        clone.load_problems = list(self.load_problems)
        twins: dict[str, Node] = {}
        for node in self._nodes.values():
            twin = Node(clone, node.type_id, node.name, node.node_type, node_id=node.id)
            twin.params = dict(node.params)
            twin.disabled = node.disabled
            twin.ui = copy.deepcopy(node.ui)
            twin.raw_params = copy.deepcopy(node.raw_params)
            twin.raw_inputs = dict(node.raw_inputs)
            twins[node.id] = twin
        for node in self._nodes.values():
            twin = twins[node.id]
            twin.inputs = {name: (twins[src.id] if src is not None else None) for name, src in node.inputs.items()}
            twin.parent = twins[node.parent.id] if node.parent is not None else None
            twin.published = [Published(p.name, twins[p.node.id], p.param) for p in node.published]
        clone._nodes = {name: twins[node.id] for name, node in self._nodes.items()}
        return clone


def _component_value(spec: Any, state: ParamState, component: int, value: Any) -> Any:
    """One component's value, checked like the whole value (bounds, type); ValueError when bad."""
    if isinstance(state.value, tuple):
        whole = list(state.value)
        whole[component] = value
        return spec.coerce(tuple(whole))[component]
    return spec.coerce(value)


def _check_key_frame(frame: Any) -> None:
    """ValueError unless `frame` is a finite number within +/-MAX_FRAME."""
    if isinstance(frame, bool) or not isinstance(frame, int | float) or not math.isfinite(frame) \
            or abs(frame) > MAX_FRAME:
        raise ValueError(f"key frame must be a finite number within +/-{MAX_FRAME}, got {frame!r}")


def _whole_frame(value: Any, param: str) -> int:
    """A frame number from an int or an integral float; ParamError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"frame {value!r} is not a whole number", param=param)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ParamError(f"frame {value!r} is not a whole number", param=param)
    if abs(value) > MAX_FRAME:
        raise ParamError(f"frame {value!r} is beyond +/-{MAX_FRAME}", param=param)
    return int(value)
