"""draw nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.draw.constant import Constant

NODE_TYPES: list[type[NodeType]] = [Constant]
