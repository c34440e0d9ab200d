"""The node author's API: the one import a plugin (bundled or third-party) needs.

Everything here is stable within an API_VERSION. Plugins must not import engine or core
internals; a test checks the bundled ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nodecomp.core.errors import (
    CancelledError,
    EvaluationError,
    NodecompError,
    ParamError,
    PluginError,
)
from nodecomp.core.format import PRESETS, Format
from nodecomp.core.nodetype import Device, Input, NodeType, Output
from nodecomp.core.params import Bool, Choice, Color, Float, Int, ParamSpec, Path, String, Vec2, Vec3
from nodecomp.engine.context import EvalContext
from nodecomp.engine.image import MAIN_LAYER, RGB, RGBA, Box, Image, conform, layer_of
from nodecomp.engine.request import Request

API_VERSION = 1


@dataclass(frozen=True)
class Plugin:
    """What a plugin module exposes as `plugin`: its node types and an optional load hook.

    Attributes:
        name: distribution-style name (`"nodecomp-ledwall"`).
        api: the API_VERSION it was written for.
        node_types: NodeType subclasses to register.
        version: the plugin's own version.
        on_load: called once after registration (warm caches, check optional dependencies).
    """

    name: str
    node_types: tuple[type[NodeType], ...] = ()
    api: int = API_VERSION
    version: str = "0"
    on_load: Any = None
    requires: tuple[str, ...] = field(default=())


__all__ = [
    "API_VERSION",
    "MAIN_LAYER",
    "RGB",
    "RGBA",
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
    "PRESETS",
    "ParamError",
    "ParamSpec",
    "Path",
    "Plugin",
    "PluginError",
    "Request",
    "String",
    "Vec2",
    "Vec3",
    "conform",
    "layer_of",
]
