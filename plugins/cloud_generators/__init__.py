"""Cloud generators: hosted image and video models as nodes, every result cached beside the comp.

A bundled plugin written against `nodecomp.api` only. `RunwayGenerate` (Runway's official
`runwayml` SDK) and `KlingGenerate` (Kling hosted by fal.ai, through `fal-client`) submit a
task, poll it with back-off, download the result once into `media/generated/` under its
content hash and serve it as frames; `ImportGenerated` brings in downloads from services with
no public API (Midjourney). Keys come from environment variables or the OS keyring, never from
the comp. `nodecomp cloud check` tests an account. See docs/cloud-generators.md.

The service SDKs, PyAV and keyring are imported only when a node or command needs them.
"""

from nodecomp.api import Plugin
from plugins.cloud_generators.import_generated import ImportGenerated
from plugins.cloud_generators.kling_generate import KlingGenerate
from plugins.cloud_generators.runway_generate import RunwayGenerate

NODE_TYPES = (RunwayGenerate, KlingGenerate, ImportGenerated)

plugin = Plugin(
    name="nodecomp-cloud-generators",
    node_types=NODE_TYPES,
    version="0.1.0",
    description="Runway and Kling generations as nodes, cached in the comp's media folder; ImportGenerated.",
    optional=("runwayml", "fal_client", "httpx", "keyring", "av"),
)

__all__ = ["NODE_TYPES", "ImportGenerated", "KlingGenerate", "RunwayGenerate", "plugin"]
