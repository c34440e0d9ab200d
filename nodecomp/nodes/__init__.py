"""The built-in node types, shipped through the same door as plugins (`plugin` below).

Each family package lists its types in `NODE_TYPES`; node modules import only `nodecomp.api`.
"""

from nodecomp.api import NodeType, Plugin
from nodecomp.nodes import channel, color, draw, filter, io, merge, time, transform, util

NODE_TYPES: tuple[type[NodeType], ...] = tuple(
    node_type
    for family in (io, color, channel, merge, filter, transform, draw, time, util)
    for node_type in family.NODE_TYPES
)

plugin = Plugin(name="nodecomp-builtins", node_types=NODE_TYPES, version="0.1.0")
