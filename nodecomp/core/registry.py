"""The set of node types a document and an engine know, validated when registered."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator

from nodecomp.core.errors import GraphError, PluginError
from nodecomp.core.nodetype import Action, Device, NodeType
from nodecomp.core.params import Float, Int, ParamSpec, Vec2, Vec3

_TYPE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def schema_problems(node_type: type[NodeType]) -> list[str]:
    """Every problem in a node type's declaration, so a plugin author sees them all at once."""
    problems: list[str] = []
    if not _TYPE_ID.match(node_type.type_id or ""):
        problems.append(f"type_id {node_type.type_id!r} must look like 'plugin.Name'")
    if not isinstance(node_type.version, int) or node_type.version < 1:
        problems.append(f"version must be a positive integer, got {node_type.version!r}")
    if not isinstance(node_type.device, Device):
        problems.append(f"device must be a Device, got {node_type.device!r}")
    names: set[str] = set()
    for spec in node_type.inputs:
        if not _IDENT.match(spec.name):
            problems.append(f"input name {spec.name!r} must be lower_snake")
        if spec.name in names:
            problems.append(f"input {spec.name!r} is declared twice")
        names.add(spec.name)
    for spec in node_type.params:
        if not isinstance(spec, ParamSpec):
            problems.append(f"param {spec!r} is not a ParamSpec")
            continue
        if not _IDENT.match(spec.name):
            problems.append(f"param name {spec.name!r} must be lower_snake")
        if spec.name in names:
            problems.append(f"param {spec.name!r} clashes with another input or param")
        names.add(spec.name)
        try:
            spec.coerce(spec.default)
        except ValueError as exc:
            problems.append(f"param {spec.name!r} default is invalid: {exc}")
        if spec.pixels and not isinstance(spec, Float | Int | Vec2 | Vec3):
            problems.append(f"param {spec.name!r} is a {spec.kind}; only float, int, vec2 and vec3 can be in pixels")
    for flag in ("supports_region", "supports_scale"):
        if not isinstance(getattr(node_type, flag), bool):
            problems.append(f"{flag} must be True or False, got {getattr(node_type, flag)!r}")
    problems.extend(_action_problems(node_type))
    if node_type.compute is NodeType.compute:
        problems.append("compute is not implemented")
    else:
        signature = inspect.signature(node_type.compute)
        accepts_kwargs = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
        if not accepts_kwargs:
            missing = names - set(signature.parameters)
            if missing:
                problems.append(f"compute does not accept {', '.join(sorted(missing))}")
    return problems


def _action_problems(node_type: type[NodeType]) -> list[str]:
    problems: list[str] = []
    names: set[str] = set()
    for spec in node_type.actions:
        if not isinstance(spec, Action):
            problems.append(f"action {spec!r} is not an Action")
            continue
        if not _IDENT.match(spec.name):
            problems.append(f"action name {spec.name!r} must be lower_snake")
        if spec.name in names:
            problems.append(f"action {spec.name!r} is declared twice")
        names.add(spec.name)
    if node_type.actions and node_type.run_action.__func__ is NodeType.run_action.__func__:  # type: ignore[attr-defined]
        problems.append("actions are declared but run_action is not implemented")
    return problems


class NodeRegistry:
    """Node types by type id, with short names (`"Grade"`) as aliases while they are unique."""

    def __init__(self, node_types: Iterable[type[NodeType]] = ()) -> None:
        self._types: dict[str, type[NodeType]] = {}
        self._owners: dict[str, str] = {}
        for node_type in node_types:
            self.register(node_type)

    def register(self, node_type: type[NodeType], *, plugin: str = "nodecomp") -> None:
        """Add a node type; raises PluginError listing every schema problem or a duplicate id."""
        problems = schema_problems(node_type)
        existing = self._types.get(node_type.type_id)
        if existing is not None and existing is not node_type:
            problems.append(
                f"type id {node_type.type_id!r} is already registered by {self._owners[node_type.type_id]}"
            )
        if problems:
            raise PluginError(
                f"node type {node_type.__name__} is invalid: " + "; ".join(problems), plugin=plugin
            )
        self._types[node_type.type_id] = node_type
        self._owners[node_type.type_id] = plugin

    def unregister(self, type_id: str) -> None:
        """Remove a node type (plugin reload)."""
        self._types.pop(type_id, None)
        self._owners.pop(type_id, None)

    def get(self, name: str) -> type[NodeType] | None:
        """Look up by type id, or by short name when exactly one type has it."""
        if name in self._types:
            return self._types[name]
        matches = [t for t in self._types.values() if t.short_name() == name]
        return matches[0] if len(matches) == 1 else None

    def resolve(self, name: str) -> type[NodeType]:
        """Like `get`, but raises a GraphError that says what went wrong."""
        found = self.get(name)
        if found is not None:
            return found
        matches = sorted(t.type_id for t in self._types.values() if t.short_name() == name)
        if matches:
            raise GraphError(f"node type {name!r} is ambiguous; use one of {', '.join(matches)}")
        raise GraphError(f"unknown node type {name!r}", hint="nodecomp plugins list shows what is loaded")

    def owner(self, type_id: str) -> str | None:
        """The plugin that registered `type_id`."""
        return self._owners.get(type_id)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[type[NodeType]]:
        return iter(sorted(self._types.values(), key=lambda t: t.type_id))

    def __len__(self) -> int:
        return len(self._types)
