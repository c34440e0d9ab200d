"""color nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.color.grade import Grade

NODE_TYPES: list[type[NodeType]] = [Grade]
