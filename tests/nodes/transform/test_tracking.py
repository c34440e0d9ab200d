import cv2
import numpy as np
import pytest

from nodecomp.api import Box, conform
from nodecomp.core.errors import EvaluationError, GraphError, ParamError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.tracking import export_transform, track
from tests.nodes.transform.moving import HEIGHT, WIDTH, path, render, tracking_document

FRAMES = range(1, 13)
STARTS = {1: (70.0, 60.0), 2: (140.0, 100.0), 3: (60.0, 115.0), 4: (145.0, 45.0)}


def shot(features=1, **params):
    doc = tracking_document()
    tracker = doc.add("Tracker", doc.add("MovingTexture"), **params)
    for index in range(1, 5):
        tracker[f"feature{index}_enabled"] = index <= features
        tracker[f"feature{index}_position"] = STARTS[index]
    return doc, tracker


def errors(tracker, index, frames=FRAMES):
    """Largest distance between the keyed track and the true path over `frames`."""
    start = np.array(STARTS[index])
    return max(
        float(np.hypot(*(np.array(tracker.value_at(f"feature{index}_position", f)) - start - path(f))))
        for f in frames
    )


@pytest.mark.parametrize("method", ["template", "optical_flow"])
def test_tracks_a_known_sub_pixel_path_to_a_tenth_of_a_pixel(method):
    doc, tracker = shot(features=2, method=method)
    result = track(doc, tracker, "1-12")
    assert [f.lost_at for f in result.features] == [None, None]
    assert all(len(f.frames) == 12 for f in result.features)
    assert errors(tracker, 1) < 0.1 and errors(tracker, 2) < 0.1
    assert min(min(f.scores) for f in result.features) > 0.95


def test_the_parabola_fit_alone_is_coarser():
    """Without refinement the correlation peak's parabola is biased towards whole pixels (0.06-0.15 px here)."""
    doc, tracker = shot(features=2, refine=False)
    track(doc, tracker, FRAMES)
    assert errors(tracker, 1) < 0.2 and errors(tracker, 2) < 0.2


def test_keys_are_one_undo_step_and_tracking_backwards_works():
    doc, tracker = shot()
    track(doc, tracker, "1-6")
    curves = tracker.params["feature1_position"].curves
    assert sorted(int(k.frame) for k in curves[0].keys) == [1, 2, 3, 4, 5, 6]
    assert doc.undo() == "Track Tracker1"
    assert not tracker.params["feature1_position"].is_animated
    tracker["feature1_position"] = tuple(np.array(STARTS[1]) + path(8))
    result = track(doc, tracker, [8, 7, 6, 5, 4, 3, 2, 1])
    assert result.features[0].frames == [8, 7, 6, 5, 4, 3, 2, 1]
    assert errors(tracker, 1, range(1, 9)) < 0.1


def test_a_lost_feature_stops_and_is_reported():
    doc, tracker = shot()
    result = track(doc, tracker, [1, 2, 3, 950, 4])
    feature = result.features[0]
    assert feature.lost_at == 950 and feature.frames == [1, 2, 3]
    assert "lost at frame 950" in result.summary()[0]


def test_progress_and_shared_evaluator_cache():
    doc, tracker = shot()
    evaluator = Evaluator(doc)
    seen = []
    track(doc, tracker, "1-4", evaluator, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert evaluator.stats.computes == {"MovingTexture1": 4}
    evaluator.evaluate(doc["MovingTexture1"], 3)
    assert evaluator.stats.computes == {"MovingTexture1": 4}  # the frames stay in the given cache


def test_bad_targets_are_clear_errors():
    doc, tracker = shot()
    with pytest.raises(GraphError, match="MovingTexture1 is a MovingTexture, not a Tracker"):
        track(doc, "MovingTexture1", "1-2")
    lonely = doc.add("Tracker")
    with pytest.raises(GraphError, match="Tracker2 has no input"):
        track(doc, lonely, "1-2")
    tracker["feature1_enabled"] = False
    with pytest.raises(ParamError, match="no feature to track"):
        track(doc, tracker, "1-2")
    with pytest.raises(ParamError, match="not a frame range"):
        track(doc, "Tracker1", "one to two", features=[1])


def phase_shift(a, b):
    """Sub-pixel shift between two images (the red channel of their centre 120x90), by phase correlation."""
    window = cv2.createHanningWindow((120, 90), cv2.CV_32F)
    frame = Box(0, 0, WIDTH, HEIGHT)
    a, b = (conform(img, frame, ("R",))[35:125, 40:160, 0] for img in (a, b))
    (dx, dy), _ = cv2.phaseCorrelate(a, b, window)
    return float(np.hypot(dx, dy))


def test_stabilise_holds_the_picture_still():
    doc, tracker = shot(features=1)
    track(doc, tracker, FRAMES)
    tracker["mode"] = "stabilise"
    tracker["filter"] = "lanczos"
    ev = Evaluator(doc)
    reference = ev.evaluate(tracker, 1)
    raw = [phase_shift(reference, ev.evaluate(doc["MovingTexture1"], f)) for f in (6, 12)]
    steady = [phase_shift(reference, ev.evaluate(tracker, f)) for f in (6, 12)]
    assert min(raw) > 5.0  # the shot moves by pixels...
    assert max(steady) < 0.1  # ...the stabilised shot by less than a tenth of one
    still = conform(ev.evaluate(tracker, 12), Box(0, 0, WIDTH, HEIGHT), ("R",))[..., 0]
    np.testing.assert_allclose(still[20:-20, 20:-20], render(path(1))[20:-20, 20:-20], atol=0.03)


def test_two_features_stabilise_rotation_free_motion_with_a_similarity():
    doc, tracker = shot(features=2)
    track(doc, tracker, FRAMES)
    tracker["mode"] = "stabilise"
    ev = Evaluator(doc)
    reference = ev.evaluate(tracker, 1)
    assert phase_shift(reference, ev.evaluate(tracker, 9)) < 0.1


def test_matchmove_follows_the_track_and_mode_none_passes_through():
    doc, tracker = shot(features=1)
    track(doc, tracker, FRAMES)
    ev = Evaluator(doc)
    assert ev.hash(tracker, 5) == ev.hash(doc["MovingTexture1"], 5)
    tracker["mode"] = "matchmove"
    tracker["reference_frame"] = 5
    at_reference = ev.evaluate(tracker, 5)
    assert at_reference is ev.evaluate(doc["MovingTexture1"], 5)  # no motion at the reference frame
    key = ev.hash(tracker, 9)
    tracker["reference_frame"] = 4
    assert ev.hash(tracker, 9) != key  # the reference positions are part of the key
    moved = conform(ev.evaluate(tracker, 9), Box(0, 0, WIDTH, HEIGHT), ("R",))[..., 0]
    # match-moving frame 9 from reference 4 moves its picture by path(9) - path(4) once more
    shift = np.array(path(9)) - path(4)
    expected = render(tuple(np.array(path(9)) + shift))
    assert np.hypot(*shift) > 5.0
    np.testing.assert_allclose(moved[15:-15, 15:-15], expected[15:-15, 15:-15], atol=0.03)


def test_export_to_transform_reproduces_the_tracker_output():
    doc, tracker = shot(features=2)
    track(doc, tracker, FRAMES)
    tracker["mode"] = "stabilise"
    tracker["filter"] = "bilinear"
    exported = export_transform(doc, tracker, source=doc["MovingTexture1"])
    assert exported.type_name == "Transform"
    ev = Evaluator(doc)
    for frame in (4, 10):
        a, b = ev.evaluate(tracker, frame), ev.evaluate(exported, frame)
        window = a.data_window.intersect(b.data_window)
        np.testing.assert_allclose(a.pixels[20:-20, 20:-20], b.pixels[20:-20, 20:-20], atol=2e-3)
        assert window.width > WIDTH - 20
    assert doc.undo() == "Export Tracker1 to Transform" and "Transform1" not in doc


def test_export_four_features_to_a_corner_pin():
    doc, tracker = shot(features=4)
    track(doc, tracker, "1-6")
    tracker["mode"] = "matchmove"
    pin = export_transform(doc, tracker, source=doc["MovingTexture1"])
    assert pin.type_name == "CornerPin" and not pin["from_format"]
    ev = Evaluator(doc)
    a, b = ev.evaluate(tracker, 6).pixels, ev.evaluate(pin, 6).pixels
    np.testing.assert_allclose(a[20:HEIGHT - 20, 20:WIDTH - 20], b[20:HEIGHT - 20, 20:WIDTH - 20], atol=2e-3)


def test_export_needs_tracked_frames():
    doc, tracker = shot()
    with pytest.raises(ParamError, match="no tracked frames"):
        export_transform(doc, tracker)


def test_the_track_buttons_track_from_the_current_frame_as_one_undo_step():
    from nodecomp.engine.actions import run_action

    doc, tracker = shot()
    doc.frame_range = (1, 6)
    doc.current_frame = 1
    doc.undo_stack.clear()
    events = []
    result = run_action(doc, tracker, "track_forward", on_progress=events.append)
    assert result.message.startswith("Tracker1 feature1: 6 frames (1-6), lowest score ")
    assert [e.values["frame"] for e in events] == [1, 2, 3, 4, 5, 6] and events[-1].fraction == 1.0
    assert errors(tracker, 1, range(1, 7)) < 0.1
    assert doc.undo() == "Track Forward Tracker1" and not tracker.params["feature1_position"].is_animated
    tracker["feature1_position"] = tuple(np.array(STARTS[1]) + path(4))
    run_action(doc, tracker, "track_backward", frame=4)
    assert sorted(int(k.frame) for k in tracker.params["feature1_position"].curves[0].keys) == [1, 2, 3, 4]
    with pytest.raises(EvaluationError, match="nothing to track: frame 6 is at or past the last"):
        run_action(doc, tracker, "track_forward", frame=6)
