"""LED-wall export: a comp leaves nodecomp at the wall's pixel geometry, sliced per processor, in its encoding.

A bundled plugin written against `nodecomp.api` only. It reads a wall definition (panels,
walls, processors, raster maps, cabling, colour, timing; see docs/led-wall.md), plans which
processor, raster position, port and chain position every cabinet gets, and exports frames
as processor rasters and cabinet tiles, plus maps, an overlay, test patterns, a mesh and a
report. Nodes: `LEDWallExport` and `LEDWallPreview`; command line: `nodecomp led plan` and
`nodecomp led export`.
"""

from nodecomp.api import Plugin
from plugins.led_wall.export_node import LEDWallExport
from plugins.led_wall.preview_node import LEDWallPreview

NODE_TYPES = (LEDWallExport, LEDWallPreview)

plugin = Plugin(
    name="nodecomp-led-wall",
    node_types=NODE_TYPES,
    version="0.1.0",
    requires=("numpy", "cv2", "OpenImageIO", "PyOpenColorIO"),
    optional=("yaml",),  # YAML wall files
    description="LED-wall export: processor rasters, cabinet tiles, pixel maps and PQ output",
)

__all__ = ["NODE_TYPES", "LEDWallExport", "LEDWallPreview", "plugin"]
