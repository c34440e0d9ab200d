"""channel nodes: route, copy, combine, add and remove channels and layers."""

from nodecomp.api import NodeType
from nodecomp.nodes.channel.add_channels import AddChannels
from nodecomp.nodes.channel.channel_merge import ChannelMerge
from nodecomp.nodes.channel.copy_channels import Copy
from nodecomp.nodes.channel.layer_contact_sheet import LayerContactSheet
from nodecomp.nodes.channel.remove import Remove
from nodecomp.nodes.channel.shuffle import Shuffle

NODE_TYPES: list[type[NodeType]] = [Shuffle, Copy, ChannelMerge, AddChannels, Remove, LayerContactSheet]
