"""Tracker: tracked 2D features, and the stabilise / match-move warp computed from them.

The node holds up to four features, each a position (keyed per frame by the `track`
operation in `tracking.py`), a pattern size and a search size. Its output applies the
motion between the positions at the frame and at the reference frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    Action,
    ActionContext,
    Bool,
    Choice,
    EvalContext,
    Float,
    Image,
    Input,
    Int,
    NodeType,
    ParamSpec,
    Vec2,
)
from nodecomp.nodes.transform.perspective import warp_homography
from nodecomp.nodes.transform.stabilise import MIN_POINTS, MODELS, model_for, motion_matrix
from nodecomp.nodes.transform.warp import FILTERS

FEATURES = 4
MODES = ("none", "stabilise", "matchmove")
METHODS = ("template", "optical_flow")


def feature_params(index: int) -> tuple[ParamSpec, ...]:
    """The four params of feature `index` (1-based)."""
    return (
        Bool(f"feature{index}_enabled", default=index == 1,
             doc=f"Track feature {index} and use it in the stabilise / match-move motion."),
        Vec2(f"feature{index}_position", default=(960.0, 540.0),
             doc=f"Centre of feature {index} in pixels; the track operation keys it on every tracked frame."),
        Int(f"feature{index}_pattern", default=21, min=3, max=1001,
            doc=f"Side in pixels of feature {index}'s pattern (the patch that is followed)."),
        Int(f"feature{index}_search", default=61, min=5, max=4001,
            doc=f"Side in pixels of the area searched for feature {index} around its predicted position."),
    )


def enabled_features(params: Mapping[str, Any]) -> list[int]:
    """1-based indices of the enabled features."""
    return [i for i in range(1, FEATURES + 1) if params[f"feature{i}_enabled"]]


def feature_positions(params: Mapping[str, Any], features: list[int]) -> np.ndarray:
    """(n, 2) positions of `features` in `params`."""
    return np.array([params[f"feature{i}_position"] for i in features], dtype=np.float64).reshape(-1, 2)


class Tracker(NodeType):
    """Follows up to four features through the shot; outputs the stabilised or match-moved image.

    Tracking is an operation, not a render: the Track Forward / Track Backward buttons (from the
    current frame to the end or the start of the frame range, as a background job), `nodecomp
    track SCRIPT --node Tracker1 --frames 1-100`, or `nodecomp.nodes.transform.tracking.track(doc,
    "Tracker1", "1-100")`, pulls the input at every frame, follows each enabled feature (OpenCV template matching with a
    parabola fit around the correlation peak, or pyramidal Lucas-Kanade, then optional
    sub-pixel refinement) and keys `featureN_position` on every frame, as one undo step.

    The output applies the motion between the enabled features' positions at the frame and
    at `reference_frame`. `stabilise` moves the picture so the features stay where they are at
    the reference frame; `matchmove` applies the opposite motion (the reference picture moves
    with the features), for putting an element onto the tracked surface. `motion` picks the
    model: auto uses translate for 1 feature, similarity (translate, rotate, uniform scale)
    for 2, affine for 3 and a perspective corner pin for 4; a named model fits all enabled
    features by least squares. The image is resampled with `filter`; the data window is the
    moved one clipped to the format. With mode none, or at the reference frame, the input
    passes through.
    """

    type_id = "nodecomp.Tracker"
    version = 1
    category = "Transform"
    inputs = (Input("source", doc="The image to track, stabilise or match-move."),)
    params = (
        *(spec for index in range(1, FEATURES + 1) for spec in feature_params(index)),
        Choice("method", default="template", choices=METHODS,
               doc="Tracking method: template (normalised cross-correlation) or optical_flow (pyramidal LK)."),
        Bool("refine", default=True,
             doc="Refine each match to sub-pixel precision against the first tracked frame's pattern."),
        Float("min_score", default=0.6, min=-1.0, max=1.0,
              doc="Correlation with the pattern below which a feature counts as lost and stops."),
        Choice("mode", default="none", choices=MODES,
               doc="Output: the input untouched (none), stabilised, or match-moved."),
        Int("reference_frame", default=1, doc="Frame at which the output equals the input."),
        Choice("motion", default="auto", choices=MODELS,
               doc="Motion model: auto (by feature count), translate, similarity, affine or perspective."),
        Choice("filter", default="cubic", choices=FILTERS,
               doc="Resampling filter: nearest (blocky), bilinear (soft), cubic, lanczos (sharpest)."),
    )
    actions = (
        Action("track_forward", "Track Forward", doc="Track the enabled features from the current frame to the "
                                                     "last frame of the range and key their positions."),
        Action("track_backward", "Track Backward", doc="Track the enabled features from the current frame back "
                                                       "to the first frame of the range and key their positions."),
    )

    @classmethod
    def run_action(cls, ctx: ActionContext, action: str) -> str | None:
        """Track from the current frame to one end of the range; the keys are one undo step."""
        from nodecomp.nodes.transform.tracking import track

        first, last = ctx.frame_range
        here = int(round(ctx.frame))
        frames = list(range(here, last + 1)) if action == "track_forward" else list(range(here, first - 1, -1))
        if len(frames) < 2:
            end = "last" if action == "track_forward" else "first"
            raise ctx.error(f"nothing to track: frame {here} is at or past the {end} frame of the range {first}-{last}",
                            hint="go to another frame")

        def progress(done: int, total: int) -> None:
            ctx.progress(done / total, f"frame {frames[done - 1]} ({done}/{total})", frame=frames[done - 1])

        result = track(ctx.document, ctx.node, frames, ctx.evaluator, progress=progress)
        return "; ".join(result.summary())

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No output motion without a mode or without features."""
        return "source" if params["mode"] == "none" or not enabled_features(params) else None

    @classmethod
    def param_frames(cls, request: Any, params: Mapping[str, Any]) -> tuple[float, ...]:
        """The feature positions at the reference frame are read as well."""
        return (float(params["reference_frame"]),)

    @staticmethod
    def compute(ctx: EvalContext, source: Image, mode: str, reference_frame: int, motion: str, filter: str,
                **params: Any) -> Image:
        """Fit the motion between the frame's and the reference frame's positions, and warp."""
        features = enabled_features(params)
        current = feature_positions(params, features)
        reference = feature_positions(ctx.params_at(reference_frame), features)
        model = model_for(len(features), motion)
        if len(features) < MIN_POINTS[model]:
            raise ctx.error(
                f"a {model} motion needs {MIN_POINTS[model]} enabled features, {len(features)} are enabled",
                hint="enable more features or pick a simpler motion",
            )
        try:
            if mode == "stabilise":
                matrix = motion_matrix(current, reference, model)
            else:
                matrix = motion_matrix(reference, current, model)
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ctx.error(f"cannot fit the motion: {exc}", hint="check the tracked positions") from None
        if np.allclose(matrix, np.eye(3), rtol=0.0, atol=1e-9):
            return source
        inside = tuple(float(v) for v in (current if mode == "stabilise" else reference).mean(axis=0))
        return warp_homography(source, matrix, filter, source.display_window, inside=inside)  # type: ignore[arg-type]
