"""HueCorrect: saturation, luminance and R/G/B gains as curves over hue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import Choice, EvalContext, Float, Image, Input, NodeType, String
from nodecomp.nodes.color import hue_curves, luma
from nodecomp.nodes.color.affine import main_rgb

CURVES = ("saturation", "luminance", "red", "green", "blue")
_STRIP_PIXELS = 1 << 16


def hue_and_weight(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """HSV hue in degrees [0, 360) and HSV saturation clipped to [0, 1] (the curve's strength).

    Hue follows the HSV hexcone (red 0, yellow 60, green 120, cyan 180, blue 240, magenta 300),
    as `cv2.cvtColor(..., COLOR_RGB2HSV)` gives it for float images. Greys (no chroma) get hue
    0 and weight 0; colours whose maximum is not positive get weight 0.
    """
    high = np.maximum(np.maximum(r, g), b)
    low = np.minimum(np.minimum(r, g), b)
    chroma = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(chroma > 0, np.float32(60.0) / chroma, np.float32(0.0))
        hue = np.where(high == r, (g - b) * inverse,
                       np.where(high == g, (b - r) * inverse + np.float32(120.0),
                                (r - g) * inverse + np.float32(240.0)))
        hue = np.where(hue < 0, hue + np.float32(360.0), hue)
        hue = np.where(np.isfinite(hue), hue, np.float32(0.0))
        weight = np.where(high > 0, chroma / high, np.float32(0.0))
    return hue.astype(np.float32), np.clip(weight, 0.0, 1.0).astype(np.float32)


def hue_correct_pixels(pixels: np.ndarray, rgb: list[int], tables: dict[str, np.ndarray], mode: str,
                       mix: float = 1.0) -> np.ndarray:
    """Apply hue curves to the `rgb` channels of (H, W, C) float32 pixels, into a new array.

    Per pixel, with h the hue, w the HSV saturation (0 for greys, 1 for pure colours) and each
    curve's gain k(h) = 1 + (curve(h) - 1) * w:

        c = luma + k_sat(h) * (c - luma)              (luma from `mode`)
        c = c * k_lum(h)
        R = R * k_red(h);  G = G * k_green(h);  B = B * k_blue(h)
        out = in + (out - in) * mix

    Only curves present in `tables` (sampled with `hue_curves.sample`) are applied.
    """
    out = np.array(pixels, dtype=np.float32, copy=True, order="C")
    height, width, _ = out.shape
    if out.size == 0 or not tables:
        return out
    rows = max(1, _STRIP_PIXELS // width)
    with np.errstate(invalid="ignore", over="ignore"):
        for y in range(0, height, rows):
            strip = out[y:y + rows]
            planes = [np.array(strip[..., c]) for c in rgb]
            original = [p.copy() for p in planes] if mix != 1.0 else None
            hue, weight = hue_and_weight(*planes)

            def gain(name: str, hue: np.ndarray = hue, weight: np.ndarray = weight) -> np.ndarray:
                k = hue_curves.lookup(tables[name], hue)
                k -= np.float32(1.0)
                k *= weight
                k += np.float32(1.0)
                return k

            if "saturation" in tables:
                k = gain("saturation")
                grey = luma.luminance(np.stack(planes, axis=-1), mode)
                for plane in planes:
                    plane -= grey
                    plane *= k
                    plane += grey
            if "luminance" in tables:
                k = gain("luminance")
                for plane in planes:
                    plane *= k
            for plane, name in zip(planes, ("red", "green", "blue"), strict=True):
                if name in tables:
                    plane *= gain(name)
            if original is not None:
                for plane, before in zip(planes, original, strict=True):
                    plane -= before
                    plane *= np.float32(mix)
                    plane += before
            for c, plane in zip(rgb, planes, strict=True):
                strip[..., c] = plane
    return out


class HueCorrect(NodeType):
    """Nuke-style HueCorrect: per-hue curves for saturation, luminance and R, G, B gains.

    Each curve is a string of hue:value points, hue in degrees (red 0, yellow 60, green 120,
    cyan 180, blue 240, magenta 300), value a gain (1 = unchanged), e.g. `"0:1 120:1.5 240:1"`
    boosts greens. Curves are periodic and interpolated smoothly (Catmull-Rom) or linearly;
    an empty curve is flat at 1. The string is stored as typed, so it round-trips through
    `.ncomp` and diffs as one line.

    Per pixel, with h its HSV hue and w its HSV saturation (0 for greys, 1 for pure colours),
    each curve gives k(h) = 1 + (curve(h) - 1) * w, so greys never change and nearly grey
    pixels change little (no noise from their unstable hue):

        c = luma + k_saturation(h) * (c - luma)
        c = c * k_luminance(h)
        R = R * k_red(h);  G = G * k_green(h);  B = B * k_blue(h)
        out = in + (out - in) * mix

    Hue and saturation do not change when a colour is scaled, so premultiplied pixels are
    corrected as they come. Only the main R, G, B change; an image without all three is
    returned unchanged. A malformed curve is an error naming the param.
    """

    type_id = "nodecomp.HueCorrect"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to correct."),)
    params = (
        String("saturation", default="", doc="Saturation gain by hue, as hue:value points (e.g. 0:1 120:0.5)."),
        String("luminance", default="", doc="Brightness gain by hue, as hue:value points."),
        String("red", default="", doc="Red gain by hue, as hue:value points."),
        String("green", default="", doc="Green gain by hue, as hue:value points."),
        String("blue", default="", doc="Blue gain by hue, as hue:value points."),
        Choice("interpolation", default=hue_curves.SMOOTH, choices=hue_curves.INTERPOLATIONS,
               doc="Between points: smooth (periodic Catmull-Rom) or linear."),
        Choice("luminance_math", default="acescg", choices=luma.CHOICES, doc=luma.DOC),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Flat curves (or mix 0) change nothing; a malformed curve is reported by compute."""
        if params["mix"] == 0.0:
            return "source"
        try:
            flat = all(hue_curves.is_flat_one(hue_curves.parse(params[name])) for name in CURVES)
        except hue_curves.CurveSyntaxError:
            return None
        return "source" if flat else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, saturation: str, luminance: str, red: str, green: str,
                blue: str, interpolation: str, luminance_math: str, mix: float) -> Image:
        """Apply the curves to the main R, G, B."""
        texts = {"saturation": saturation, "luminance": luminance, "red": red, "green": green, "blue": blue}
        tables: dict[str, np.ndarray] = {}
        for name, text in texts.items():
            try:
                points = hue_curves.parse(text)
            except hue_curves.CurveSyntaxError as exc:
                raise ctx.error(f"{name}: {exc}", hint="write hue:value pairs separated by spaces") from None
            if not hue_curves.is_flat_one(points):
                tables[name] = hue_curves.sample(points, interpolation).astype(np.float32)
        rgb = main_rgb(source.channels)
        if rgb is None or not tables:
            return source
        return source.with_pixels(hue_correct_pixels(source.pixels, rgb, tables, luminance_math, mix))
