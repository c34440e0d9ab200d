"""merge nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.merge.merge import Merge

NODE_TYPES: list[type[NodeType]] = [Merge]
