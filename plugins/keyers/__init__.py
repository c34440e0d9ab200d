"""nodecomp-keyers: green/blue-screen keyers, despill, clean plates, matte tools and AI mattes.

A bundled plugin written against `nodecomp.api` only. Importing it never imports torch.
"""

from nodecomp.api import Plugin
from plugins.keyers.nodes import NODE_TYPES

plugin = Plugin(
    name="nodecomp-keyers",
    node_types=NODE_TYPES,
    version="0.1.0",
    optional=("torch", "safetensors", "onnxruntime"),
    description="Colour-difference, chroma and luma keyers, despill, clean plates, matte tools and AI mattes.",
)
