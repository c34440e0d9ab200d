"""The node author's API: the one import a plugin (bundled or third-party) needs.

Everything here is stable within an API_VERSION. Plugins must not import engine or core
internals; a test checks the bundled ones. A name that is renamed keeps working for at least
one API version under its old spelling, with a DeprecationWarning naming the new one (see
`_RENAMED` and `__getattr__` below), so a plugin written for an older API keeps loading.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

from nodecomp.core.atomic import atomic_path
from nodecomp.core.errors import (
    CancelledError,
    EvaluationError,
    NodecompError,
    ParamError,
    PluginError,
)
from nodecomp.core.format import PRESETS, Format
from nodecomp.core.nodetype import Action, Device, Input, NodeType, Output
from nodecomp.core.params import Bool, Choice, Color, Float, Int, ParamSpec, Path, String, Vec2, Vec3
from nodecomp.engine.actions import ActionContext
from nodecomp.engine.context import EvalContext
from nodecomp.engine.devices import cuda_available, is_tensor, torch_installed
from nodecomp.engine.image import MAIN_LAYER, RGB, RGBA, Box, Image, Region, conform, layer_of
from nodecomp.engine.request import Request
from nodecomp.engine.resources import ResourceCache, file_fingerprint, resources

API_VERSION = 1


@dataclass(frozen=True)
class Plugin:
    """What a plugin module exposes as `plugin`: its node types and an optional load hook.

    Attributes:
        name: distribution-style name (`"nodecomp-ledwall"`).
        api: the API_VERSION it was written for; a newer one than this nodecomp's is refused.
        node_types: NodeType subclasses to register.
        version: the plugin's own version.
        on_load: called with no arguments once its types are registered (and again after a
            reload): connect render hooks, check a licence, warm a cache. If it raises, the
            plugin's types are unregistered again and the error is reported.
        requires: importable module names the plugin cannot work without (`"onnxruntime"`);
            when one is missing the plugin is skipped with a report naming it.
        optional: modules that only some features use (`"torch"` for a GPU path); a missing one
            is listed by `nodecomp plugins list`, and the plugin loads anyway.
        description: one line for `nodecomp plugins list` and the app's plugin panel.
    """

    name: str
    node_types: tuple[type[NodeType], ...] = ()
    api: int = API_VERSION
    version: str = "0"
    on_load: Any = None
    requires: tuple[str, ...] = field(default=())
    optional: tuple[str, ...] = field(default=())
    description: str = ""


def get_logger(name: str) -> logging.Logger:
    """The logger a plugin writes to: `nodecomp.plugins.<name>`, shown by the CLI's -v and the app's log.

    Args:
        name: usually the module's `__name__`; a leading `nodecomp.plugins.` is not repeated.
    """
    prefix = "nodecomp.plugins."
    return logging.getLogger(name if name.startswith(prefix) else prefix + name)


# Renamed API names: old name -> (new name, API_VERSION in which it was renamed). The old name
# keeps working, with a DeprecationWarning, for at least one more API version.
_RENAMED: dict[str, tuple[str, int]] = {}


def __getattr__(name: str) -> Any:
    """Resolve a renamed name to its new spelling, warning the plugin author once per call site."""
    if name in _RENAMED:
        new, since = _RENAMED[name]
        warnings.warn(
            f"nodecomp.api.{name} was renamed to {new} in plugin API {since}; "
            f"import {new} instead (the old name will be removed in a later API version)",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[new]
    raise AttributeError(f"module 'nodecomp.api' has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "MAIN_LAYER",
    "PRESETS",
    "RGB",
    "RGBA",
    "Action",
    "ActionContext",
    "Bool",
    "Box",
    "CancelledError",
    "Choice",
    "Color",
    "Device",
    "EvalContext",
    "EvaluationError",
    "Float",
    "Format",
    "Image",
    "Input",
    "Int",
    "NodeType",
    "NodecompError",
    "Output",
    "ParamError",
    "ParamSpec",
    "Path",
    "Plugin",
    "PluginError",
    "Region",
    "Request",
    "ResourceCache",
    "String",
    "Vec2",
    "Vec3",
    "atomic_path",
    "conform",
    "cuda_available",
    "file_fingerprint",
    "get_logger",
    "is_tensor",
    "layer_of",
    "resources",
    "torch_installed",
]
