"""transform nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.transform.reformat import Reformat
from nodecomp.nodes.transform.transform import Transform

NODE_TYPES: list[type[NodeType]] = [Transform, Reformat]
