"""nodecomp-delivery: delivery files for editorial and DI, their checks and an OTIO timeline.

A bundled plugin written against `nodecomp.api` only. It adds the `DeliveryWrite` node (ACES
container EXR and 10-bit log DPX presets, templated names, cut plus handles, timecode and shot
metadata) and, for scripts after a render, `check_range`, `write_manifest`/`verify_manifest`
(md5 or xxhash), `export_otio` and `write_review` (H.264/ProRes proxies with burn-ins and a
slate). See docs/delivery.md.
"""

from nodecomp.api import Plugin
from plugins.delivery.checks import RangeReport, check_range, verify_manifest, write_manifest
from plugins.delivery.delivery_write import DeliveryWrite
from plugins.delivery.naming import DeliveredRange, TemplateError, expand
from plugins.delivery.otio_export import DeliveredShot, build_timeline, export_otio, shot_from_node
from plugins.delivery.presets import PRESETS, PresetName
from plugins.delivery.review import ReviewError, ReviewSettings, write_review

plugin = Plugin(
    name="nodecomp-delivery",
    node_types=(DeliveryWrite,),
    version="0.1.0",
    description="Delivery presets (ACES EXR, log DPX), names, ranges, checksums, OTIO export, review movies.",
)

__all__ = [
    "PRESETS",
    "DeliveredRange",
    "DeliveredShot",
    "DeliveryWrite",
    "PresetName",
    "RangeReport",
    "ReviewError",
    "ReviewSettings",
    "TemplateError",
    "build_timeline",
    "check_range",
    "expand",
    "export_otio",
    "plugin",
    "shot_from_node",
    "verify_manifest",
    "write_manifest",
    "write_review",
]
