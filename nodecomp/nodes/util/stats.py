"""Stats: per-channel min, max, mean and deviation of a region, carried downstream as metadata."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo

from nodecomp.api import Box, Choice, EvalContext, Image, Input, NodeType, Vec2
from nodecomp.nodes.util.mix import on_window
from nodecomp.nodes.util.statsdata import PREFIX

REGIONS = ("data_window", "format", "box")


def measured_region(region: str, image: Image, top_left: tuple[float, float],
                    bottom_right: tuple[float, float]) -> Box:
    """The box statistics are taken over; `box` corners are floored/ceiled to whole pixels."""
    if region == "data_window":
        return image.data_window
    if region == "format":
        return image.display_window
    return Box(math.floor(top_left[0]), math.floor(top_left[1]), math.ceil(bottom_right[0]),
               math.ceil(bottom_right[1]))


def pixel_stats(pixels: np.ndarray) -> dict[str, list[Any]]:
    """ImageBufAlgo.computePixelStats of an (H, W, C) float32 array, as lists per channel."""
    buf = oiio.ImageBuf(np.ascontiguousarray(pixels, dtype=np.float32))
    stats = ImageBufAlgo.computePixelStats(buf)
    if buf.has_error:
        raise RuntimeError(buf.geterror())
    nan = float("nan")
    finite = list(stats.finitecount)
    return {
        "min": [float(v) if n else nan for v, n in zip(stats.min, finite, strict=True)],
        "max": [float(v) if n else nan for v, n in zip(stats.max, finite, strict=True)],
        "mean": [float(v) if n else nan for v, n in zip(stats.avg, finite, strict=True)],
        "stddev": [float(v) if n else nan for v, n in zip(stats.stddev, finite, strict=True)],
        "nan": [int(v) for v in stats.nancount],
        "inf": [int(v) for v in stats.infcount],
    }


class Stats(NodeType):
    """Measures every channel and passes the image on unchanged, with the results in its metadata.

    Over the chosen region (the data window, the format, or a box from `top_left` to
    `bottom_right`), OpenImageIO's ImageBufAlgo.computePixelStats gives per channel the
    minimum, maximum, mean and standard deviation of the finite values, and the number of
    NaN and infinite values. Pixels of the region outside the data window count as 0. The
    results go into the metadata under `stats/` (`stats/channels`, `stats/min`, `stats/max`,
    `stats/mean`, `stats/stddev`, `stats/nan`, `stats/inf`, `stats/region`), one value per
    channel; `nodecomp.nodes.util.statsdata.read_stats(image.metadata)` turns them into
    per-channel records. A one-pixel box samples a pixel. The pixels are shared with the
    input, never copied or changed. A box that ends before it starts is an error.
    """

    type_id = "nodecomp.Stats"
    version = 1
    category = "Utility"
    inputs = (Input("source", doc="The image to measure."),)
    params = (
        Choice("region", default="data_window", choices=REGIONS,
               doc="Measure the data window, the format, or the box below."),
        Vec2("top_left", default=(0.0, 0.0), doc="Box start (x0, y0) in pixels, for region box."),
        Vec2("bottom_right", default=(1.0, 1.0), doc="Box end (x1, y1) in pixels, exclusive, for region box."),
    )

    @staticmethod
    def compute(ctx: EvalContext, source: Image, region: str, top_left: tuple[float, float],
                bottom_right: tuple[float, float]) -> Image:
        """Measure, then return the input's pixels with the statistics added to the metadata."""
        box = measured_region(region, source, top_left, bottom_right)
        if box.x1 < box.x0 or box.y1 < box.y0:
            raise ctx.error(f"the stats box ends before it starts ({top_left} to {bottom_right})",
                            hint="make bottom_right at least top_left on both axes")
        if box.is_empty or not source.channels:
            raise ctx.error(f"the region {box.as_tuple()} holds no pixel to measure",
                            hint="pick a non-empty region or connect a non-empty image")
        pixels = on_window(source, box, source.channels)
        try:
            results = pixel_stats(pixels)
        except RuntimeError as exc:
            raise ctx.error(f"ImageBufAlgo.computePixelStats failed: {exc}") from None
        metadata = dict(source.metadata)
        metadata[PREFIX + "channels"] = list(source.channels)
        metadata.update({PREFIX + key: values for key, values in results.items()})
        metadata[PREFIX + "region"] = list(box.as_tuple())
        return source.replace(metadata=metadata)
