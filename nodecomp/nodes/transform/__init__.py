"""transform nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.transform.cornerpin import CornerPin
from nodecomp.nodes.transform.crop import Crop
from nodecomp.nodes.transform.mirror import Mirror
from nodecomp.nodes.transform.position import Position
from nodecomp.nodes.transform.reformat import Reformat
from nodecomp.nodes.transform.tracker import Tracker
from nodecomp.nodes.transform.transform import Transform

NODE_TYPES: list[type[NodeType]] = [Transform, Reformat, CornerPin, Crop, Mirror, Position, Tracker]
