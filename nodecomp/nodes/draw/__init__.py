"""draw nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.draw.checkerboard import CheckerBoard
from nodecomp.nodes.draw.colorbars import ColorBars
from nodecomp.nodes.draw.constant import Constant
from nodecomp.nodes.draw.noise import Noise
from nodecomp.nodes.draw.radial import Radial
from nodecomp.nodes.draw.ramp import Ramp
from nodecomp.nodes.draw.rectangle import Rectangle
from nodecomp.nodes.draw.roto import Roto
from nodecomp.nodes.draw.text import Text

NODE_TYPES: list[type[NodeType]] = [Constant, Roto, Rectangle, Radial, Ramp, Noise, CheckerBoard, ColorBars, Text]
