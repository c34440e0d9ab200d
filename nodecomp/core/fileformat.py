"""The `.ncomp` file format: JSON, versioned, validated, migrated, saved atomically.

Layout (format_version 1)::

    {"format_version": 1, "generator": "nodecomp 0.1.0", "name": "shot",
     "settings": {"first_frame": 1, "last_frame": 24, "fps": 24.0,
                  "format": {"width": 1920, "height": 1080, "pixel_aspect": 1.0, "name": "HD_1080"},
                  "ocio_config": "", "working_space": ""},
     "metadata": {},
     "nodes": [{"name": "Grade1", "type": "nodecomp.Grade", "type_version": 1,
                "inputs": {"source": "Read1"},
                "params": {"multiply": 1.2,
                           "gamma": {"value": 1.0, "curves": {"0": {"keys": [...]}},
                                     "expressions": {"0": "1 + frame/100"}}},
                "disabled": false, "ui": {"pos": [0, 0]}}]}

A node inside a group names it in `"parent"`; a Group lists its published params as
`"published": [{"name": "size", "node": "Blur1", "param": "size"}]` and its own `"params"` hold
their values. Group inputs are not stored: they follow the GroupInput nodes inside.

Params equal to their default are not written, so files stay short and diffs readable.
Node types that are not loaded become placeholders that keep their params and inputs verbatim.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
from collections.abc import Callable
from typing import Any

from nodecomp.core import groups
from nodecomp.core.curves import Curve
from nodecomp.core.document import MAX_FRAME, SETTINGS_DEFAULTS, Document
from nodecomp.core.errors import DocumentError, GraphError, NodecompError
from nodecomp.core.format import Format
from nodecomp.core.node import Node, Published
from nodecomp.core.params import ParamState
from nodecomp.core.registry import NodeRegistry

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
GENERATOR = "nodecomp 0.1.0"

# format_version N -> a function that turns an N document into an N+1 document.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


# ------------------------------------------------------------------ writing
def _param_to_json(node: Node, name: str, state: ParamState) -> Any:
    spec = node.spec(name)
    value = spec.to_json(state.value)
    if not state.is_animated:
        return value
    data: dict[str, Any] = {"value": value}
    if state.curves:
        data["curves"] = {str(c): curve.to_dict() for c, curve in sorted(state.curves.items())}
    if state.expressions:
        data["expressions"] = {str(c): src for c, src in sorted(state.expressions.items())}
    return data


def node_to_dict(node: Node) -> dict[str, Any]:
    """One node as JSON data (placeholders are written back exactly as they were read)."""
    params: dict[str, Any] = {}
    if node.node_type is not None:
        for name, state in node.params.items():
            if state.is_animated or state.value != node.spec(name).default:
                params[name] = _param_to_json(node, name, state)
    params.update(node.raw_params)
    if node.node_type is not None:
        inputs = {k: (v.name if v is not None else None) for k, v in node.inputs.items() if v is not None}
    else:  # kept verbatim, except that a live connection follows its source's renames
        live = {k: v.name for k, v in node.inputs.items() if v is not None}
        inputs = {k: live.get(k, v) for k, v in node.raw_inputs.items() if v is not None}
    data: dict[str, Any] = {"name": node.name, "type": node.type_id}
    data["type_version"] = node.node_type.version if node.node_type else node.ui.get("_type_version", 1)
    data["inputs"] = inputs
    data["params"] = params
    if node.disabled:
        data["disabled"] = True
    if node.parent is not None:
        data["parent"] = node.parent.name
    if node.published:
        data["published"] = [{"name": p.name, "node": p.node.name, "param": p.param} for p in node.published]
    ui = {k: v for k, v in node.ui.items() if not k.startswith("_")}
    if ui:
        data["ui"] = ui
    return data


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The whole document as JSON data."""
    settings = dict(doc.settings)
    settings["format"] = doc.format.to_dict()
    return {
        "format_version": FORMAT_VERSION,
        "generator": GENERATOR,
        "name": doc.name,
        "settings": settings,
        "metadata": doc.metadata,
        "nodes": [node_to_dict(node) for node in doc.nodes],
    }


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` so readers see the old file or the new one, never a torn one."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def dumps(doc: Document) -> str:
    """The document as `.ncomp` text (sorted, indented: diff-friendly)."""
    return json.dumps(document_to_dict(doc), indent=2, sort_keys=False, allow_nan=False) + "\n"


def save_document(doc: Document, path: str | None = None) -> str:
    """Save atomically to `path` (or the document's own path) and mark the history clean."""
    target = path or doc.path
    if not target:
        raise DocumentError("the document has no file name yet; give a path to save to")
    try:
        write_atomically(target, dumps(doc))
    except (OSError, ValueError, TypeError, RecursionError) as exc:
        raise DocumentError(f"could not save: {exc}", path=target) from exc
    doc.path = target
    if doc.name in ("", "untitled"):
        doc.name = os.path.splitext(os.path.basename(target))[0]
    doc.undo_stack.set_clean()
    return target


# ------------------------------------------------------------------ reading
def _expect(value: Any, kind: type | tuple[type, ...], field: str, what: str) -> Any:
    if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else ()):
        raise DocumentError(f"expected {what}, got {value!r}", field=field)
    if not isinstance(value, kind):
        raise DocumentError(f"expected {what}, got {type(value).__name__} {_short(value)}", field=field)
    return value


def _float(value: int | float) -> float:
    """`value` as a float; ints too large for one become inf (then refused as out of range)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_CURVE_FIELD = re.compile(r"(\.keys(?:\[\d+\](?:\.(?:frame|value|interp|in_slope|out_slope))?)?)?: ")


def _join(field: str, key: Any) -> str:
    """`field.key`, or `field['odd key']` so a path with any key stays one unambiguous line."""
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return f"{field}.{key}"
    return f"{field}[{_short(key)}]"


def _split_curve_error(text: str, curve_path: str) -> tuple[str, str]:
    """Split a `Curve.from_dict` message (`"<path>: <reason>"`) into a field and a one-line reason."""
    match = _CURVE_FIELD.match(text, len(curve_path)) if text.startswith(curve_path) else None
    if match:
        return curve_path + (match.group(1) or ""), text[match.end() :]
    unknown = ": unknown field"
    if text.startswith(curve_path) and text.endswith(unknown):  # the field's name may be anything
        return _one_line(text[: -len(unknown)]), unknown[2:]
    return curve_path, _one_line(text)


def _one_line(text: str) -> str:
    return "\\n".join(text.splitlines())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def migrate(data: dict[str, Any], source: str | None = None) -> dict[str, Any]:
    """Bring data of any older format_version up to FORMAT_VERSION."""
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(f"format_version must be an integer, got {_short(version)}", path=source,
                            field="format_version")
    if version > FORMAT_VERSION:
        raise DocumentError(
            f"written by a newer nodecomp (format {version}, this one reads up to {FORMAT_VERSION})",
            path=source, field="format_version",
        )
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DocumentError(f"no migration from format {version}", path=source, field="format_version")
        data = step(data)
        version += 1
        data["format_version"] = version
    return data


def _read_settings(raw: Any, field: str) -> dict[str, Any]:
    _expect(raw, dict, field, "an object")
    settings = dict(SETTINGS_DEFAULTS)
    for key, value in raw.items():
        where = _join(field, key)
        if key not in SETTINGS_DEFAULTS:
            log.warning("%s: unknown setting ignored", where)
            continue
        if key in ("first_frame", "last_frame"):
            settings[key] = _expect(value, int, where, "an integer frame")
            if abs(value) > MAX_FRAME:
                raise DocumentError(f"frame {_short(value)} is beyond +/-{MAX_FRAME}", field=where)
        elif key == "fps":
            number = _float(_expect(value, (int, float), where, "a number"))
            if not (math.isfinite(number) and 0 < number <= 1000):
                raise DocumentError(f"fps {_short(value)} is out of range", field=where)
            settings[key] = number
        elif key == "format":
            _expect(value, dict, where, "an object")
            try:
                settings[key] = Format(
                    _expect(value.get("width"), int, f"{where}.width", "an integer"),
                    _expect(value.get("height"), int, f"{where}.height", "an integer"),
                    _float(_expect(value.get("pixel_aspect", 1.0), (int, float), f"{where}.pixel_aspect", "a number")),
                    str(_expect(value.get("name", ""), str, f"{where}.name", "text")),
                )
            except ValueError as exc:
                raise DocumentError(str(exc), field=where) from None
        else:
            settings[key] = _expect(value, str, where, "text")
    if settings["last_frame"] < settings["first_frame"]:
        raise DocumentError("last_frame is before first_frame", field=f"{field}.last_frame")
    return settings


def _read_param(node: Node, name: str, raw: Any, field: str) -> ParamState:
    spec = node.spec(name)
    animated = isinstance(raw, dict)
    value = raw.get("value", spec.to_json(spec.default)) if animated else raw
    try:
        coerced = spec.coerce(tuple(value) if isinstance(value, list) else value)
    except ValueError as exc:
        raise DocumentError(str(exc), field=field + (".value" if animated else "")) from None
    state = ParamState(coerced)
    if not animated:
        return state
    for key in raw:
        if key not in ("value", "curves", "expressions"):
            raise DocumentError(f"unknown key {_short(key)}", field=_join(field, key))
    if (raw.get("curves") or raw.get("expressions")) and not spec.animatable:
        raise DocumentError("this param cannot be animated", field=field)
    for comp_key, curve_data in _expect(raw.get("curves", {}), dict, f"{field}.curves", "an object").items():
        comp = _component(comp_key, spec.components, f"{field}.curves")
        try:
            curve = Curve.from_dict(curve_data, path=f"{field}.curves.{comp_key}")
        except ValueError as exc:  # the message starts with the JSON path of the bad field
            where, reason = _split_curve_error(str(exc), f"{field}.curves.{comp_key}")
            raise DocumentError(reason, field=where) from None
        state = state.with_curve(comp, curve)
    for comp_key, source in _expect(raw.get("expressions", {}), dict, f"{field}.expressions", "an object").items():
        comp = _component(comp_key, spec.components, f"{field}.expressions")
        state = state.with_expression(comp, _expect(source, str, f"{field}.expressions.{comp_key}", "text"))
    return state


def _component(key: str, count: int, field: str) -> int:
    if key not in {str(index) for index in range(count)}:  # exactly "0", "1"...: no "01", no "²"
        raise DocumentError(f"component {_short(key)} is not in 0..{count - 1}", field=field)
    return int(key)


def _read_node(doc: Document, raw: Any, field: str) -> tuple[Node, dict[str, Any]]:
    _expect(raw, dict, field, "an object")
    name = _expect(raw.get("name"), str, f"{field}.name", "a node name")
    type_id = _expect(raw.get("type"), str, f"{field}.type", "a node type id")
    type_version = _expect(raw.get("type_version", 1), int, f"{field}.type_version", "an integer")
    inputs = _expect(raw.get("inputs", {}), dict, f"{field}.inputs", "an object")
    params = _expect(raw.get("params", {}), dict, f"{field}.params", "an object")
    disabled = _expect(raw.get("disabled", False), bool, f"{field}.disabled", "true or false")
    ui = _expect(raw.get("ui", {}), dict, f"{field}.ui", "an object")
    for key, source in inputs.items():
        _expect(key, str, f"{field}.inputs", "input names")
        if source is not None:
            _expect(source, str, _join(f"{field}.inputs", key), "a node name or null")
    node_type = doc.registry.get(type_id)
    if node_type is not None and node_type.type_id != type_id:
        node_type = None  # only exact ids bind in files; a short name could change meaning
    try:
        node = Node(doc, type_id, name, node_type)
        doc._check_name(name)
    except GraphError as exc:
        raise DocumentError(exc.reason, field=f"{field}.name") from None
    node.disabled = disabled
    node.ui = dict(ui)
    if node_type is None:
        log.warning("%s: node type %s is not loaded; %s kept as a placeholder", field, type_id, name)
        node.raw_params = dict(params)
        node.raw_inputs = dict(inputs)
        node.ui["_type_version"] = type_version
        return node, inputs
    if node_type.group_role == "group":
        return node, inputs  # inputs and params follow its contents: read once those are known
    if type_version > node_type.version:
        log.warning("%s: %s was saved by a newer %s (version %d > %d)", field, name, type_id,
                    type_version, node_type.version)
    _read_inputs_and_params(node, inputs, params, field)
    return node, inputs


def _read_inputs_and_params(node: Node, inputs: dict[str, Any], params: dict[str, Any], field: str) -> None:
    node_type = node.node_type
    assert node_type is not None  # noqa: S101 - placeholders keep their raw data instead
    type_id = node.type_id
    for key in inputs:
        if node_type.input_index(key) is None:
            known = ", ".join(spec.name for spec in node_type.inputs) or "none"
            raise DocumentError(
                f"{type_id} has no input {_short(key)} (inputs: {known})", field=_join(f"{field}.inputs", key)
            )
    for param_name, value in params.items():
        if node_type.param_spec(param_name) is None:
            log.warning("%s.params.%s: unknown param kept as is", field, param_name)
            node.raw_params[param_name] = value
            continue
        node.params[param_name] = _read_param(node, param_name, value, _join(f"{field}.params", param_name))


def _read_groups(doc: Document, records: list[tuple[Node, dict[str, Any], str]], problems: list[str] | None) -> None:
    """Put nodes in their groups, then give each Group its inputs and published params.

    Groups are finished deepest first, so a param an inner group publishes can be published
    again by the group around it. `problems` is None when the first bad field must raise.
    """

    def report(exc: DocumentError) -> None:
        if problems is None:
            raise exc
        problems.append(str(exc))

    for node, raw, field in records:
        parent_name = raw.get("parent")
        if parent_name is None:
            continue
        try:
            _expect(parent_name, str, f"{field}.parent", "a group name")
            parent = doc.find(parent_name)
            if parent is None or groups.role(parent) != "group":
                raise DocumentError(f"{_short(parent_name)} is not a Group in the document", field=f"{field}.parent")
            if groups.is_inside(parent, node):
                raise DocumentError(f"{node.name} cannot be inside itself", field=f"{field}.parent")
            node.parent = parent
        except DocumentError as exc:
            report(exc)
    group_records = [r for r in records if groups.role(r[0]) == "group"]
    for group, raw, field in sorted(group_records, key=lambda r: -groups.depth(r[0])):
        published = raw.get("published", [])
        try:
            _expect(published, list, f"{field}.published", "a list")
        except DocumentError as exc:
            report(exc)
            published = []
        for index, entry in enumerate(published):
            where = f"{field}.published[{index}]"
            try:
                _expect(entry, dict, where, "an object")
                name = _expect(entry.get("name"), str, f"{where}.name", "a param name")
                inner = doc.find(_expect(entry.get("node"), str, f"{where}.node", "a node name"))
                param = _expect(entry.get("param"), str, f"{where}.param", "a param name")
                if inner is None or inner.parent is not group:
                    raise DocumentError(f"{_short(entry.get('node'))} is not a node inside {group.name}",
                                        field=f"{where}.node")
                if inner.node_type is None or inner.node_type.param_spec(param) is None:
                    raise DocumentError(f"{inner.name} has no param {_short(param)}", field=f"{where}.param")
                if any(p.name == name for p in group.published):
                    raise DocumentError(f"{_short(name)} is published twice", field=f"{where}.name")
                group.published.append(Published(name, inner, param))
            except DocumentError as exc:
                report(exc)
        groups.refresh_group_type(doc, group)
        try:
            _read_inputs_and_params(group, raw.get("inputs", {}), raw.get("params", {}), field)
        except DocumentError as exc:
            report(exc)


def document_from_dict(
    data: Any,
    registry: NodeRegistry,
    *,
    source: str | None = None,
    recover: bool = False,
) -> Document:
    """Build a document from `.ncomp` data.

    Args:
        data: parsed JSON.
        registry: node types to bind; unknown types become placeholders.
        source: file path for error messages.
        recover: keep every valid node and connection, listing the rest in `doc.load_problems`,
            instead of raising on the first bad field.

    Raises:
        DocumentError: naming the JSON path of the first bad field (and `source`).
    """
    try:
        return _document_from_dict(data, registry, source=source, recover=recover)
    except DocumentError as exc:
        if exc.path is None and source is not None:
            named = DocumentError(exc.reason, path=source)  # reason already starts with the field
            named.field = exc.field
            raise named from None
        raise


def _document_from_dict(data: Any, registry: NodeRegistry, *, source: str | None, recover: bool) -> Document:
    _expect(data, dict, "(document)", "a JSON object")
    data = migrate(dict(data), source)
    problems: list[str] = []
    try:
        name = _expect(data.get("name", "untitled"), str, "name", "text")
    except DocumentError as exc:
        if not recover:
            raise
        problems.append(str(exc))
        name = "untitled"
    doc = Document(registry, name=name)
    doc.path = source
    try:
        doc.settings = _read_settings(data.get("settings", {}), "settings")
    except DocumentError as exc:
        if not recover:
            raise
        problems.append(str(exc))
    try:
        doc.metadata = dict(_expect(data.get("metadata", {}), dict, "metadata", "an object"))
    except DocumentError as exc:
        if not recover:
            raise
        problems.append(str(exc))
    doc.current_frame = float(doc.frame_range[0])
    wiring: list[tuple[Node, dict[str, Any], str]] = []
    records: list[tuple[Node, dict[str, Any], str]] = []
    for index, raw in enumerate(_expect(data.get("nodes", []), list, "nodes", "a list")):
        field = f"nodes[{index}]"
        try:
            node, inputs = _read_node(doc, raw, field)
        except DocumentError as exc:
            if not recover:
                raise
            problems.append(str(exc))
            continue
        doc._nodes[node.name] = node
        wiring.append((node, inputs, field))
        records.append((node, raw, field))
    _read_groups(doc, records, problems if recover else None)
    for node, inputs, field in wiring:
        for input_name, source_name in inputs.items():
            if source_name is None:
                continue
            where = _join(f"{field}.inputs", input_name)
            upstream = doc.find(source_name)
            try:
                if upstream is None:
                    raise DocumentError(f"refers to a node {source_name!r} that is not in the document", field=where)
                if node is upstream or node in doc.upstream(upstream):
                    raise DocumentError(f"connecting {source_name} here makes a cycle", field=where)
                if upstream.parent is not node.parent:
                    raise DocumentError(f"{source_name} is in another group", field=where)
                if input_name not in node.inputs and not node.is_placeholder:
                    raise DocumentError(f"{node.name} has no input {_short(input_name)}", field=where)
                node.inputs[input_name] = upstream
            except DocumentError as exc:
                if not recover:
                    raise
                problems.append(str(exc))
                if node.is_placeholder:  # dropped like any other connection, so a save loads back
                    node.raw_inputs[input_name] = None
    doc.undo_stack.clear()
    doc.load_problems = problems
    return doc


def loads(text: str, registry: NodeRegistry, *, source: str | None = None, recover: bool = False) -> Document:
    """Parse `.ncomp` text."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise DocumentError(f"not valid JSON: {exc}", path=source) from None
    return document_from_dict(data, registry, source=source, recover=recover)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a document")


def load_document(path: str, registry: NodeRegistry, *, recover: bool = False) -> Document:
    """Read a `.ncomp` file; raises DocumentError naming the file and the bad field."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"cannot read: {exc}", path=path) from None
    doc = loads(text, registry, source=path, recover=recover)
    if doc.name in ("", "untitled"):
        doc.name = os.path.splitext(os.path.basename(path))[0]
    return doc


__all__ = [
    "FORMAT_VERSION",
    "MIGRATIONS",
    "NodecompError",
    "document_from_dict",
    "document_to_dict",
    "dumps",
    "load_document",
    "loads",
    "migrate",
    "save_document",
    "write_atomically",
]
