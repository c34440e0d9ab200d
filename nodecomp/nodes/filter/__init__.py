"""filter nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.filter.blur import Blur
from nodecomp.nodes.filter.defocus import Defocus
from nodecomp.nodes.filter.edge_blur import EdgeBlur
from nodecomp.nodes.filter.edge_detect import EdgeDetect
from nodecomp.nodes.filter.glow import Glow
from nodecomp.nodes.filter.median import Median
from nodecomp.nodes.filter.morphology import Dilate, Erode
from nodecomp.nodes.filter.sharpen import Sharpen
from nodecomp.nodes.filter.zdefocus import ZDefocus

NODE_TYPES: list[type[NodeType]] = [Blur, Defocus, Sharpen, EdgeDetect, Erode, Dilate, EdgeBlur, Median, Glow, ZDefocus]
