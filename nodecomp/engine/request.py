"""What a consumer asks of a node: a frame, a region and a proxy scale."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nodecomp.engine.image import Box


@dataclass(frozen=True)
class Request:
    """One pull: `frame` (may be fractional for retimes), `region` (None = everything), `scale`.

    v1 nodes compute their whole data window, but every node receives the request so
    region-of-interest and proxy rendering can come without changing node code.
    """

    frame: float
    region: Box | None = None
    scale: float = 1.0

    def at(self, frame: float) -> Request:
        """The same request at another frame (time nodes)."""
        return replace(self, frame=float(frame))
