"""The generator node types, in menu order."""

from plugins.generators.nodes.image2image import Image2Image
from plugins.generators.nodes.inpaint import Inpaint
from plugins.generators.nodes.text2image import Text2Image

NODE_TYPES = (Text2Image, Image2Image, Inpaint)

__all__ = ["NODE_TYPES", "Image2Image", "Inpaint", "Text2Image"]
