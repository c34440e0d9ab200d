"""io nodes: Read and Write, the graph's way in from and out to image files."""

from nodecomp.api import NodeType
from nodecomp.nodes.io.read import Read
from nodecomp.nodes.io.write import Write

NODE_TYPES: list[type[NodeType]] = [Read, Write]
