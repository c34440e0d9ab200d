"""The node input as the wall canvas: exactly the canvas size, or stretched to it on request.

LED content must match the wall pixel for pixel, so by default an input whose format is not
the canvas size is an error that says which size to reformat to; `stretch` resamples the
format (area filter when shrinking) for quick looks. Pixels outside the input's data window
are black.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

from nodecomp.api import RGB, Box, EvalContext, Image, conform


class Fit(StrEnum):
    """How the input meets the canvas."""

    EXACT = "exact"
    STRETCH = "stretch"


def canvas_rgb(ctx: EvalContext, image: Image, width: int, height: int, fit: str) -> tuple[np.ndarray, list[int]]:
    """(pixels, rgb channel indices): an (H, W, C) float32 array of canvas size and where R, G, B are in it.

    The array may be the input's own (read-only) pixels when nothing needs changing.

    Raises:
        EvaluationError: the input's format is not the canvas size and `fit` is exact.
    """
    format_box = image.display_window
    if (format_box.width, format_box.height) != (width, height) and Fit(fit) is Fit.EXACT:
        raise ctx.error(
            f"the input is {format_box.width}x{format_box.height} but the wall canvas is {width}x{height}",
            hint=f"reformat the input to {width}x{height}, or set fit to stretch",
        )
    rgb_present = image.has(*RGB)
    if Fit(fit) is Fit.EXACT or (format_box.width, format_box.height) == (width, height):
        origin = Box(format_box.x0, format_box.y0, format_box.x0 + width, format_box.y0 + height)
        if image.data_window == origin and rgb_present and isinstance(image.pixels, np.ndarray):
            return image.pixels, [image.index(c) for c in RGB]
        return conform(image, origin, RGB), [0, 1, 2]
    pixels = conform(image, format_box, RGB)
    shrinking = width * height < format_box.width * format_box.height
    resized = cv2.resize(pixels, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
    return resized, [0, 1, 2]
