"""Pixels between the comp and a diffusion model: colour spaces, sizes and masks.

Diffusion models are trained on display-referred sRGB images in 0..1. Images going in are
converted from the comp's scene-linear working space to the model's space (an OCIO colour
space, sRGB by default) and clipped; images coming out are converted back, so a generated
background sits in the comp like any plate. Premultiplied RGB goes in as it is (a plate over
black). Models work on sizes that are multiples of 8: other sizes are generated at the nearest
such size and resampled to the exact one.
"""

from __future__ import annotations

import cv2
import numpy as np

from nodecomp.api import RGB, Box, EvalContext, Image, conform

SIZE_MULTIPLE = 8
DEFAULT_MODEL_SPACE = "sRGB Encoded Rec.709 (sRGB)"


def generation_size(width: int, height: int) -> tuple[int, int]:
    """The nearest size (width, height) a model accepts: multiples of 8, at least 8."""

    def nearest(value: int) -> int:
        return max(SIZE_MULTIPLE, SIZE_MULTIPLE * round(value / SIZE_MULTIPLE))

    return nearest(width), nearest(height)


def resample(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    """`pixels` (H, W, C) at `width` x `height` (area filter to shrink, cubic to enlarge, clipped to 0..1)."""
    if pixels.shape[1] == width and pixels.shape[0] == height:
        return pixels
    shrink = width * height < pixels.shape[0] * pixels.shape[1]
    out = cv2.resize(pixels, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
    if out.ndim == 2:
        out = out[..., None]
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)


def to_model_rgb(ctx: EvalContext, image: Image, window: Box, model_space: str) -> np.ndarray:
    """The image's RGB over `window` in the model's colour space, clipped to 0..1, (H, W, 3) float32."""
    rgb = conform(image, window, RGB)
    space = image.colorspace or ctx.working_space
    rgb = ctx.colour.convert(rgb, space, model_space, [0, 1, 2])
    return np.clip(rgb, 0.0, 1.0).astype(np.float32, copy=False)


def from_model_rgb(ctx: EvalContext, rgb: np.ndarray, model_space: str) -> np.ndarray:
    """A model's (H, W, 3) output in the working colour space (a new float32 array)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.float32)
    return np.array(ctx.colour.convert(rgb, model_space, ctx.working_space, [0, 1, 2]), dtype=np.float32)


def mask_plane(mask: Image, window: Box) -> np.ndarray:
    """The mask over `window` in 0..1, (H, W): its alpha, its only channel, or the mean of R, G, B.

    Outside the mask's data window the mask is 0 (nothing is regenerated there).
    """
    if "A" in mask.channels:
        names: tuple[str, ...] = ("A",)
    elif len(mask.channels) == 1:
        names = mask.channels
    else:
        names = tuple(c for c in RGB if c in mask.channels) or mask.channels[:1]
    plane = conform(mask, window, names).mean(axis=-1) if len(names) > 1 else conform(mask, window, names)[..., 0]
    return np.clip(plane, 0.0, 1.0).astype(np.float32, copy=False)


def rgba(rgb: np.ndarray, alpha: np.ndarray | float = 1.0) -> np.ndarray:
    """(H, W, 4) float32 from RGB and an alpha plane or constant (RGB is not premultiplied here)."""
    out = np.empty((*rgb.shape[:2], 4), dtype=np.float32)
    out[..., :3] = rgb
    out[..., 3] = alpha
    return out
