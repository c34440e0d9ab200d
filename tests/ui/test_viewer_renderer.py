import time

import numpy as np
import pytest

from nodecomp.engine.cache import ImageCache
from nodecomp.engine.image import RGBA, Box, Image
from nodecomp.engine.request import Request
from nodecomp.ui.viewer_image import DisplaySettings
from nodecomp.ui.viewer_renderer import ViewerRenderer, ViewFailure, ViewResult, difference_image


@pytest.fixture
def renderer(qtbot):
    renderer = ViewerRenderer(ImageCache(64 * 1024 * 1024))
    results, failures = [], []
    renderer.frame_ready.connect(lambda r: results.append(r) if renderer.accept(r) else None)
    renderer.failed.connect(lambda f: failures.append(f) if renderer.accept(f) else None)
    renderer.results, renderer.failures = results, failures
    yield renderer
    renderer.shutdown()


def test_a_request_delivers_the_image_and_its_pixels(qtbot, renderer, comp):
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        generation = renderer.request(comp, "Grade1", 1, DisplaySettings())
    result = renderer.results[-1]
    assert isinstance(result, ViewResult) and result.generation == generation
    np.testing.assert_allclose(result.image.pixels[0, 0], (0.25, 0.5, 0.75, 1.0))
    assert result.frame.rgba.shape == (36, 64, 4) and result.frame.node == "Grade1"
    assert result.frame.key is not None and renderer.last is result


def test_the_newest_request_wins_and_stale_ones_are_cancelled(qtbot, renderer, comp):
    slow = comp.add("uitest.Slow", comp["Grade1"], seconds=5.0)
    start = time.monotonic()
    stale = renderer.request(comp, slow.name, 1, DisplaySettings())
    newest = renderer.request(comp, "Constant1", 1, DisplaySettings())
    qtbot.waitUntil(lambda: not renderer.busy, timeout=4000)  # the 5 s compute stopped early
    assert time.monotonic() - start < 4.0
    assert [r.generation for r in renderer.results] == [newest]
    assert stale < newest


def test_redisplay_waits_for_an_evaluation_on_its_way(qtbot, renderer, comp):
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Grade1", 1, DisplaySettings())
    qtbot.waitUntil(lambda: not renderer.busy, timeout=5000)
    comp.add("uitest.Slow", comp["Grade1"], seconds=0.3, name="Later")
    renderer.request(comp, "Later", 1, DisplaySettings())
    assert renderer.redisplay(DisplaySettings(exposure=1.0)) is None  # would cancel the new picture
    qtbot.waitUntil(lambda: renderer.results[-1].frame.node == "Later", timeout=5000)


def test_late_results_of_older_requests_are_dropped(renderer, comp):
    class Fake:
        slot = "A"

        def __init__(self, generation):
            self.generation = generation

    assert renderer.accept(ViewFailure(3, "x", None))
    assert not renderer.accept(Fake(2))
    assert renderer.accept(Fake(4))


def test_a_failing_node_is_reported_by_name(qtbot, renderer, comp):
    comp["Grade1"]["whitepoint"] = (0.0, 0.0, 0.0, 0.0)
    with qtbot.waitSignal(renderer.failed, timeout=10000):
        renderer.request(comp, "Grade1", 1, DisplaySettings())
    failure = renderer.failures[-1]
    assert failure.node == "Grade1" and "whitepoint" in failure.message


def test_an_unchanged_picture_is_not_redrawn(qtbot, renderer, comp):
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Grade1", 1, DisplaySettings())
    comp.add("Blur")  # an edit that does not touch Grade1's result
    renderer.request(comp, "Grade1", 1, DisplaySettings())
    qtbot.waitUntil(lambda: not renderer.busy, timeout=5000)
    assert len(renderer.results) == 1


def test_redisplay_reuses_the_image(qtbot, renderer, comp):
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Grade1", 1, DisplaySettings())
    first = renderer.results[-1]
    qtbot.waitUntil(lambda: not renderer.busy, timeout=5000)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        assert renderer.redisplay(DisplaySettings(exposure=1.0)) is not None
    second = renderer.results[-1]
    assert second.image is first.image and second.settings.exposure == 1.0
    assert second.frame.rgba[0, 0, 0] > first.frame.rgba[0, 0, 0]


def test_an_edit_drops_the_results_only_the_old_picture_used(qtbot, renderer, comp):
    solid = comp.add("uitest.Solid")
    graded = comp.add("Grade", solid, name="Look", multiply=2.0)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Look", 1, DisplaySettings())
    first = renderer.last
    graded["multiply"] = 3.0
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Look", 1, DisplaySettings())
    assert not renderer.cache.peek(first.frame.key)  # the old Look result: dropped
    assert renderer.cache.peek(renderer.last.frame.key)
    solid_key = next(iter(first.keys & renderer.last.keys))
    assert renderer.cache.peek(solid_key)  # still used: kept
    kept = renderer.last.frame.key
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Look", 2, DisplaySettings())  # another frame: nothing dropped
    assert renderer.cache.peek(kept)


def test_each_slot_keeps_its_own_newest_request(qtbot, renderer, comp):
    slow = comp.add("uitest.Slow", comp["Grade1"], seconds=0.3)
    a = renderer.request(comp, slow.name, 1, DisplaySettings(), "A")
    b = renderer.request(comp, "Constant1", 1, DisplaySettings(), "B")  # does not cancel A
    qtbot.waitUntil(lambda: not renderer.busy, timeout=10000)
    assert sorted((r.slot, r.generation) for r in renderer.results) == [("A", a), ("B", b)]
    assert renderer.result("A").frame.node == slow.name and renderer.result("B").frame.node == "Constant1"
    assert renderer.last is renderer.result("A")


def test_a_newer_request_cancels_only_its_own_slot(qtbot, renderer, comp):
    slow = comp.add("uitest.Slow", comp["Grade1"], seconds=5.0)
    start = time.monotonic()
    renderer.request(comp, slow.name, 1, DisplaySettings(), "B")
    a = renderer.request(comp, "Grade1", 1, DisplaySettings(), "A")
    newest_b = renderer.request(comp, "Constant1", 1, DisplaySettings(), "B")
    qtbot.waitUntil(lambda: not renderer.busy, timeout=4000)
    assert time.monotonic() - start < 4.0  # the slow B stopped early
    assert sorted((r.slot, r.generation) for r in renderer.results) == [("A", a), ("B", newest_b)]


def test_a_result_the_other_slot_shows_is_not_dropped(qtbot, renderer, comp):
    graded = comp.add("Grade", comp["Constant1"], name="Look", multiply=2.0)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Constant1", 1, DisplaySettings(), "A")
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Look", 1, DisplaySettings(), "B")
    constant_key = renderer.result("A").frame.key
    graded["multiply"] = 3.0
    comp["Constant1"]["color"] = (1.0, 1.0, 1.0, 1.0)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Look", 1, DisplaySettings(), "B")
    assert renderer.cache.peek(constant_key)  # B no longer reads it, but A's picture does


def test_the_difference_is_taken_per_channel_over_both_windows():
    a = Image(np.full((2, 2, 4), 0.5, np.float32), RGBA, Box(0, 0, 2, 2), Box(0, 0, 4, 2))
    b = Image(np.full((2, 2, 3), 0.25, np.float32), ("R", "G", "B"), Box(1, 0, 3, 2), Box(0, 0, 4, 2))
    diff = difference_image(a, b)
    assert diff.data_window == Box(0, 0, 3, 2) and diff.channels == RGBA and diff.display_window == a.display_window
    np.testing.assert_allclose(diff.pixels[0, 0], (0.5, 0.5, 0.5, 0.5))  # A only: B reads as 0
    np.testing.assert_allclose(diff.pixels[0, 1], (0.25, 0.25, 0.25, 0.5))  # B has no alpha: it reads as 1
    np.testing.assert_allclose(diff.pixels[0, 2], (0.25, 0.25, 0.25, 1.0))  # B only
    same = difference_image(a, a.replace(pixels=np.full((2, 2, 4), 0.75, np.float32)))
    assert same.data_window == a.data_window and same.pixels.dtype == np.float32
    np.testing.assert_allclose(same.pixels, 0.25)


def test_difference_delivers_slot_d(qtbot, renderer, comp):
    for slot, node in (("A", "Grade1"), ("B", "Constant1")):
        with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
            renderer.request(comp, node, 1, DisplaySettings(), slot)
    comp["Constant1"]["color"] = (0.0, 0.0, 0.0, 1.0)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Constant1", 1, DisplaySettings(), "B")
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.difference(renderer.result("A"), renderer.result("B"), DisplaySettings())
    shown = renderer.result("D")
    np.testing.assert_allclose(shown.image.pixels[0, 0], (0.25, 0.5, 0.75, 0.0))
    assert shown.frame.node == "Grade1 - Constant1"


def test_region_and_proxy_scale_go_with_each_slots_pictures(qtbot, renderer, comp):
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Grade1", 1, DisplaySettings(), "B", region=Box(9, 5, 40, 30), scale=0.5)
    shown = renderer.result("B")
    assert shown.request == Request(1.0, Box(8, 4, 40, 30), 0.5)  # snapped to whole proxy pixels
    assert shown.image.data_window == Box(4, 2, 20, 15)  # proxy pixels
    assert shown.frame.data_window == Box(8, 4, 40, 30) and shown.frame.display_window == Box(0, 0, 64, 36)
    qtbot.waitUntil(lambda: not renderer.busy, timeout=5000)  # the evaluation's end is announced after the picture
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        assert renderer.redisplay(DisplaySettings(exposure=1.0), "B") is not None
    assert renderer.result("B").request == shown.request and renderer.result("B").image is shown.image


def test_the_difference_needs_pictures_made_for_the_same_request(qtbot, renderer, comp):
    for slot, scale in (("A", 1.0), ("B", 0.5)):
        with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
            renderer.request(comp, "Grade1", 1, DisplaySettings(), slot, scale=scale)
    with pytest.raises(ValueError, match="different requests"):
        renderer.difference(renderer.result("A"), renderer.result("B"), DisplaySettings())
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.request(comp, "Constant1", 1, DisplaySettings(), "A", scale=0.5)
    with qtbot.waitSignal(renderer.frame_ready, timeout=10000):
        renderer.difference(renderer.result("A"), renderer.result("B"), DisplaySettings())
    shown = renderer.result("D")
    assert shown.request.scale == 0.5 and shown.image.data_window == Box(0, 0, 32, 18)
    assert shown.frame.data_window == Box(0, 0, 64, 36)
