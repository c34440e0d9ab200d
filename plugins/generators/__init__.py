"""nodecomp-generators: diffusion models from local files as nodes (generate, repaint, inpaint, upscale, extend).

A bundled plugin written against `nodecomp.api` only. Importing it never imports torch or
diffusers: they are imported when a generator node first computes. Without them the nodes
still load (comps using them open and save unchanged) and computing one says what to install.
"""

from nodecomp.api import Plugin
from plugins.generators.nodes import NODE_TYPES

plugin = Plugin(
    name="nodecomp-generators",
    node_types=NODE_TYPES,
    version="0.1.0",
    optional=("torch", "diffusers", "transformers", "peft", "accelerate", "safetensors"),
    description=(
        "Diffusion models from local files: Text2Image, Image2Image, Inpaint, tiled Upscale and Outpaint, "
        "with LoRAs and a look bible."
    ),
)
