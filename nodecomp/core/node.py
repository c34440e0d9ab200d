"""A node in a document: its type, name, param states and input connections.

A `Node` is a handle owned by its `Document`; every edit made through it goes through the
document's commands, so it is undoable and announced to views.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nodecomp.core.errors import ParamError
from nodecomp.core.nodetype import Input, NodeType
from nodecomp.core.params import ParamSpec, ParamState

if TYPE_CHECKING:
    from nodecomp.core.document import Document


@dataclass(frozen=True)
class Published:
    """A param of a node inside a group, shown on the group under `name` (Nuke's linked knob).

    The group holds the value; the inner node reads it, so a grouped graph renders, and hashes,
    exactly as the same nodes did before grouping.
    """

    name: str
    node: Node
    param: str


class Node:
    """One node. Read params with `node["gain"]`, set them with `node["gain"] = (1, 1, 1, 1)`.

    A node whose type is not registered (a plugin is missing) is a placeholder: `node_type` is
    None, and its raw params and inputs are kept exactly so re-saving loses nothing.

    `parent` is the Group node this node lives in (None at the top level). A Group node's
    `published` lists the inner params it shows; its `node_type` is a per-node subclass of the
    registered Group type whose inputs and params follow its GroupInput nodes and published params.
    """

    def __init__(
        self,
        document: Document,
        type_id: str,
        name: str,
        node_type: type[NodeType] | None,
        *,
        node_id: str | None = None,
    ) -> None:
        self.document = document
        self.id = node_id or uuid.uuid4().hex
        self.type_id = type_id
        self.name = name
        self.node_type = node_type
        self.params: dict[str, ParamState] = {}
        self.inputs: dict[str, Node | None] = {}
        self.disabled = False
        self.ui: dict[str, Any] = {}
        self.raw_params: dict[str, Any] = {}
        self.raw_inputs: dict[str, str | None] = {}
        self.parent: Node | None = None
        self.published: list[Published] = []
        if node_type is not None:
            for spec in node_type.params:
                self.params[spec.name] = ParamState(spec.default)
            for input_spec in node_type.inputs:
                self.inputs[input_spec.name] = None

    @property
    def is_placeholder(self) -> bool:
        """True when the node's type is not loaded."""
        return self.node_type is None

    @property
    def type_name(self) -> str:
        """The short type name (`"Grade"`)."""
        return self.type_id.rsplit(".", 1)[-1]

    def spec(self, name: str) -> ParamSpec:
        """The declaration of param `name`; raises ParamError naming the node when unknown."""
        spec = self.node_type.param_spec(name) if self.node_type else None
        if spec is None:
            known = ", ".join(self.params) or "none"
            raise ParamError(f"no such param (known: {known})", node=self.name, param=name)
        return spec

    def input_specs(self) -> tuple[Input, ...]:
        """The declared inputs (placeholders: one per kept connection)."""
        if self.node_type is not None:
            return self.node_type.inputs
        return tuple(Input(name, optional=True) for name in self.raw_inputs)

    def input_name(self, input: int | str) -> str:
        """Normalise an input index or name to the name; raises ParamError when unknown."""
        specs = self.input_specs()
        if isinstance(input, int) and not isinstance(input, bool):
            if 0 <= input < len(specs):
                return specs[input].name
        elif isinstance(input, str) and any(spec.name == input for spec in specs):
            return input
        names = ", ".join(spec.name for spec in specs) or "none"
        raise ParamError(f"no input {input!r} (inputs: {names})", node=self.name)

    def input_node(self, input: int | str) -> Node | None:
        """The node connected to `input`, or None."""
        return self.inputs.get(self.input_name(input))

    def __getitem__(self, name: str) -> Any:
        """The param's value at the document's current frame (static value when not animated)."""
        self.spec(name)
        state = self.params[name]
        if not state.is_animated and self.parent is None:
            return state.value
        return self.document.param_value(self, name, self.document.current_frame)

    def __setitem__(self, name: str, value: Any) -> None:
        self.document.set_param(self, name, value)

    def value_at(self, name: str, frame: float) -> Any:
        """The param's value at `frame`, after keyframes and expressions."""
        return self.document.param_value(self, name, frame)

    def set_key(self, name: str, frame: float, value: Any, interp: str = "smooth") -> None:
        """Set a keyframe on every component of param `name` (undoable)."""
        self.document.set_key(self, name, frame, value, interp=interp)

    def set_expression(self, name: str, source: str | None, component: int | None = None) -> None:
        """Drive param `name` (or one component) with an expression; None removes it (undoable)."""
        self.document.set_expression(self, name, source, component=component)

    def values(self) -> Mapping[str, Any]:
        """Static values of every param (what `doc.add(**params)` would take)."""
        return {name: state.value for name, state in self.params.items()}

    def __repr__(self) -> str:
        return f"<Node {self.name} ({self.type_id})>"
