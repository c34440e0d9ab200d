import pytest

from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import Box
from nodecomp.engine.request import Request
from nodecomp.ui.timeline import CacheLine, Timeline, _nice_step, cached_frames
from tests.ui.qt_helpers import settle


@pytest.fixture
def timeline(qtbot, comp):
    comp.frame_range = (1, 10)
    comp.undo_stack.clear()
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.resize(900, 40)
    widget.show()
    widget.set_document(comp)
    yield widget
    widget.stop()
    widget.deleteLater()
    settle()


def test_stepping_wraps_inside_the_range(timeline):
    frames = []
    timeline.frame_changed.connect(frames.append)
    timeline.step(1)
    timeline.go_last()
    timeline.step(1)
    timeline.step(-1)
    assert frames == [2.0, 10.0, 1.0, 10.0]


def test_play_and_stop(qtbot, timeline, comp):
    comp.fps = 100.0
    timeline.toggle_play()
    assert timeline.playing and timeline.timer.interval() == 10
    qtbot.waitUntil(lambda: timeline.frame >= 4, timeout=3000)
    timeline.toggle_play()
    assert not timeline.playing and timeline.play_button.text() == "▶"


def test_scrubbing_picks_the_frame_under_the_mouse(timeline):
    bar = timeline.bar
    assert bar.frame_at(0) == 1 and bar.frame_at(bar.width() - 1) == 10
    bar.scrubbed.emit(bar.frame_at(bar.width() / 2))
    assert timeline.frame in (5, 6) and timeline.frame_box.value() == timeline.frame


def test_in_out_and_fps_edit_the_document_undoably(timeline, comp):
    timeline.in_box.setValue(3)
    timeline.out_box.setValue(30)
    timeline.out_box.editingFinished.emit()
    assert comp.frame_range == (3, 30) and (timeline.bar.first, timeline.bar.last) == (3, 30)
    comp.undo()
    assert comp.frame_range == (1, 10) and timeline.out_box.value() == 10
    timeline.fps_box.setValue(25.0)
    assert comp.fps == 25.0
    messages = []
    timeline.message.connect(messages.append)
    timeline.in_box.setValue(50)
    timeline.in_box.editingFinished.emit()
    assert messages and comp.frame_range == (1, 10) and timeline.in_box.value() == 1


def test_cached_frames_hash_without_computing(comp):
    solid = comp.add("uitest.Solid")
    cache = ImageCache(16 * 1024 * 1024)
    evaluator = Evaluator(comp, cache)
    for frame in (2, 5):
        evaluator.evaluate(solid, frame)
    misses = cache.stats.misses
    assert cached_frames(comp, solid.name, range(1, 11), cache) == {2, 5}
    assert cache.stats.misses == misses  # peek neither counts nor computes


def test_the_cache_line_follows_the_viewers_proxy_scale_and_region(comp):
    solid = comp.add("uitest.Solid")
    cache = ImageCache(16 * 1024 * 1024)
    evaluator = Evaluator(comp, cache)
    evaluator.evaluate(solid, 2)
    evaluator.evaluate(solid, Request(4.0, scale=0.5))
    evaluator.evaluate(solid, Request(6.0, region=Box(0, 0, 8, 8)))
    assert cached_frames(comp, solid.name, range(1, 11), cache) == {2, 4, 6}  # Solid computes whole, then is cut
    assert cached_frames(comp, solid.name, range(1, 11), cache, scale=0.5) == {4}
    assert cached_frames(comp, solid.name, range(1, 11), cache, region=Box(0, 0, 8, 8)) == {6}


def test_the_cache_line_arrives_on_the_timeline(qtbot, timeline, comp):
    solid = comp.add("uitest.Solid")
    cache = ImageCache(16 * 1024 * 1024)
    Evaluator(comp, cache).evaluate(solid, 3)
    line = CacheLine(cache)
    line.ready.connect(timeline.set_cached)
    with qtbot.waitSignal(line.ready, timeout=5000):
        line.update(comp, solid.name)
    assert timeline.bar.cached == {3}
    line.shutdown()


def test_label_steps_are_round_numbers():
    assert [_nice_step(span, 1000) for span in (10, 100, 1000, 10000)] == [1, 5, 50, 500]
