"""Reading the statistics a Stats node leaves in an image's metadata.

Plain data only: this works on any metadata mapping (an evaluated image's, a viewer's, one
loaded from JSON), with no engine object involved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "stats/"
KEYS = ("channels", "min", "max", "mean", "stddev", "nan", "inf", "region")


@dataclass(frozen=True)
class ChannelStats:
    """Statistics of one channel over the measured region.

    min, max, mean and stddev are over the finite values only; `nan` and `inf` count the
    pixels left out (NaN, +inf or -inf). With no finite value at all, the four are NaN.
    """

    min: float
    max: float
    mean: float
    stddev: float
    nan: int
    inf: int


def read_stats(metadata: Mapping[str, Any]) -> dict[str, ChannelStats]:
    """The per-channel statistics stored by a Stats node, keyed by channel name.

    Raises:
        KeyError: the metadata holds no (or incomplete) statistics.
    """
    missing = [PREFIX + key for key in KEYS if PREFIX + key not in metadata]
    if missing:
        raise KeyError(f"no Stats results in this metadata (missing {', '.join(missing)})")
    channels = metadata[PREFIX + "channels"]
    columns = [metadata[PREFIX + key] for key in ("min", "max", "mean", "stddev", "nan", "inf")]
    return {
        name: ChannelStats(float(lo), float(hi), float(mean), float(dev), int(nans), int(infs))
        for name, lo, hi, mean, dev, nans, infs in zip(channels, *columns, strict=True)
    }


def stats_region(metadata: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """The (x0, y0, x1, y1) box the statistics were measured over."""
    return tuple(metadata[PREFIX + "region"])  # type: ignore[return-value]
