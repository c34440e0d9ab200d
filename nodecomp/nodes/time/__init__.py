"""time nodes."""

from nodecomp.api import NodeType

NODE_TYPES: list[type[NodeType]] = []
