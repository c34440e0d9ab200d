"""time nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.time.appendclip import AppendClip
from nodecomp.nodes.time.framehold import FrameHold
from nodecomp.nodes.time.framerange import FrameRange
from nodecomp.nodes.time.retime import Retime
from nodecomp.nodes.time.timeoffset import TimeOffset

NODE_TYPES: list[type[NodeType]] = [FrameHold, TimeOffset, Retime, FrameRange, AppendClip]
