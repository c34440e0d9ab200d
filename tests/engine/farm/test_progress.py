from nodecomp.engine.farm.progress import FarmProgress, FrameEvent
from nodecomp.engine.farm.task import FrameState


def event(state, worker, frame=None, **kw):
    return FrameEvent(FrameState(state), worker, frame, **kw)


def test_tally_follows_the_latest_state_of_each_frame():
    progress = FarmProgress(4)
    for e in (event("chunk", "a", chunk=0), event("start", "a", 1), event("done", "a", 1), event("start", "a", 2),
              event("chunk", "b", chunk=0), event("start", "b", 2), event("failed", "b", 2, error="boom"),
              event("start", "b", 2), event("done", "b", 2), event("skipped", "submitter", 3),
              event("start", "a", 4)):
        progress.record(e)
    assert progress.counts() == {"done": 2, "failed": 0, "skipped": 1, "running": 1, "chunk_attempts": 2}
    workers = progress.per_worker()
    assert (workers["a"].done, workers["a"].running, workers["a"].chunks) == (1, {4}, 1)
    assert (workers["b"].done, workers["b"].failed, workers["b"].running) == (1, 1, set())
    assert progress.finished_frames() == 3


def test_dask_events_decode_and_junk_is_ignored():
    raw = (12.5, {"state": "done", "frame": 3, "chunk": 1, "seconds": 0.25, "worker": "tcp://127.0.0.1:1"})
    decoded = FrameEvent.from_dask(raw)
    assert decoded == FrameEvent(FrameState.DONE, "tcp://127.0.0.1:1", 3, 1, 0.25, None, 12.5)
    assert FrameEvent.from_dask((1.0, {"state": "bogus"})) is None
    assert FrameEvent.from_dask("nonsense") is None
