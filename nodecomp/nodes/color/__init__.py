"""color nodes."""

from nodecomp.api import NodeType
from nodecomp.nodes.color.clamp import Clamp
from nodecomp.nodes.color.color_correct import ColorCorrect
from nodecomp.nodes.color.color_matrix import ColorMatrix
from nodecomp.nodes.color.exposure import Exposure
from nodecomp.nodes.color.grade import Grade
from nodecomp.nodes.color.hue_correct import HueCorrect
from nodecomp.nodes.color.hue_shift import HueShift
from nodecomp.nodes.color.invert import Invert
from nodecomp.nodes.color.ocio_colorspace import OCIOColorSpace
from nodecomp.nodes.color.ocio_display import OCIODisplay
from nodecomp.nodes.color.ocio_file_transform import OCIOFileTransform
from nodecomp.nodes.color.premult import Premult, Unpremult
from nodecomp.nodes.color.saturation import Saturation

NODE_TYPES: list[type[NodeType]] = [
    Grade,
    ColorCorrect,
    Saturation,
    HueShift,
    Exposure,
    Clamp,
    Invert,
    ColorMatrix,
    OCIOColorSpace,
    OCIODisplay,
    OCIOFileTransform,
    Premult,
    Unpremult,
    HueCorrect,
]
