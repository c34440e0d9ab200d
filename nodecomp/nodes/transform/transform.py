"""Transform: translate, rotate and scale an image about a centre (Nuke's Transform, 2D)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, Choice, EvalContext, Float, Image, Input, NodeType, Region, Request, Vec2
from nodecomp.nodes.transform.warp import FILTERS, SUPPORT, transformed_window, warp_image, warped_window

# Exact (cos, sin) for quarter turns, so a 90-degree rotation maps pixel centres onto pixel
# centres with no rounding residue (math.cos(pi / 2) is 6e-17, not 0).
_QUARTER_TURNS = {0: (1.0, 0.0), 90: (0.0, 1.0), 180: (-1.0, 0.0), 270: (0.0, -1.0)}


def transform_matrix(
    translate: Sequence[float],
    rotate: float,
    scale: Sequence[float],
    center: Sequence[float],
    *,
    invert: bool = False,
) -> np.ndarray:
    """The 3x3 matrix taking source positions to output positions (EXR coordinates, y down).

    M = T(translate) . T(center) . R(rotate) . S(scale) . T(-center): scale about the centre,
    then rotate about it (degrees, counter-clockwise as seen on screen), then translate.
    With `invert`, M^-1 = T(center) . S(1 / scale) . R(-rotate) . T(-center - translate), built
    factor by factor so whole-pixel and quarter-turn cases stay exact.

    Raises:
        ZeroDivisionError: `invert` with a zero scale.
    """
    degrees = rotate % 360.0
    cos, sin = _QUARTER_TURNS.get(int(degrees), (None, None)) if degrees.is_integer() else (None, None)
    if cos is None:
        cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cx, cy = center
    # y points down, so a counter-clockwise turn on screen is (x, y) -> (x cos + y sin, -x sin + y cos)
    rotation = np.array([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])
    if invert:
        shrink = np.diag([1.0 / scale[0], 1.0 / scale[1], 1.0])
        return _translation(cx, cy) @ shrink @ rotation.T @ _translation(-cx - translate[0], -cy - translate[1])
    grow = np.diag([scale[0], scale[1], 1.0])
    return _translation(cx + translate[0], cy + translate[1]) @ rotation @ grow @ _translation(-cx, -cy)


def _translation(dx: float, dy: float) -> np.ndarray:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def is_identity(params: Mapping[str, Any]) -> bool:
    """True when the params move nothing (any centre, inverted or not)."""
    return tuple(params["translate"]) == (0.0, 0.0) and params["rotate"] % 360.0 == 0.0 and tuple(
        params["scale"]
    ) == (1.0, 1.0)


class Transform(NodeType):
    """Moves, rotates and scales the image about a centre point, resampling with `filter`.

    In EXR coordinates (x right, y down, pixel centres at +0.5), a source position p goes to

        p' = translate + center + R(rotate) S(scale) (p - center)

    where S scales per axis and R turns counter-clockwise as seen on screen. A positive
    translate y moves the image down. `invert` applies the inverse matrix instead (a scale of
    0 cannot be inverted and is an error). By default the centre is the middle of the
    image's format; turn off `center_on_format` to use `center` (in pixels).

    The output data window is the bounding box of the moved data window (grown by the
    filter's reach) clipped to the format. Pixels from outside the data window are black.
    Whole-pixel translations move the data window without resampling; identity settings
    pass the input through. cubic and lanczos can overshoot (values below 0 or above 1
    near sharp edges), as in any compositor. At a proxy scale, translate and center are
    scaled with the image; for a region of interest the input is asked for the region mapped
    back through the transform (everything when it rotates or scales about the format's centre).
    """

    type_id = "nodecomp.Transform"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to transform."),)
    params = (
        Vec2("translate", default=(0.0, 0.0), pixels=True, doc="Offset in pixels (x right, y down)."),
        Float("rotate", default=0.0, slider_min=-180.0, slider_max=180.0,
              doc="Rotation in degrees, counter-clockwise as seen on screen."),
        Vec2("scale", default=(1.0, 1.0), doc="Scale factor per axis about the centre."),
        Vec2("center", default=(0.0, 0.0), pixels=True,
             doc="Pivot of rotate and scale in pixels; used only when center_on_format is off."),
        Bool("center_on_format", default=True,
             doc="Pivot about the middle of the image's format instead of `center`."),
        Choice("filter", default="cubic", choices=FILTERS,
               doc="Resampling filter: nearest (blocky), bilinear (soft), cubic, lanczos (sharpest)."),
        Bool("invert", default=False, doc="Apply the inverse transform (undo a matching Transform)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No translate, rotation or scale: forward the input."""
        return "source" if is_identity(params) else None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """A region of interest maps back through the inverse matrix, grown by the filter's reach.

        When the pivot is the input's format (not known before the input is planned) and the
        transform rotates or scales, the input is asked for everything.
        """
        window = request.window
        moves_only = params["rotate"] % 360.0 == 0.0 and tuple(params["scale"]) == (1.0, 1.0)
        if window is None or (params["center_on_format"] and not moves_only):
            return {"source": request.with_region(None)}
        params = {**params, "center_on_format": False}
        try:
            inverse = np.linalg.inv(_matrix(params, window))
        except (np.linalg.LinAlgError, ZeroDivisionError):
            return {"source": request.with_region(None)}
        reach = math.ceil(SUPPORT[params["filter"]]) + 1
        source = transformed_window(window, inverse).padded(reach)
        return {"source": request.with_region(source.enlarged(request.step))}

    @classmethod
    def region_of_definition(cls, ctx: EvalContext, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Any:
        """The moved bounding box, grown by the filter's reach, clipped to the input's format."""
        source = inputs.get("source")
        if source is None or (params["invert"] and 0.0 in params["scale"]):
            return None
        matrix = _matrix(params, source.display_window)
        return Region(warped_window(source.data_window, matrix, params["filter"], source.display_window),
                      source.display_window)

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        translate: tuple[float, float],
        rotate: float,
        scale: tuple[float, float],
        center: tuple[float, float],
        center_on_format: bool,
        filter: str,
        invert: bool,
    ) -> Image:
        """Resample `source` through the transform matrix."""
        if invert and 0.0 in scale:
            raise ctx.error("cannot invert a transform whose scale is 0", hint="give both scales a non-zero value")
        params = {"translate": translate, "rotate": rotate, "scale": scale, "center": center,
                  "center_on_format": center_on_format, "invert": invert}
        return warp_image(source, _matrix(params, source.display_window), filter, source.display_window)


def _matrix(params: Mapping[str, Any], display: Box) -> np.ndarray:
    """The node's matrix; the pivot is the format's centre when `center_on_format` is on."""
    center = params["center"]
    if params["center_on_format"]:
        center = ((display.x0 + display.x1) / 2, (display.y0 + display.y1) / 2)
    return transform_matrix(params["translate"], params["rotate"], params["scale"], center, invert=params["invert"])
