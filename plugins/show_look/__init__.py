"""nodecomp-show-look: learn a show's look from before/after frames, apply it anywhere, export it as a LUT.

A bundled plugin written against `nodecomp.api` only. Importing it never imports torch: training
(the LookTrain node's Train action, `plugins.show_look.training.train_look`, `nodecomp
train-look`) imports it when it runs, and LookApply runs in numpy where torch is missing.
"""

from nodecomp.api import Plugin
from plugins.show_look.look_apply import LookApply
from plugins.show_look.look_to_lut import LookToLUT
from plugins.show_look.look_train import LookTrain

NODE_TYPES = (LookTrain, LookApply, LookToLUT)

plugin = Plugin(
    name="nodecomp-show-look",
    node_types=NODE_TYPES,
    version="0.1.0",
    optional=("torch", "safetensors"),
    description="Learn a show's look from before/after frames, apply it to any image, export it as a 3D LUT.",
)
