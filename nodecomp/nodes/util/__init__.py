"""util nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.util.backdrop import Backdrop
from nodecomp.nodes.util.dissolve import Dissolve
from nodecomp.nodes.util.dot import Dot, NoOp
from nodecomp.nodes.util.group import Group, GroupInput, GroupOutput
from nodecomp.nodes.util.stats import Stats
from nodecomp.nodes.util.switch import Switch

NODE_TYPES: list[type[NodeType]] = [Switch, Dissolve, Dot, NoOp, Stats, Group, GroupInput, GroupOutput, Backdrop]
