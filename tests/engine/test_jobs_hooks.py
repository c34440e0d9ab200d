"""Pipeline hooks around render jobs: per job and process-wide, before, per frame and after."""

import pytest

from nodecomp.engine.jobs import RenderJob, render_hooks


@pytest.fixture
def recorded():
    """Connect a recorder to every process-wide hook, disconnect it afterwards."""
    events = []
    callbacks = {
        render_hooks.before_render: lambda job: events.append(("before", job)),
        render_hooks.frame_done: lambda job, frame: events.append(("done", frame.frame)),
        render_hooks.frame_failed: lambda job, frame: events.append(("failed", frame.frame)),
        render_hooks.after_render: lambda job, result: events.append(("after", result.done)),
    }
    for signal, callback in callbacks.items():
        signal.connect(callback)
    yield events
    for signal, callback in callbacks.items():
        signal.disconnect(callback)


def test_process_hooks_see_every_job_in_order(doc, recorded):
    sink = doc.add("Sink", doc.add("Ramp"))
    job = RenderJob(doc, [sink], [1, 2, 3], threads=1)
    job.run()
    assert recorded == [("before", job), ("done", 1), ("done", 2), ("done", 3), ("after", [1, 2, 3])]


def test_job_hooks_and_failed_frames(doc, recorded):
    sink = doc.add("Sink", doc.add("Fail", doc.add("Ramp"), bad=1 << 2))
    job = RenderJob(doc, [sink], [1, 2, 3], threads=1, keep_going=True)
    seen = []
    job.before_render.connect(lambda j: seen.append("before"))
    job.after_render.connect(lambda j, result: seen.append(("after", len(result.errors))))
    job.run()
    assert seen == ["before", ("after", 1)]
    assert ("failed", 2) in recorded and recorded[-1] == ("after", [1, 3])


def test_a_failing_hook_never_fails_the_render(doc, recorded, caplog):
    def broken(job):
        raise RuntimeError("tracker offline")

    render_hooks.before_render.connect(broken)
    try:
        sink = doc.add("Sink", doc.add("Ramp"))
        assert RenderJob(doc, [sink], [1], threads=1).run().ok
    finally:
        render_hooks.before_render.disconnect(broken)
    assert "listener of before_render failed" in caplog.text


def test_a_before_render_hook_can_cancel_the_job(doc):
    def veto(job):
        job.cancel()

    render_hooks.before_render.connect(veto)
    try:
        sink = doc.add("Sink", doc.add("Ramp"))
        result = RenderJob(doc, [sink], [1, 2], threads=1).run()
    finally:
        render_hooks.before_render.disconnect(veto)
    assert result.cancelled and result.frames == []
