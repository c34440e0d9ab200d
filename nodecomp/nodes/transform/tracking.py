"""Operations on a document's Tracker nodes: track features over frames, export the motion.

These are not node computes: tracking needs the upstream image at many frames, which a
node's compute cannot ask for, so `track` pulls them through an Evaluator itself and then
writes keyframes into the Tracker's params (one undo step). The engine and core imports are
made inside the functions, as the CLI does: node modules themselves import only
`nodecomp.api`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nodecomp.api import Box
from nodecomp.nodes.transform.matching import (
    Refiner,
    correlation,
    luminance,
    match_template,
    optical_flow,
    patch,
    to_uint8,
)
from nodecomp.nodes.transform.stabilise import model_for, motion_matrix, similarity_parts
from nodecomp.nodes.transform.tracker import FEATURES, Tracker, enabled_features

Progress = Callable[[int, int], None]  # (frames done, frames in all)


@dataclass
class FeatureTrack:
    """What happened to one feature: positions and scores per tracked frame, and where it was lost."""

    feature: int
    frames: list[int] = field(default_factory=list)
    positions: list[tuple[float, float]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    lost_at: int | None = None


@dataclass
class TrackResult:
    """The outcome of `track`: one FeatureTrack per tracked feature."""

    node: str
    features: list[FeatureTrack]

    def summary(self) -> list[str]:
        """One line per feature, for the command line."""
        lines = []
        for feature in self.features:
            span = f"{feature.frames[0]}-{feature.frames[-1]}" if feature.frames else "none"
            worst = f", lowest score {min(feature.scores):.3f}" if feature.scores else ""
            lost = f", lost at frame {feature.lost_at}" if feature.lost_at is not None else ""
            lines.append(f"{self.node} feature{feature.feature}: {len(feature.frames)} frames ({span}){worst}{lost}")
        return lines


def _tracker_node(doc: Any, tracker: Any) -> Any:
    from nodecomp.core.errors import GraphError

    node = doc[tracker] if isinstance(tracker, str) else tracker
    if node.type_id != Tracker.type_id:
        raise GraphError(f"{node.name} is a {node.type_name}, not a Tracker")
    return node


def _frames(frames: str | int | Sequence[int] | Iterable[int], default: tuple[int, int]) -> list[int]:
    from nodecomp.core.frames import parse_frames

    if isinstance(frames, str | int | tuple):
        return parse_frames(frames, default=default)  # type: ignore[arg-type]
    return parse_frames(list(frames), default=default)


class _FeatureState:
    """One feature while tracking: its pattern, refiner, last position and velocity."""

    def __init__(self, index: int, start: tuple[float, float], gray: np.ndarray, pattern: int, search: int,
                 refine: bool) -> None:
        self.index = index
        self.pattern = pattern | 1  # odd sides keep the pattern centred on a pixel grid position
        self.search = max(search, self.pattern + 4)
        self.template = patch(gray, start, self.pattern)
        self.refiner = Refiner(self.template) if refine else None
        self.position = start
        self.velocity = (0.0, 0.0)
        self.result = FeatureTrack(index)
        self.active = True

    def predicted(self) -> tuple[float, float]:
        return (self.position[0] + self.velocity[0], self.position[1] + self.velocity[1])

    def accept(self, frame: int, position: tuple[float, float], score: float) -> None:
        self.velocity = (position[0] - self.position[0], position[1] - self.position[1])
        self.position = position
        self.result.frames.append(frame)
        self.result.positions.append(position)
        self.result.scores.append(score)


def track(
    doc: Any,
    tracker: Any,
    frames: str | int | Sequence[int] | Iterable[int],
    evaluator: Any = None,
    *,
    features: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> TrackResult:
    """Track the Tracker's enabled features over `frames` and key their positions.

    The first frame listed is where each feature starts: its position there (as keyed or
    set) defines the pattern, which is then found again in every following frame, in the
    order listed (list frames downwards to track backwards). A feature whose correlation
    drops below `min_score` is marked lost and keeps no keys beyond that frame. Every key
    is written at once, as one undo step ("Track Tracker1").

    Args:
        doc: the document holding the Tracker.
        tracker: the Tracker node or its name.
        frames: "1-100", a frame, (first, last) or a list of frames; "" means the document range.
        evaluator: the evaluator (and so the cache) to pull the input with; a new one when None.
        features: 1-based features to track (default: the enabled ones).
        progress: called with (frames done, frames in all) after each frame.

    Raises:
        GraphError: the node is not a Tracker or its input is not connected.
        ParamError: no feature to track, or a bad frame list.
        EvaluationError: the input failed to render at some frame (names node and frame).
    """
    from nodecomp.core.errors import GraphError, ParamError
    from nodecomp.engine.evaluator import Evaluator

    node = _tracker_node(doc, tracker)
    source = node.inputs.get("source")
    if source is None:
        raise GraphError(f"{node.name} has no input to track", hint="connect the plate to the Tracker")
    frame_list = _frames(frames, doc.frame_range)
    first = frame_list[0]
    params = doc.resolve_params(node, first)
    wanted = list(features) if features is not None else enabled_features(params)
    if not wanted or any(not 1 <= i <= FEATURES for i in wanted):
        raise ParamError(f"no feature to track (features {wanted}, 1 to {FEATURES} exist)", node=node.name,
                         hint="enable a feature")
    evaluator = evaluator if evaluator is not None else Evaluator(doc)

    first_image = evaluator.evaluate(source, first)
    window: Box = first_image.display_window
    gray = luminance(first_image, window)
    states = [
        _FeatureState(i, tuple(params[f"feature{i}_position"]), gray, params[f"feature{i}_pattern"],
                      params[f"feature{i}_search"], params["refine"])
        for i in wanted
    ]
    for state in states:
        state.accept(first, state.position, 1.0)
        state.velocity = (0.0, 0.0)
    method, min_score = params["method"], params["min_score"]
    low, high = (float(v) for v in np.percentile(gray, (0.5, 99.5)))
    previous8 = to_uint8(gray, low, high) if method == "optical_flow" else None
    if progress is not None:
        progress(1, len(frame_list))
    for done, frame in enumerate(frame_list[1:], start=2):
        evaluator.cancel.check()
        gray = luminance(evaluator.evaluate(source, frame), window)
        active = [s for s in states if s.active]
        if method == "optical_flow":
            current8 = to_uint8(gray, low, high)
            starts = np.array([s.position for s in active], dtype=np.float64).reshape(-1, 2)
            moved, found = optical_flow(previous8, current8, starts, max(s.pattern for s in active))
            previous8 = current8
            guesses = [(tuple(moved[k]), bool(found[k])) for k in range(len(active))]
        else:
            guesses = []
            for state in active:
                match = match_template(gray, state.template, state.predicted(), state.search)
                guesses.append((match.position, match.score >= min_score))
        for state, (guess, found) in zip(active, guesses, strict=True):
            position = (float(guess[0]), float(guess[1]))
            if found and state.refiner is not None:
                position = state.refiner.refine(gray, position)
            score = correlation(gray, state.template, position)
            if not found or score < min_score or not all(math.isfinite(v) for v in position):
                state.active = False
                state.result.lost_at = frame
                continue
            state.accept(frame, position, score)
        if progress is not None:
            progress(done, len(frame_list))
        if not any(s.active for s in states):
            break

    with doc.macro(f"Track {node.name}"):
        for state in states:
            for frame, position in zip(state.result.frames, state.result.positions, strict=True):
                doc.set_key(node, f"feature{state.index}_position", frame, position, interp="linear")
    return TrackResult(node.name, [s.result for s in states])


def _keyed_frames(node: Any, features: list[int]) -> list[int]:
    """Frames where every one of `features` has a position key (what an export can bake)."""
    common: set[int] | None = None
    for index in features:
        state = node.params[f"feature{index}_position"]
        frames = {int(key.frame) for curve in state.curves.values() for key in curve.keys}
        common = frames if common is None else common & frames
    return sorted(common or ())


def export_transform(doc: Any, tracker: Any, *, mode: str | None = None, source: Any = None,
                     name: str | None = None) -> Any:
    """A new Transform or CornerPin node keyed with the Tracker's motion on its tracked frames.

    1 or 2 features (translate or similarity motion) give a Transform (translate, rotate,
    scale, center keyed, center_on_format off); other motions give a CornerPin whose `from`
    points are the format corners and whose `to` points are those corners moved by the
    motion at each frame. `mode` is "stabilise" or "matchmove" (default: the Tracker's mode,
    or matchmove when it is none). The node is fed by `source` when given; it is added as
    one undo step and returned.

    Raises:
        ParamError: no tracked frames, or a motion that cannot be fitted at some frame.
    """
    from nodecomp.core.errors import ParamError

    node = _tracker_node(doc, tracker)
    params = doc.resolve_params(node, doc.current_frame)
    mode = mode or (params["mode"] if params["mode"] != "none" else "matchmove")
    if mode not in ("stabilise", "matchmove"):
        raise ParamError(f"mode must be stabilise or matchmove, got {mode!r}", node=node.name)
    features = enabled_features(params)
    frames = _keyed_frames(node, features) if features else []
    if not frames:
        raise ParamError("no tracked frames to export", node=node.name, hint="track the features first")
    reference_frame = params["reference_frame"]
    model = model_for(len(features), params["motion"])
    reference = np.array([node.value_at(f"feature{i}_position", reference_frame) for i in features])
    fmt = doc.format
    matrices = []
    for frame in frames:
        current = np.array([node.value_at(f"feature{i}_position", frame) for i in features])
        try:
            if mode == "stabilise":
                matrices.append(motion_matrix(current, reference, model))
            else:
                matrices.append(motion_matrix(reference, current, model))
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ParamError(f"cannot fit the motion at frame {frame}: {exc}", node=node.name) from None
    label = "Transform" if model in ("translate", "similarity") else "CornerPin"
    with doc.macro(f"Export {node.name} to {label}"):
        if label == "Transform":
            pivot = reference.mean(axis=0)
            out = doc.add("Transform", source, name=name, center_on_format=False, filter=params["filter"],
                          center=(float(pivot[0]), float(pivot[1])))
            _key_transform(doc, out, frames, matrices, pivot)
        else:
            corners = [(0.0, 0.0), (float(fmt.width), 0.0), (float(fmt.width), float(fmt.height)),
                       (0.0, float(fmt.height))]
            out = doc.add("CornerPin", source, name=name, from_format=False, filter=params["filter"],
                          **{f"from{i + 1}": c for i, c in enumerate(corners)})
            for frame, matrix in zip(frames, matrices, strict=True):
                for i, (x, y) in enumerate(corners):
                    u, v, w = matrix @ np.array([x, y, 1.0])
                    doc.set_key(out, f"to{i + 1}", frame, (u / w, v / w), interp="linear")
    return out


def _key_transform(doc: Any, node: Any, frames: list[int], matrices: list[np.ndarray], pivot: np.ndarray) -> None:
    """Key translate/rotate/scale so a Transform pivoting about `pivot` reproduces each similarity matrix.

    Transform maps p to t + c + R S (p - c) = R S p + (t + c - R S c) for a centre c, so with
    the matrix's linear part A and last column m, t = m - c + A c. Rotation is unwrapped across
    frames so it never jumps by 360 degrees.
    """
    rotations = []
    for frame, matrix in zip(frames, matrices, strict=True):
        scale, rotate = similarity_parts(matrix)
        rotations.append(math.radians(rotate))
        translate = matrix[:2, 2] - pivot + matrix[:2, :2] @ pivot
        doc.set_key(node, "scale", frame, (scale, scale), interp="linear")
        doc.set_key(node, "translate", frame, (float(translate[0]), float(translate[1])), interp="linear")
    for frame, angle in zip(frames, np.unwrap(rotations), strict=True):
        doc.set_key(node, "rotate", frame, math.degrees(float(angle)), interp="linear")
