import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.perspective import warp_homography
from nodecomp.nodes.transform.stabilise import motion_matrix
from nodecomp.nodes.transform.tracker import Tracker
from tests.nodes.image_asserts import image, make_document, random_rgba, source

FORMAT = Box(0, 0, 60, 40)
POINTS = [(10.0, 10.0), (50.0, 12.0), (48.0, 35.0), (12.0, 30.0)]


def keyed(doc, img, moved, features=1, **params):
    """A Tracker whose features sit at POINTS on frame 1 and at `moved` on frame 2."""
    tracker = doc.add("Tracker", source(doc, img), **params)
    for index in range(1, 5):
        tracker[f"feature{index}_enabled"] = index <= features
        tracker.set_key(f"feature{index}_position", 1, POINTS[index - 1], interp="linear")
        tracker.set_key(f"feature{index}_position", 2, moved[index - 1], interp="linear")
    return tracker


def test_mode_none_passes_through():
    doc = make_document()
    tracker = keyed(doc, image(random_rgba(40, 60)), [(p[0] + 3, p[1]) for p in POINTS])
    ev = Evaluator(doc)
    assert ev.hash(tracker, 2) == ev.hash(doc["ImageSource1"], 2)


def test_one_feature_stabilises_by_whole_pixels_without_resampling():
    x = random_rgba(40, 60, seed=1)
    doc = make_document()
    tracker = keyed(doc, image(x, display_window=FORMAT), [(p[0] + 3, p[1] - 4) for p in POINTS], mode="stabilise")
    ev = Evaluator(doc)
    result = ev.evaluate(tracker, 2)
    assert result.data_window == Box(0, 4, 57, 40)  # moved by (-3, +4), clipped to the format
    np.testing.assert_array_equal(result.pixels, x[:36, 3:])
    assert ev.evaluate(tracker, 1) is ev.evaluate(doc["ImageSource1"], 1)  # the reference frame: no motion


def test_matchmove_is_the_opposite_motion():
    x = random_rgba(40, 60, seed=2)
    doc = make_document()
    tracker = keyed(doc, image(x, display_window=FORMAT), [(p[0] + 3, p[1] - 4) for p in POINTS], mode="matchmove")
    result = Evaluator(doc).evaluate(tracker, 2)
    assert result.data_window == Box(3, 0, 60, 36)
    np.testing.assert_array_equal(result.pixels, x[4:, :57])


@pytest.mark.parametrize("features", [2, 3, 4])
def test_more_features_match_the_equivalent_corner_pin(features):
    x = random_rgba(40, 60, seed=3)
    rng = np.random.default_rng(features)
    moved = [(p[0] + rng.uniform(-2, 2), p[1] + rng.uniform(-2, 2)) for p in POINTS]
    doc = make_document()
    tracker = keyed(doc, image(x, display_window=FORMAT), moved, features=features, mode="stabilise",
                    filter="bilinear", motion="perspective" if features == 4 else "auto")
    result = Evaluator(doc).evaluate(tracker, 2)
    matrix = motion_matrix(moved[:features], POINTS[:features])
    expected = warp_homography(image(x, display_window=FORMAT), matrix, "bilinear", FORMAT,
                               inside=tuple(np.mean(moved[:features], axis=0)))
    assert result.data_window == expected.data_window
    np.testing.assert_allclose(result.pixels, expected.pixels, atol=1e-6)


def test_translate_motion_with_two_features_uses_the_mean():
    x = random_rgba(40, 60, seed=4)
    doc = make_document()
    moved = [(POINTS[0][0] + 2, POINTS[0][1]), (POINTS[1][0] + 4, POINTS[1][1])] + POINTS[2:]
    tracker = keyed(doc, image(x, display_window=FORMAT), moved, features=2, mode="stabilise", motion="translate")
    result = Evaluator(doc).evaluate(tracker, 2)
    assert result.data_window == Box(0, 0, 57, 40)  # mean of +2 and +4: moved back by 3


def test_too_few_or_coinciding_features_are_clear_errors():
    doc = make_document()
    img = image(random_rgba(40, 60), display_window=FORMAT)
    tracker = keyed(doc, img, POINTS, mode="stabilise", motion="affine")
    with pytest.raises(EvaluationError, match="Tracker1.*affine motion needs 3 enabled features, 1 are enabled"):
        Evaluator(doc).evaluate(tracker, 2)
    same = keyed(doc, img, [POINTS[0]] * 4, features=2, mode="stabilise")
    same.set_key("feature2_position", 1, POINTS[0], interp="linear")
    with pytest.raises(EvaluationError, match="Tracker2.*cannot fit the motion.*coincide"):
        Evaluator(doc).evaluate(same, 2)


def test_schema_is_documented():
    assert Tracker.__doc__ and all(spec.doc for spec in Tracker.params)
