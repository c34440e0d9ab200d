"""DifferenceKeyer: the colour-difference screen keyer (Keylight/IBK style)."""

from __future__ import annotations

import numpy as np

from nodecomp.api import (
    Bool,
    Choice,
    Color,
    EvalContext,
    Float,
    Image,
    Input,
    Int,
    NodeType,
    Vec2,
    conform,
)
from plugins.keyers.choices import ScreenMode, View, values
from plugins.keyers.difference import KeySettings, key, unmix
from plugins.keyers.images import assemble, matte_plane, rgb_planes
from plugins.keyers.screen import auto_screen_colour, difference, primary_channel
from plugins.keyers.spill import SpillMethod
from plugins.keyers.spill import despill as suppress_spill

_NO_DESPILL = "none"
_CORE_FILL = np.array([0.45, 0.7, 1.0], np.float32)  # status colour: made opaque by the core matte only


def screen_colour(ctx: EvalContext, rgb: np.ndarray, mode: str, picked: tuple[float, ...],
                  region_min: tuple[float, float], region_max: tuple[float, float],
                  balance: float) -> np.ndarray:
    """The screen colour for this frame: picked, or estimated from the region; checked to be a screen."""
    if mode == ScreenMode.AUTO:
        colour = np.asarray(auto_screen_colour(rgb, (*region_min, *region_max)), np.float32)
    else:
        colour = np.asarray(picked[:3], np.float32)
    if float(difference(colour, primary_channel(colour), balance)) <= 1e-4:
        raise ctx.error(
            f"the screen colour ({', '.join(f'{c:.3g}' for c in colour)}) is not a screen colour: "
            "its strongest channel does not stand out from the other two",
            hint="pick the screen colour on the screen, or set the auto region on a part of the screen",
        )
    return colour


class DifferenceKeyer(NodeType):
    """Pulls a matte from a green or blue screen by colour difference, with core and edge mattes.

    With d(c) = P - (balance * O1 + (1 - balance) * O2), P the screen's dominant channel and O1,
    O2 the other two in R, G, B order, S the screen (the screen colour, or the clean plate's
    pixel) and I the plate:

        raw   = 1 - screen_gain * d(I) / d(S)
        edge  = clamp((raw - clip_black) / (clip_white - clip_black), 0, 1)
        core  = erode(clamp((raw - core_black) / (core_white - core_black), 0, 1), core_shrink)
        alpha = max(edge, core, inside_mask) * (1 - outside_mask)
        colour = despill(I - (1 - alpha) * S)       # premultiplied; screen removed, then spill

    The screen colour is picked, or estimated every frame from a region (the median of the most
    screen-like quarter of its pixels). A clean plate (the screen without the performer, from a
    CleanPlate node or a shot plate) makes the key follow uneven screen lighting. The plate's own
    alpha is ignored; other layers are copied. Views: final (premultiplied result), comp (over the
    background input, or over black), matte, status (black transparent, white opaque, grey in
    between, blue where only the core matte made a pixel opaque) and unpremultiplied colour.
    With matte_channels, the edge and core mattes are added as `matte.edge` and `matte.core`.
    """

    type_id = "keyers.DifferenceKeyer"
    version = 1
    category = "Keyer"
    inputs = (
        Input("source", doc="The green- or blue-screen plate (scene-linear)."),
        Input("clean_plate", optional=True, doc="The screen without the performer; its RGB is the per-pixel screen."),
        Input("background", optional=True, doc="What the comp view composites the key over."),
        Input("inside_mask", optional=True, doc="Alpha forced opaque where this matte is 1 (a holdout)."),
        Input("outside_mask", optional=True, doc="Alpha forced transparent where this matte is 1 (a garbage matte)."),
    )
    params = (
        Choice("screen_mode", choices=values(ScreenMode),
               doc="auto: estimate the screen colour in the region each frame; picked: use screen_color."),
        Color("screen_color", default=(0.07, 0.40, 0.10, 1.0), min=0.0,
              doc="The screen colour (scene-linear RGB; alpha unused) when screen_mode is picked."),
        Vec2("region_min", default=(0.0, 0.0), min=0.0, max=1.0,
             doc="Top-left corner of the auto region, in fractions of the plate's width and height."),
        Vec2("region_max", default=(1.0, 1.0), min=0.0, max=1.0,
             doc="Bottom-right corner of the auto region, in fractions of the plate's width and height."),
        Float("screen_gain", default=1.0, min=0.0, slider_max=2.0,
              doc="Scales the colour difference: above 1 more of the frame becomes transparent."),
        Float("screen_balance", default=0.5, min=0.0, max=1.0,
              doc="Weight of red (vs. the third channel) in the difference; tune for costume colours."),
        Float("clip_black", default=0.05, min=0.0, max=1.0,
              doc="Raw matte values below this become 0 (cleans grain and uneven screen)."),
        Float("clip_white", default=0.9, min=0.0, max=1.0,
              doc="Raw matte values above this become 1 (firms up the performer)."),
        Bool("core_matte", default=True, doc="Combine a harder, shrunk core matte to fill holes in the performer."),
        Float("core_black", default=0.4, min=0.0, max=1.0, doc="Clip black of the core matte."),
        Float("core_white", default=0.7, min=0.0, max=1.0, doc="Clip white of the core matte."),
        Int("core_shrink", default=2, min=0, max=100, doc="Pixels the core matte is eroded away from the edges."),
        Choice("despill", choices=(*values(SpillMethod), _NO_DESPILL),
               doc="Spill suppression: average, double (red-weighted), limit (gentlest), minimum (strongest), none."),
        Float("despill_amount", default=1.0, min=0.0, max=2.0, doc="Fraction of the spill removed."),
        Float("luma_restore", default=0.0, min=0.0, max=1.0,
              doc="Fraction of the luminance removed by despill added back as grey."),
        Choice("view", choices=values(View), doc="final, comp, matte, status or unpremultiplied."),
        Bool("matte_channels", default=False, doc="Also output the edge and core mattes as matte.edge and matte.core."),
    )

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        clean_plate: Image | None,
        background: Image | None,
        inside_mask: Image | None,
        outside_mask: Image | None,
        screen_mode: str,
        screen_color: tuple[float, ...],
        region_min: tuple[float, float],
        region_max: tuple[float, float],
        screen_gain: float,
        screen_balance: float,
        clip_black: float,
        clip_white: float,
        core_matte: bool,
        core_black: float,
        core_white: float,
        core_shrink: int,
        despill: str,
        despill_amount: float,
        luma_restore: float,
        view: str,
        matte_channels: bool,
    ) -> Image:
        """Key the plate and build the chosen view."""
        window = source.data_window
        rgb = rgb_planes(source)
        nominal = screen_colour(ctx, rgb, screen_mode, screen_color, region_min, region_max, screen_balance)
        screen = rgb_planes(clean_plate, window) if clean_plate is not None else nominal
        settings = KeySettings(balance=screen_balance, gain=screen_gain, clip_black=clip_black,
                               clip_white=clip_white, core=core_matte, core_black=core_black,
                               core_white=core_white, core_shrink=core_shrink)
        result = key(rgb, screen, settings, screen_colour=nominal)
        alpha = result.alpha
        try:
            if inside_mask is not None:
                alpha = np.maximum(alpha, np.clip(matte_plane(inside_mask, window), 0.0, 1.0))
            if outside_mask is not None:
                alpha = alpha * (1.0 - np.clip(matte_plane(outside_mask, window), 0.0, 1.0))
        except ValueError as exc:
            raise ctx.error(str(exc), hint="connect an image with an alpha, or a one-channel matte") from None
        ctx.check_cancelled()
        extra = {}
        if matte_channels:
            core = result.core if result.core is not None else np.zeros_like(alpha)
            extra = {"matte.edge": result.edge, "matte.core": core}
        if view == View.MATTE:
            return assemble(source, np.repeat(alpha[..., None], 3, axis=2), alpha, extra)
        if view == View.STATUS:
            return assemble(source, _status(alpha, result.edge), np.ones_like(alpha), extra)
        colour = unmix(rgb, alpha, screen)
        if despill != _NO_DESPILL:
            colour, _ = suppress_spill(colour, primary_channel(nominal), despill, amount=despill_amount,
                                       luma_restore=luma_restore)
        if view == View.UNPREMULTIPLIED:
            colour = np.divide(colour, alpha[..., None], out=np.zeros_like(colour), where=alpha[..., None] > 0)
        elif view == View.COMP:
            under = conform(background, window, ("R", "G", "B", "A")) if background is not None else None
            return _over(source, colour, alpha, under, extra)
        return assemble(source, colour, alpha, extra)


def _status(alpha: np.ndarray, edge: np.ndarray) -> np.ndarray:
    status = np.full(alpha.shape + (3,), 0.5, np.float32)
    status[alpha <= 0.0] = 0.0
    status[alpha >= 1.0] = 1.0
    status[(alpha >= 1.0) & (edge < 1.0)] = _CORE_FILL
    return status


def _over(source: Image, colour: np.ndarray, alpha: np.ndarray, under: np.ndarray | None,
          extra: dict[str, np.ndarray]) -> Image:
    if under is None:
        return assemble(source, colour, np.ones_like(alpha), extra)
    share = (1.0 - alpha)[..., None]
    return assemble(source, colour + under[..., :3] * share, alpha + under[..., 3] * share[..., 0], extra)
