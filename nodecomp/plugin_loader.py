"""Building the registry of node types: built-ins first, then every plugin found.

A plugin that fails to import, declares a bad node type, needs a missing package, targets a
newer plugin API, lacks a `plugin` object or reuses another plugin's type id is recorded as a
PluginError and skipped as a whole; everything else keeps loading. The registry is an object
handed to documents and engines, never a module-level dict; `default_registry()` is the
process-wide one that `nodecomp.Document()` and the command line use, and `default_report()`
says what it loaded and what it did not (the app's plugin panel and `nodecomp plugins list`).

A plugin under development is reloaded with `reload_plugin(name, documents)`: its modules are
imported again, its node types replaced, the nodes of the given documents pointed at the new
classes, and the new classes given a fresh cache salt so no result of the old code is reused.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nodecomp.api import API_VERSION, Plugin
from nodecomp.core.document import Document
from nodecomp.core.errors import PluginError
from nodecomp.core.fileformat import document_from_dict, document_to_dict
from nodecomp.core.nodetype import NodeType
from nodecomp.core.registry import NodeRegistry, schema_problems
from nodecomp.plugin_sources import (
    Candidate,
    Manifest,
    Source,
    discover,
    drop_bytecode,
    missing_modules,
    purge,
    restore,
)

log = logging.getLogger(__name__)

DISABLE_VARIABLE = "NODECOMP_DISABLE_PLUGINS"
"""Comma-separated plugin names (or `*` for all) not to load; built-ins always load."""

_BUILTINS = Candidate(Source.BUILTIN, "nodecomp.nodes", "nodecomp.nodes")
_reloads = itertools.count(1)


@dataclass
class PluginInfo:
    """A plugin that loaded: what it is, where it came from and what it registered.

    Attributes:
        name, version, api, description: from its `Plugin` object (and manifest).
        source: builtin, bundled, path or entry point.
        location: the folder, file, module or entry point it was loaded from.
        module: the module name it was imported as.
        node_types: the type ids it registered.
        seconds: import plus registration time.
        missing_optional: optional modules that are not installed (features that will not work).
    """

    name: str
    version: str
    api: int
    source: str
    location: str
    module: str
    node_types: tuple[str, ...]
    seconds: float
    missing_optional: tuple[str, ...] = ()
    description: str = ""


@dataclass
class LoadReport:
    """What loaded, how long it took, and what failed (one PluginError per skipped plugin)."""

    loaded: dict[str, float] = field(default_factory=dict)  # plugin name -> seconds
    errors: list[PluginError] = field(default_factory=list)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    disabled: list[str] = field(default_factory=list)
    candidates: dict[str, Candidate] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """True when every plugin found was loaded."""
        return not self.errors

    def lines(self) -> list[str]:
        """A plain listing for the app and the CLI: one line per plugin, then one per problem."""
        lines = []
        for info in self.plugins.values():
            extra = f"; optional {', '.join(info.missing_optional)} not installed" if info.missing_optional else ""
            lines.append(
                f"ok       {info.name} {info.version} ({info.source}: {info.location}) "
                f"{len(info.node_types)} node types in {info.seconds * 1000:.0f} ms{extra}"
            )
        lines.extend(f"disabled {name} (${DISABLE_VARIABLE})" for name in self.disabled)
        lines.extend(f"failed   {error}" for error in self.errors)
        return lines


# ----------------------------------------------------------------- registering
def _fail(
    report: LoadReport, message: str, plugin: str, candidate: Candidate, cause: BaseException | None = None
) -> None:
    error = PluginError(message, plugin=plugin, entry_point=candidate.label)
    error.__cause__ = cause
    report.errors.append(error)
    log.warning("%s", error)
    if cause is not None:
        log.debug("%s", "".join(traceback.format_exception(cause)))


def _node_type_problems(registry: NodeRegistry, plugin: Plugin, replacing: Iterable[str] = ()) -> list[str]:
    """Every problem with a plugin's node types, so a plugin registers all of them or none."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    replacing = set(replacing)
    for node_type in plugin.node_types:
        if not (isinstance(node_type, type) and issubclass(node_type, NodeType)):
            problems.append(f"{node_type!r} in node_types is not a NodeType subclass")
            continue
        label = node_type.__name__
        problems.extend(f"node type {label}: {problem}" for problem in schema_problems(node_type))
        type_id = node_type.type_id
        owner = registry.owner(type_id)
        if owner is not None and type_id not in replacing:
            problems.append(
                f"node type {label}: type id {type_id!r} is already registered by plugin {owner} "
                f"(a duplicate of plugins {owner} and {plugin.name}; rename one type id, they are 'plugin.Name')"
            )
        elif type_id in seen:
            problems.append(f"node types {seen[type_id]} and {label} both use type id {type_id!r}")
        seen.setdefault(type_id, label)
    return problems


def _plugin_problems(plugin: Any, manifest: Manifest | None) -> list[str]:
    """Problems with the Plugin object itself and its agreement with the manifest."""
    if not isinstance(plugin, Plugin):
        return [f"`plugin` is a {type(plugin).__name__}, not a nodecomp.api.Plugin"]
    problems = []
    if not isinstance(plugin.name, str) or not plugin.name.strip():
        problems.append(f"name must be a non-empty string, got {plugin.name!r}")
    if not isinstance(plugin.node_types, tuple | list):
        problems.append(f"node_types must be a tuple or list of NodeType classes, got {plugin.node_types!r}")
    for field_name in ("requires", "optional"):
        value = getattr(plugin, field_name)
        if not isinstance(value, tuple | list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{field_name} must be a tuple of module names, got {value!r}")
    if plugin.on_load is not None and not callable(plugin.on_load):
        problems.append(f"on_load must be callable, got {plugin.on_load!r}")
    if isinstance(plugin.api, bool) or not isinstance(plugin.api, int) or plugin.api < 1:
        problems.append(f"api must be a positive integer, got {plugin.api!r}")
    elif plugin.api > API_VERSION:
        problems.append(
            f"needs plugin API {plugin.api}, this nodecomp has {API_VERSION}; "
            "update nodecomp or use a release of the plugin made for this API"
        )
    if manifest is not None:
        if manifest.name != plugin.name:
            problems.append(f"{manifest.path} names it {manifest.name!r} but its Plugin says {plugin.name!r}")
        if manifest.version is not None and manifest.version != plugin.version:
            problems.append(
                f"{manifest.path} says version {manifest.version} but its Plugin says {plugin.version}"
            )
        if manifest.api is not None and manifest.api != plugin.api:
            problems.append(f"{manifest.path} says api {manifest.api} but its Plugin says {plugin.api}")
        if manifest.node_types is not None and isinstance(plugin.node_types, tuple | list):
            declared = {getattr(t, "type_id", repr(t)) for t in plugin.node_types}
            if set(manifest.node_types) != declared:
                problems.append(
                    f"{manifest.path} lists node types {sorted(manifest.node_types)} "
                    f"but the module provides {sorted(declared)}"
                )
    return problems


def register_plugin(
    registry: NodeRegistry,
    plugin: Any,
    report: LoadReport,
    source: str | Candidate,
    *,
    manifest: Manifest | None = None,
    started: float | None = None,
    replacing: Iterable[str] = (),
) -> PluginInfo | None:
    """Register every node type of `plugin`, or none of them; failures go to `report`, never raised.

    Args:
        registry: where the node types go.
        plugin: the module's `plugin` object (anything else is reported).
        report: collects the PluginInfo or the PluginError.
        source: where it came from: a Candidate, or a label such as a module name.
        manifest: its `plugin.toml`, checked against the object.
        started: `time.perf_counter()` when importing began, so the load time includes the import.
        replacing: type ids this plugin owned before a reload (not duplicates of themselves).

    Returns:
        The PluginInfo, or None when the plugin was skipped.
    """
    start = time.perf_counter() if started is None else started
    candidate = source if isinstance(source, Candidate) else Candidate(Source.PATH, source, source)
    name = getattr(plugin, "name", None) if isinstance(plugin, Plugin) else None
    name = name or (manifest.name if manifest else candidate.short_name)
    problems = _plugin_problems(plugin, manifest)
    if problems:
        _fail(report, "; ".join(problems), name, candidate)
        return None
    if name in report.plugins and name not in replacing_names(report, replacing):
        other = report.plugins[name]
        if all(registry.get(getattr(t, "type_id", "")) is t for t in plugin.node_types):
            log.debug("plugin %s found again at %s; already loaded from %s", name, candidate.label, other.location)
            return other  # the same code reached twice (an entry point to a bundled plugin)
        _fail(report, f"a plugin named {name} is already loaded from {other.location}; this copy was skipped",
              name, candidate)
        return None
    missing = missing_modules(plugin.requires)
    if missing:
        _fail(report, f"needs {', '.join(missing)}, which is not installed (pip install the package providing it)",
              name, candidate)
        return None
    problems = _node_type_problems(registry, plugin, replacing)
    if problems:
        _fail(report, "; ".join(problems), name, candidate)
        return None
    for type_id in replacing:
        registry.unregister(type_id)
    for node_type in plugin.node_types:
        registry.register(node_type, plugin=name)
    if plugin.on_load is not None:
        try:
            plugin.on_load()
        except Exception as exc:  # noqa: BLE001 - a plugin's hook may fail any way; it is reported, not fatal
            for node_type in plugin.node_types:
                registry.unregister(node_type.type_id)
            _fail(report, f"on_load failed: {type(exc).__name__}: {exc}", name, candidate, exc)
            return None
    optional = tuple(dict.fromkeys((*(manifest.optional if manifest else ()), *plugin.optional)))
    info = PluginInfo(
        name=name, version=plugin.version, api=plugin.api, source=str(candidate.source), location=candidate.label,
        module=candidate.module, node_types=tuple(t.type_id for t in plugin.node_types),
        seconds=time.perf_counter() - start, missing_optional=tuple(missing_modules(optional)),
        description=plugin.description or (manifest.description if manifest else ""),
    )
    report.plugins[name] = info
    report.loaded[name] = info.seconds
    report.candidates[name] = candidate
    log.info("plugin %s %s: %d node types in %.1f ms (%s)", name, info.version, len(info.node_types),
             info.seconds * 1000, candidate.label)
    for module in info.missing_optional:
        log.info("plugin %s: optional %s is not installed; features using it are unavailable", name, module)
    return info


def replacing_names(report: LoadReport, replacing: Iterable[str]) -> set[str]:
    """Names of the plugins that own the type ids being replaced (a reload replaces itself)."""
    ids = set(replacing)
    return {info.name for info in report.plugins.values() if ids & set(info.node_types)}


def load_candidate(
    registry: NodeRegistry, candidate: Candidate, report: LoadReport, *, replacing: Iterable[str] = ()
) -> PluginInfo | None:
    """Check a candidate's manifest and dependencies, import it and register it; report failures."""
    start = time.perf_counter()
    try:
        manifest = candidate.manifest()
    except PluginError as exc:
        report.errors.append(exc)
        log.warning("%s", exc)
        return None
    name = manifest.name if manifest else candidate.short_name
    if manifest is not None:
        if manifest.api is not None and manifest.api > API_VERSION:
            _fail(report, f"needs plugin API {manifest.api}, this nodecomp has {API_VERSION} "
                          "(update nodecomp or use a release of the plugin made for this API)", name, candidate)
            return None
        missing = missing_modules(manifest.requires)
        if missing:
            _fail(report, f"needs {', '.join(missing)}, which is not installed "
                          "(pip install the package providing it)", name, candidate)
            return None
    try:
        plugin = candidate.load()
    except PluginError as exc:
        report.errors.append(exc)
        log.warning("%s", exc)
        return None
    except ModuleNotFoundError as exc:
        _fail(report, f"import failed: module {exc.name!r} is not installed{_where(exc, candidate)} "
                      "(install it, or list it in the manifest's requires)", name, candidate, exc)
        return None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure in a plugin's import is reported
        _fail(report, f"import failed: {type(exc).__name__}: {exc}{_where(exc, candidate)}", name, candidate, exc)
        return None
    return register_plugin(registry, plugin, report, candidate, manifest=manifest, started=start,
                           replacing=replacing)


def _where(exc: BaseException, candidate: Candidate) -> str:
    """` at file:line`: the deepest traceback frame inside the plugin's own files."""
    root = candidate.files_root()
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" at {exc.filename}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if root and os.path.realpath(f.filename).startswith(os.path.realpath(root))]
    frame = (inside or frames or [None])[-1]
    return f" at {frame.filename}:{frame.lineno}" if frame is not None else ""


def _disabled(candidate: Candidate, names: set[str]) -> bool:
    if not names:
        return False
    if "*" in names:
        return True
    try:
        manifest = candidate.manifest()
    except PluginError:
        manifest = None
    keys = {candidate.short_name, candidate.module}
    if manifest is not None:
        keys.add(manifest.name)
    return bool(keys & names)


def build_registry(
    *,
    plugin_path: Sequence[str | os.PathLike[str]] | None = None,
    bundled: bool = True,
    entry_points: bool = True,
    disabled: Iterable[str] | None = None,
    candidates: Iterable[Candidate] | None = None,
) -> tuple[NodeRegistry, LoadReport]:
    """A fresh registry with the built-in nodes and every plugin found, and the report of loading it.

    Args:
        plugin_path: plugin folders (default: $NODECOMP_PLUGIN_PATH).
        bundled: load the repository's bundled `plugins/`.
        entry_points: load installed `nodecomp.plugins` entry points.
        disabled: plugin names not to load (default: $NODECOMP_DISABLE_PLUGINS; `*` for all).
        candidates: load exactly these instead of discovering (checks and tests).
    """
    registry = NodeRegistry()
    report = LoadReport()
    start = time.perf_counter()
    load_candidate(registry, _BUILTINS, report)
    if disabled is None:
        disabled = os.environ.get(DISABLE_VARIABLE, "").split(",")
    names = {n.strip() for n in disabled if n.strip()}
    found = discover(plugin_path=plugin_path, bundled=bundled, entry_points=entry_points) \
        if candidates is None else list(candidates)
    seen: set[tuple[str, str | None]] = set()
    for candidate in found:
        if (candidate.module, candidate.file) in seen:
            continue  # a folder listed twice
        seen.add((candidate.module, candidate.file))
        if _disabled(candidate, names):
            report.disabled.append(candidate.short_name)
            continue
        load_candidate(registry, candidate, report)
    log.info("%d node types from %d plugins in %.0f ms; %d failed", len(registry), len(report.plugins),
             (time.perf_counter() - start) * 1000, len(report.errors))
    return registry, report


# --------------------------------------------------------------------- reload
def reload_plugin(
    name: str,
    documents: Iterable[Document] = (),
    *,
    registry: NodeRegistry | None = None,
    report: LoadReport | None = None,
) -> PluginInfo:
    """Re-import plugin `name` and replace its node types, without restarting.

    The new classes get a fresh `cache_salt`, so every cache key of their nodes changes and no
    image computed by the old code is reused; loaded resources are released too. Nodes of
    `documents` are pointed at the new classes (params still declared keep their values and
    animation; removed ones are kept aside and saved, like unknown params; a type the plugin no
    longer provides turns its nodes into placeholders). On failure the old code stays loaded.

    Args:
        name: the plugin's name as listed by `nodecomp plugins list`.
        documents: open documents whose nodes should use the new code.
        registry: the registry to update (default: the process-wide one).
        report: that registry's load report (default: the process-wide one).

    Raises:
        PluginError: the plugin is unknown, built in, or its new code fails to load.
    """
    if registry is None or report is None:
        registry, report = _default_state()
    info = report.plugins.get(name)
    candidate = report.candidates.get(name)
    if info is None or candidate is None:
        known = ", ".join(sorted(report.plugins)) or "none"
        raise PluginError(f"is not loaded (loaded plugins: {known})", plugin=name)
    if candidate.source is Source.BUILTIN:
        raise PluginError("is built in and cannot be reloaded", plugin=name)
    old_types = [t for t in (registry.get(type_id) for type_id in info.node_types) if t is not None]
    drop_bytecode(candidate.files_root())
    purged = purge(candidate.module)
    attempt = LoadReport(plugins={k: v for k, v in report.plugins.items() if k != name})
    new = load_candidate(registry, candidate, attempt, replacing=info.node_types)
    if new is None:
        restore(purged)
        for node_type in old_types:  # the new code may have got as far as replacing them
            if registry.owner(node_type.type_id) is None:
                registry.register(node_type, plugin=name)
        raise attempt.errors[-1]
    salt = f"reload-{next(_reloads)}"
    for type_id in new.node_types:
        node_type = registry.get(type_id)
        if node_type is not None:
            node_type.cache_salt = salt
    if name != new.name:
        report.plugins.pop(name, None)
        report.loaded.pop(name, None)
        report.candidates.pop(name, None)
    report.plugins[new.name] = new
    report.loaded[new.name] = new.seconds
    report.candidates[new.name] = candidate
    report.errors[:] = [e for e in report.errors if e.plugin != name]
    from nodecomp.engine.resources import resources

    resources.trim()
    for document in documents:
        rebind(document, registry)
    log.info("reloaded plugin %s %s in %.1f ms", new.name, new.version, new.seconds * 1000)
    return new


def load_plugin_folders(
    folders: Sequence[str | os.PathLike[str]],
    documents: Iterable[Document] = (),
    *,
    registry: NodeRegistry | None = None,
    report: LoadReport | None = None,
) -> list[PluginInfo]:
    """Load the plugins of `folders` into a running registry (the app's plugin folders preference).

    A plugin already loaded from the same file is reloaded (its new code replaces the old, see
    `reload_plugin`); the others are loaded as at start-up, and whatever fails is added to the
    report's errors. Nodes of `documents` whose type was missing come alive.

    Returns:
        The plugins loaded or reloaded.
    """
    if registry is None or report is None:
        registry, report = _default_state()
    documents = list(documents)
    known = {(c.module, c.file): name for name, c in report.candidates.items()}
    done: list[PluginInfo] = []
    for candidate in discover(plugin_path=list(folders), bundled=False, entry_points=False):
        name = known.get((candidate.module, candidate.file))
        if name is None:
            info = load_candidate(registry, candidate, report)
        else:
            try:
                info = reload_plugin(name, documents, registry=registry, report=report)
            except PluginError as exc:
                report.errors.append(exc)
                log.warning("%s", exc)
                info = None
        if info is not None:
            done.append(info)
    for document in documents:
        rebind(document, registry)
    return done


def rebind(document: Document, registry: NodeRegistry) -> list[str]:
    """Point the document's nodes at the registry's current node type classes.

    The document is read back through the file format against the registry, exactly as saving
    and reopening it would, and each node whose class changed takes the result: params still
    declared keep their values and animation, unknown ones are kept aside (and saved), a param
    kept aside earlier comes back when the code declares it again, and a type no longer provided
    makes a placeholder. Connections to inputs that still exist are kept.

    Returns:
        What could not be carried over (a value the new code refuses), also logged.
    """
    changed = [
        node for node in document.nodes
        if (node.node_type is not None and _current(registry, node.type_id) is not node.node_type)
        or (node.node_type is None and _current(registry, node.type_id) is not None)
    ]
    if not changed:
        return []
    fresh = document_from_dict(document_to_dict(document), registry, recover=True)
    for node in changed:
        other = fresh.find(node.name)
        if other is None:
            continue
        live = dict(node.inputs)
        node.node_type = other.node_type
        node.params = dict(other.params)
        node.raw_params = dict(other.raw_params)
        node.raw_inputs = dict(other.raw_inputs)
        if other.node_type is not None:
            node.inputs = {spec.name: live.get(spec.name) for spec in other.node_type.inputs}
        else:
            node.ui["_type_version"] = other.ui.get("_type_version", 1)
        document.events.node_changed.emit(node, "node_type")
    notes = [f"after reloading: {problem}" for problem in fresh.load_problems]
    for note in notes:
        log.warning("%s", note)
    return notes


def _current(registry: NodeRegistry, type_id: str) -> type[NodeType] | None:
    found = registry.get(type_id)
    return found if found is not None and found.type_id == type_id else None


# ------------------------------------------------------------ process default
_default: tuple[NodeRegistry, LoadReport] | None = None
_default_lock = threading.Lock()


def default_registry() -> NodeRegistry:
    """The process-wide registry used by `nodecomp.Document()` (built on first use)."""
    return _default_state()[0]


def default_report() -> LoadReport:
    """The load report of the process-wide registry: `.lines()` is the list the app and CLI show."""
    return _default_state()[1]


def reset_default() -> None:
    """Forget the process-wide registry; the next use rebuilds it (after plugin folders change)."""
    global _default
    with _default_lock:
        _default = None


def _default_state() -> tuple[NodeRegistry, LoadReport]:
    global _default
    with _default_lock:
        if _default is None:
            _default = build_registry()
        return _default
