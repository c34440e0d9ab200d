"""CornerPin: map four source points onto four destination points (a 2D perspective warp)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nodecomp.api import Bool, Box, Choice, EvalContext, Image, Input, NodeType, Request, Vec2
from nodecomp.nodes.transform.perspective import normalised, perspective_window, warp_homography
from nodecomp.nodes.transform.warp import FILTERS, SUPPORT

# Defaults are the HD_1080 corners (the document's default format), in pin order.
_HD_CORNERS = ((0.0, 0.0), (1920.0, 0.0), (1920.0, 1080.0), (0.0, 1080.0))
_CORNER_NAMES = ("top-left", "top-right", "bottom-right", "bottom-left")


def pin_matrix(source_points: Sequence[Sequence[float]], target_points: Sequence[Sequence[float]]) -> np.ndarray:
    """The 3x3 homography H (H[2, 2] = 1) taking the four `source_points` onto `target_points`.

    The 8x8 system OpenCV's getPerspectiveTransform solves, solved here in float64 because
    OpenCV only takes float32 points (sub-pixel pins far from the origin would lose ~1e-4 px).

    Raises:
        ValueError: three of the points of either set are on one line (no homography exists).
    """
    src = np.asarray(source_points, dtype=np.float64).reshape(4, 2)
    dst = np.asarray(target_points, dtype=np.float64).reshape(4, 2)
    for points, which in ((src, "from"), (dst, "to")):
        if _degenerate(points):
            raise ValueError(f"three of the {which} points are on one line (or two coincide)")
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y])
        rhs.extend([u, v])
    h = np.linalg.solve(np.array(rows), np.array(rhs))
    return np.append(h, 1.0).reshape(3, 3)


def _degenerate(points: np.ndarray) -> bool:
    """True when any three of the four points are (nearly) collinear."""
    scale = max(1.0, float(np.ptp(points, axis=0).max()))
    for skip in range(4):
        a, b, c = (points[i] for i in range(4) if i != skip)
        area = abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        if area < 1e-9 * scale * scale:
            return True
    return False


def _points(params: Mapping[str, Any], prefix: str) -> tuple[tuple[float, float], ...]:
    return tuple(tuple(params[f"{prefix}{i}"]) for i in range(1, 5))  # type: ignore[misc]


def pin(src: Sequence[Sequence[float]], dst: Sequence[Sequence[float]], invert: bool
        ) -> tuple[np.ndarray, tuple[float, float]]:
    """The node's homography (`src` onto `dst`, or back with `invert`) and a source point in front of its horizon.

    Raises:
        ValueError: three points of either set are on one line.
        numpy.linalg.LinAlgError: the system is singular.
    """
    matrix = pin_matrix(src, dst)
    inside = np.mean(np.asarray(src, dtype=np.float64), axis=0)
    if invert:
        matrix, inside = np.linalg.inv(matrix), np.mean(np.asarray(dst, dtype=np.float64), axis=0)
    return matrix, (float(inside[0]), float(inside[1]))


def oriented(matrix: np.ndarray, inside: tuple[float, float]) -> np.ndarray:
    """`matrix` normalised, its sign chosen (as `warp_homography` does) so `inside` maps with a positive w."""
    matrix = normalised(matrix)
    if matrix[2, 0] * inside[0] + matrix[2, 1] * inside[1] + matrix[2, 2] < 0.0:
        matrix = -matrix
    return matrix


def source_region(window: Box, matrix: np.ndarray, inside: tuple[float, float], filter: str) -> Box | None:
    """The source pixels the output pixels of `window` read, or None when some lie behind the horizon.

    The sign of `matrix` is chosen as `warp_homography` does, so output points whose source is
    in front of the horizon map back with a positive w; a window corner with w <= 0 reads from
    infinitely far, and then only the whole input will do.
    """
    try:
        inverse = np.linalg.inv(oriented(matrix, inside))
    except np.linalg.LinAlgError:
        return None
    box = perspective_window(window, inverse)
    return None if box is None else box.padded(math.ceil(SUPPORT[filter]) + 1)


class CornerPin(NodeType):
    """Warps the image so the four `from` points land on the four `to` points (Nuke's CornerPin2D).

    The points are in pixels (EXR coordinates: x right, y down) and go around the picture
    from the top-left: 1 top-left, 2 top-right, 3 bottom-right, 4 bottom-left. The homography
    H with H(from_i) = to_i is solved exactly (OpenCV's getPerspectiveTransform, re-solved in
    double precision), and the image is resampled with cv2.warpPerspective using `filter`.
    `invert` applies H^-1 instead, taking the `to` quad back onto the `from` quad (to undo a
    pin, or to flatten a tracked screen). With `from_format` on (the default), `from` is the
    corners of the input's format and the from1..from4 values are ignored.

    The output data window is the bounding box of the warped data window, grown by the
    filter's reach, clipped to the format; where the quad reaches the horizon line the whole
    format is computed and pixels whose source lies behind it are black. Equal `from` and
    `to` points pass the input through. Three points on one line is an error.

    For a region of interest only the region's pixels are resampled; with explicit `from`
    points the input is asked for the region mapped back through the pin (plus the filter's
    reach), with `from_format` (whose corners are known only from the input) or a region that
    reaches behind the horizon for everything. At a proxy scale the points are scaled (and
    `from_format` takes the reduced format's corners): the picture approximates the full one
    reduced, as a Transform's does.
    """

    type_id = "nodecomp.CornerPin"
    version = 1
    category = "Transform"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", doc="The image to pin."),)
    params = (
        *(Vec2(f"to{i}", default=_HD_CORNERS[i - 1], pixels=True,
               doc=f"Where the {_CORNER_NAMES[i - 1]} point goes, in pixels.")
          for i in range(1, 5)),
        *(Vec2(f"from{i}", default=_HD_CORNERS[i - 1], pixels=True,
               doc=f"The {_CORNER_NAMES[i - 1]} source point, in pixels (used when from_format is off).")
          for i in range(1, 5)),
        Bool("from_format", default=True, doc="Use the corners of the input's format as the from points."),
        Bool("invert", default=False, doc="Apply the inverse warp (to points back onto from points)."),
        Choice("filter", default="cubic", choices=FILTERS,
               doc="Resampling filter: nearest (blocky), bilinear (soft), cubic, lanczos (sharpest)."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """`from` equal to `to` (with explicit from points) moves nothing."""
        if not params["from_format"] and _points(params, "from") == _points(params, "to"):
            return "source"
        return None

    @classmethod
    def input_requests(cls, request: Request, params: Mapping[str, Any]) -> Mapping[str, Any]:
        """The region mapped back through the pin; everything when that cannot be told before the input."""
        window = request.window
        if window is None or params["from_format"]:
            return {"source": request.with_region(None)}
        try:
            matrix, inside = pin(_points(params, "from"), _points(params, "to"), params["invert"])
        except (ValueError, np.linalg.LinAlgError):
            return {"source": request.with_region(None)}
        box = source_region(window, matrix, inside, params["filter"])
        return {"source": request.with_region(None if box is None else box.enlarged(request.step))}

    @staticmethod
    def compute(
        ctx: EvalContext,
        source: Image,
        to1: tuple[float, float],
        to2: tuple[float, float],
        to3: tuple[float, float],
        to4: tuple[float, float],
        from1: tuple[float, float],
        from2: tuple[float, float],
        from3: tuple[float, float],
        from4: tuple[float, float],
        from_format: bool,
        invert: bool,
        filter: str,
    ) -> Image:
        """Solve the homography and resample `source` through it."""
        if from_format:
            box = source.display_window
            src = ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1))
        else:
            src = (from1, from2, from3, from4)
        dst = (to1, to2, to3, to4)
        if tuple(map(tuple, src)) == tuple(map(tuple, dst)):
            return source
        try:
            matrix, inside = pin(src, dst, invert)
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ctx.error(f"cannot pin: {exc}", hint="move the corner points apart") from None
        clip = source.display_window
        if ctx.request.window is not None:  # only the region's pixels are resampled
            clip = clip.intersect(ctx.request.window)
        if ctx.request.scale != 1.0 and np.all(np.isfinite(matrix)):
            # The filter reaches SUPPORT source pixels at full resolution, fewer proxy pixels: a
            # magnifying pin would otherwise grow a wider (near-black) margin than the full picture's.
            reach = perspective_window(source.data_window, oriented(matrix, inside),
                                       SUPPORT[filter] * ctx.request.scale)
            if reach is not None:
                clip = clip.intersect(reach.padded(1))
        return warp_homography(source, matrix, filter, clip, inside=inside)
