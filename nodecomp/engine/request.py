"""What a consumer asks of a node: a frame, a region of interest and a proxy scale.

The contract (docs/architecture.md, "Requests"): `region` is a box in full-resolution pixel
coordinates meaning "only these pixels are needed"; `scale` is 1/n for a whole n and means
"the image at 1/n resolution": proxy pixel (i, j) is the mean of the n x n full-resolution
pixels [i*n, (i+1)*n) x [j*n, (j+1)*n), and the data and display windows are reduced the same
way (`Box.reduced`). The region is snapped outward to whole proxy pixels when the request is
made, so a crop of the reduced image and the reduction of a crop are the same pixels and two
regions that snap alike share cache entries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nodecomp.engine.image import Box

MAX_PROXY_STEP = 64


def proxy_step(scale: float) -> int:
    """The whole n of a proxy scale 1/n (1 for full resolution).

    Raises:
        ValueError: the scale is not 1/n for a whole n between 1 and MAX_PROXY_STEP.
    """
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0.0 < scale <= 1.0:
        raise ValueError(f"proxy scale must be 1, 1/2, 1/3, ... 1/{MAX_PROXY_STEP}; got {scale!r}")
    step = round(1.0 / scale)
    if abs(1.0 / scale - step) > 1e-6 * step or step > MAX_PROXY_STEP:
        raise ValueError(f"proxy scale must be 1, 1/2, 1/3, ... 1/{MAX_PROXY_STEP}; got {scale!r}")
    return step


@dataclass(frozen=True)
class Request:
    """One pull: `frame` (may be fractional for retimes), `region` (None = everything), `scale` (1/n).

    Node types that do not declare `supports_region` / `supports_scale` never see a region or
    a proxy scale: the evaluator computes them at full resolution and crops and reduces their
    result. Those that do receive the request as it is (see `NodeType`).
    """

    frame: float
    region: Box | None = None
    scale: float = 1.0

    def __post_init__(self) -> None:
        step = proxy_step(self.scale)
        object.__setattr__(self, "scale", 1.0 / step)
        if self.region is not None:
            object.__setattr__(self, "region", self.region.aligned(step))

    @property
    def step(self) -> int:
        """Full-resolution pixels per proxy pixel along each axis (1 / scale)."""
        return round(1.0 / self.scale)

    @property
    def window(self) -> Box | None:
        """The region in the result's own (proxy) pixel coordinates; None when everything is wanted."""
        return None if self.region is None else self.region.reduced(self.step)

    @property
    def is_full(self) -> bool:
        """True for the whole image at full resolution."""
        return self.region is None and self.scale == 1.0

    def at(self, frame: float) -> Request:
        """The same request at another frame (time nodes)."""
        return replace(self, frame=float(frame))

    def with_region(self, region: Box | None) -> Request:
        """The same request for another region (full-resolution pixels; None = everything)."""
        return replace(self, region=region)

    def grown(self, dx: int, dy: int | None = None) -> Request:
        """The request with its region grown by `dx` columns and `dy` rows *at the request's scale*.

        What a spatial node asks of its input: a blur of radius r proxy pixels needs r more
        proxy pixels on each side. A request for everything stays one.
        """
        if self.region is None:
            return self
        dy = dx if dy is None else dy
        return replace(self, region=self.region.padded(dx * self.step, dy * self.step))
