"""Building the registry of node types: built-ins first, then plugins.

A plugin that fails to import or declares a bad node type is recorded as a PluginError and
skipped; everything else keeps loading. The registry is an object handed to documents and
engines, never a module-level dict.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from nodecomp.api import API_VERSION, Plugin
from nodecomp.core.errors import PluginError
from nodecomp.core.registry import NodeRegistry

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    """What loaded, how long it took, and what failed."""

    loaded: dict[str, float] = field(default_factory=dict)  # plugin name -> seconds
    errors: list[PluginError] = field(default_factory=list)


def register_plugin(registry: NodeRegistry, plugin: Plugin, report: LoadReport, source: str) -> None:
    """Register every node type of `plugin`, recording (not raising) what fails."""
    start = time.perf_counter()
    if not isinstance(plugin, Plugin):
        report.errors.append(PluginError("does not expose a nodecomp.api.Plugin", plugin=source))
        return
    if plugin.api > API_VERSION:
        report.errors.append(
            PluginError(f"needs plugin API {plugin.api}, this nodecomp has {API_VERSION}", plugin=plugin.name)
        )
        return
    for node_type in plugin.node_types:
        try:
            registry.register(node_type, plugin=plugin.name)
        except PluginError as exc:
            report.errors.append(exc)
    report.loaded[plugin.name] = time.perf_counter() - start


def build_registry() -> tuple[NodeRegistry, LoadReport]:
    """A fresh registry with the built-in nodes, and the report of loading it."""
    from nodecomp.nodes import plugin as builtins

    registry = NodeRegistry()
    report = LoadReport()
    register_plugin(registry, builtins, report, "nodecomp.nodes")
    for error in report.errors:
        log.warning("%s", error)
    return registry, report


_default: tuple[NodeRegistry, LoadReport] | None = None
_default_lock = threading.Lock()


def default_registry() -> NodeRegistry:
    """The process-wide registry used by `nodecomp.Document()` (built on first use)."""
    return _default_state()[0]


def default_report() -> LoadReport:
    """The load report of the process-wide registry."""
    return _default_state()[1]


def _default_state() -> tuple[NodeRegistry, LoadReport]:
    global _default
    with _default_lock:
        if _default is None:
            _default = build_registry()
        return _default
