"""The generator node types, in menu order."""

from plugins.generators.nodes.image2image import Image2Image
from plugins.generators.nodes.inpaint import Inpaint
from plugins.generators.nodes.outpaint import Outpaint
from plugins.generators.nodes.text2image import Text2Image
from plugins.generators.nodes.upscale import Upscale

NODE_TYPES = (Text2Image, Image2Image, Inpaint, Upscale, Outpaint)

__all__ = ["NODE_TYPES", "Image2Image", "Inpaint", "Outpaint", "Text2Image", "Upscale"]
