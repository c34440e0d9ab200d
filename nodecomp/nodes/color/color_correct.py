"""ColorCorrect: saturation, contrast, gamma, gain and offset for master, shadows, midtones, highlights."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodecomp.api import Bool, Choice, EvalContext, Float, Image, Input, NodeType, ParamSpec, Vec3
from nodecomp.nodes.color import luma
from nodecomp.nodes.color.affine import main_rgb
from nodecomp.nodes.color.correcting import Adjustment, Ranges, color_correct_pixels

RANGES = ("master", "shadows", "midtones", "highlights")
CONTROLS = {
    "saturation": (1.0, "Colourfulness around the luminance: 0 grey, 1 unchanged."),
    "contrast": (1.0, "Power around 0.18 mid-grey: (in / 0.18) ** contrast * 0.18."),
    "gamma": (1.0, "in ** (1 / gamma) on positive values; above 1 brightens."),
    "gain": (1.0, "Multiplies."),
    "offset": (0.0, "Adds."),
}


def _control_params() -> tuple[ParamSpec, ...]:
    specs: list[ParamSpec] = []
    for tonal in RANGES:
        where = "every pixel, after the ranges" if tonal == "master" else f"the {tonal}"
        for control, (default, doc) in CONTROLS.items():
            specs.append(Vec3(f"{tonal}_{control}", default=(default,) * 3,
                              min=0.01 if control == "gamma" else None,
                              doc=f"{doc} R, G, B values; applies to {where}."))
    return tuple(specs)


def adjustment(params: Mapping[str, Any], tonal: str) -> Adjustment:
    """The five controls of one range from the node's params."""
    return Adjustment(**{control: tuple(params[f"{tonal}_{control}"]) for control in CONTROLS})


class ColorCorrect(NodeType):
    """Nuke's ColorCorrect: five controls for the whole image and for each tonal range.

    Each range (master, shadows, midtones, highlights) has saturation, contrast, gamma, gain
    and offset, each with R, G, B values, applied in that order:

        c = luma + saturation * (c - luma)
        c = (c / 0.18) ** contrast * 0.18          where c > 0
        c = c ** (1 / gamma)                       where c > 0
        c = c * gain + offset

    With Lum the input's luminance and ws, wm, wh the range weights (ws falls smoothly from
    1 at Lum <= 0 to 0 at `shadows_end`; wh rises smoothly from 0 at `highlights_start` to
    1 at `highlights_end`; wm = 1 - ws - wh; the defaults are Nuke's range curves):

        out = master(ws * shadows(in) + wm * midtones(in) + wh * highlights(in))
        out = in + (out - in) * mix

    Only R, G, B of the main layer change (an image without all three is returned
    unchanged). `unpremultiply` divides colour by alpha first (where alpha is not 0) and
    multiplies back after, so contrast and gamma act on the colour rather than on soft edges.
    Negative values skip contrast and gamma; NaN stays NaN. Identity settings pass through.
    """

    type_id = "nodecomp.ColorCorrect"
    version = 1
    category = "Color"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to correct."),)
    params = (
        *_control_params(),
        Float("shadows_end", default=0.09, min=0.0,
              doc="Luminance where the shadows' weight has fallen to 0 (it is 1 at 0)."),
        Float("highlights_start", default=0.5, doc="Luminance where the highlights' weight starts to rise from 0."),
        Float("highlights_end", default=1.0, doc="Luminance where the highlights' weight reaches 1."),
        Choice("luminance_math", default="acescg", choices=luma.CHOICES, doc=luma.DOC),
        Bool("unpremultiply", default=False,
             doc="Divide colour by alpha before correcting and multiply after (for premultiplied plates)."),
        Float("mix", default=1.0, min=0.0, max=1.0, doc="Blend between the input (0) and the full effect (1)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Identity controls in every range, or mix 0, change nothing."""
        neutral = all(adjustment(params, tonal).is_identity for tonal in RANGES)
        return "source" if neutral or params["mix"] == 0.0 else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, **params: Any) -> Image:
        """Correct the main R, G, B."""
        rgb = main_rgb(source.channels)
        if rgb is None:
            return source
        if params["highlights_end"] < params["highlights_start"]:
            raise ctx.error(
                f"highlights_end {params['highlights_end']:g} is below highlights_start "
                f"{params['highlights_start']:g}",
                hint="raise highlights_end",
            )
        alpha = source.alpha_index() if params["unpremultiply"] else None
        pixels = color_correct_pixels(
            source.pixels, rgb, adjustment(params, "master"),
            (adjustment(params, "shadows"), adjustment(params, "midtones"), adjustment(params, "highlights")),
            ranges=Ranges(params["shadows_end"], params["highlights_start"], params["highlights_end"]),
            mode=params["luminance_math"], alpha=alpha, mix=params["mix"],
        )
        return source.with_pixels(pixels)
