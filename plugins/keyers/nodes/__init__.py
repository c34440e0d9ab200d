"""The keyer node types (declarations and compute; the maths lives one package up)."""

from plugins.keyers.nodes.ai_matte import AIMatte
from plugins.keyers.nodes.chroma_keyer import ChromaKeyer
from plugins.keyers.nodes.clean_plate import CleanPlate
from plugins.keyers.nodes.despill import Despill
from plugins.keyers.nodes.difference_keyer import DifferenceKeyer
from plugins.keyers.nodes.luma_keyer import LumaKeyer
from plugins.keyers.nodes.matte_tools import ChokeGrow, MatteCombine

NODE_TYPES = (DifferenceKeyer, CleanPlate, ChromaKeyer, LumaKeyer, Despill, ChokeGrow, MatteCombine,
              AIMatte)

__all__ = [
    "NODE_TYPES",
    "AIMatte",
    "ChokeGrow",
    "ChromaKeyer",
    "CleanPlate",
    "Despill",
    "DifferenceKeyer",
    "LumaKeyer",
    "MatteCombine",
]
