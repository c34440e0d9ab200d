"""Farm rendering on Dask distributed: the same render job, split into frame chunks.

`FarmJob` sends the document's JSON to the workers, one Dask task per chunk of frames;
`farm_client` connects to an embedded LocalCluster (127.0.0.1 only) or a running scheduler.
Workers import this package themselves, so task functions live in `task`, never in `__main__`.
See docs/farm.md.
"""

from nodecomp.engine.farm.cluster import LOCAL, FarmError, check_farm, farm_client
from nodecomp.engine.farm.job import FarmJob, FarmResult, split_chunks
from nodecomp.engine.farm.pathmap import PathMap, PathMapError, PathRule
from nodecomp.engine.farm.progress import FarmProgress, FrameEvent, WorkerTally
from nodecomp.engine.farm.task import FrameState

__all__ = [
    "LOCAL",
    "FarmError",
    "FarmJob",
    "FarmProgress",
    "FarmResult",
    "FrameEvent",
    "FrameState",
    "PathMap",
    "PathMapError",
    "PathRule",
    "WorkerTally",
    "check_farm",
    "farm_client",
    "split_chunks",
]
