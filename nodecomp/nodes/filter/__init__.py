"""filter nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.filter.blur import Blur

NODE_TYPES: list[type[NodeType]] = [Blur]
