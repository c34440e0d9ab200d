"""Render jobs: frames in flight, errors per frame, cancellation."""

import threading
import time

import pytest

from nodecomp.core.errors import EvaluationError, GraphError
from nodecomp.engine.jobs import RenderJob
from tests.engine.conftest import Sink


def test_renders_every_frame_once(doc, calls):
    sink = doc.add("Sink", doc.add("Ramp"))
    result = RenderJob(doc, [sink], range(1, 21), threads=2).run()
    assert result.ok
    assert result.done == list(range(1, 21))
    assert sorted(Sink.seen) == list(range(1, 21))


def test_job_renders_a_snapshot(doc):
    ramp = doc.add("Ramp")
    sink = doc.add("Sink", ramp)
    job = RenderJob(doc, [sink], [1], threads=1)
    doc.remove(sink)
    assert job.run().ok


def test_first_error_stops_scheduling_and_names_frame(doc):
    sink = doc.add("Sink", doc.add("Fail", doc.add("Ramp"), bad=1 << 3))
    result = RenderJob(doc, [sink], range(1, 30), threads=1).run()
    assert not result.ok
    assert isinstance(result.errors[0], EvaluationError)
    assert "frame 3" in str(result.errors[0])
    assert max(f.frame for f in result.frames) < 10


def test_keep_going_renders_the_rest(doc):
    sink = doc.add("Sink", doc.add("Fail", doc.add("Ramp"), bad=(1 << 3) | (1 << 5)))
    result = RenderJob(doc, [sink], range(1, 11), threads=2, keep_going=True).run()
    assert [e.frame for e in result.errors] == [3, 5]
    assert len(result.done) == 8


def test_cancel_stops_within_a_frame(doc):
    sink = doc.add("Sink", doc.add("Ramp", delay=0.5))
    job = RenderJob(doc, [sink], range(1, 100), threads=2)
    timer = threading.Timer(0.2, job.cancel)
    start = time.perf_counter()
    timer.start()
    result = job.run()
    assert result.cancelled
    assert time.perf_counter() - start < 2.0
    assert len(result.done) < 10


def test_frames_in_flight_are_bounded(doc):
    active = 0
    peak = 0
    lock = threading.Lock()
    sink = doc.add("Sink", doc.add("Ramp", delay=0.02))
    job = RenderJob(doc, [sink], range(1, 13), threads=3)
    original = job._render_frame

    def counting(frame):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return original(frame)
        finally:
            with lock:
                active -= 1

    job._render_frame = counting
    assert job.run().ok
    assert peak <= 3


def test_no_outputs_is_a_clear_error(doc):
    with pytest.raises(GraphError, match="nothing to render"):
        RenderJob(doc, [], [1])
