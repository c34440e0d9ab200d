"""Node actions as jobs: a snapshot, inputs at any frame, progress, cancel, edits applied as one undo step."""

import threading

import pytest

from nodecomp.api import Action, Float, Input, NodeType, String
from nodecomp.core.document import Document
from nodecomp.core.errors import CancelledError, EvaluationError, GraphError
from nodecomp.core.format import Format
from nodecomp.engine.actions import ActionJob, run_action
from nodecomp.engine.cache import ImageCache


class Measure(NodeType):
    """Sums its input over frames and stores the mean in `level`; `wait` blocks until released."""

    type_id = "test.Measure"
    inputs = (Input("source"),)
    params = (
        String("frames", default="", doc="frames to measure"),
        Float("level", default=0.0, doc="the measured mean"),
        String("note", default="", doc="left alone by the action"),
    )
    actions = (Action("measure", doc="Average the input over frames."),
               Action("wait", doc="Report, then wait for the test to cancel."),
               Action("crash", doc="Fail like a careless plugin."))
    released = threading.Event()

    @classmethod
    def run_action(cls, ctx, action):
        if action == "crash":
            raise EvaluationError("the model is broken", path="/looks/show.nclook")
        if action == "wait":
            while True:
                ctx.progress(None, "waiting", tick=1)
                cls.released.wait(0.01)
        frames = ctx.frames(ctx.params["frames"])
        total = 0.0
        for index, frame in enumerate(frames, start=1):
            total += float(ctx.input("source", frame).pixels.mean())
            ctx.progress(index / len(frames), f"frame {frame}", frame=frame)
        ctx.set_param("level", total / len(frames))
        ctx.output_changed("measured")
        return f"measured {len(frames)} frames"

    @staticmethod
    def compute(ctx, source, **params):
        return source


@pytest.fixture
def comp(registry):
    registry.register(Measure)
    doc = Document(registry)
    doc.format = Format(16, 8)
    doc.frame_range = (1, 4)
    doc.add("test.Measure", doc.add("test.Ramp"), name="Measure")
    doc.undo_stack.clear()
    return doc


def test_the_action_reads_inputs_at_its_frames_and_its_edit_is_one_undo_step(comp):
    events = []
    result = run_action(comp, "Measure", "measure", on_progress=events.append)
    assert result.message == "measured 4 frames" and result.label == "Measure"
    assert comp["Measure"]["level"] == pytest.approx(2.5)  # frames 1-4 of the ramp
    assert [e.values.get("frame") for e in events if e.values] == [1, 2, 3, 4]
    assert events[-2].fraction == 1.0 and events[-1].output_changed and events[-1].message == "measured"
    assert comp.undo() == "Measure Measure" and comp["Measure"]["level"] == 0.0


def test_the_job_works_on_a_snapshot_and_applies_only_what_it_changed(comp):
    comp["Measure"]["frames"] = "2"
    job = ActionJob(comp, "Measure", "measure", cache=ImageCache(1 << 24))
    comp["Measure"]["note"] = "edited while it runs"
    comp["Measure"]["frames"] = "3"
    result = job.run()
    assert set(result.params) == {"level"} and comp["Measure"]["level"] == 0.0  # nothing applied yet
    assert result.apply(comp)
    assert comp["Measure"]["level"] == 2.0 and comp["Measure"]["note"] == "edited while it runs"


def test_results_follow_renames_and_skip_deleted_nodes(comp):
    result = ActionJob(comp, "Measure", "measure").run()
    comp.rename("Measure", "Meter")
    assert result.apply(comp) and comp["Meter"]["level"] == pytest.approx(2.5)
    comp.remove("Meter")
    assert not result.apply(comp)


def test_cancel_from_another_thread_stops_at_the_next_report(comp):
    job = ActionJob(comp, "Measure", "wait")
    started = threading.Event()
    outcome = {}

    def work():
        try:
            job.run(lambda event: started.set())
        except CancelledError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(10)
    job.cancel()
    thread.join(10)
    assert isinstance(outcome.get("error"), CancelledError)


def test_errors_name_the_node_and_unknown_actions_list_the_real_ones(comp):
    with pytest.raises(EvaluationError, match=r"node Measure, file /looks/show.nclook: the model is broken"):
        run_action(comp, "Measure", "crash")
    with pytest.raises(GraphError, match=r"Measure has no action 'fly' \(its actions: measure, wait, crash\)"):
        ActionJob(comp, "Measure", "fly")
    comp.frame_range = (1, 2)
    comp["Measure"]["frames"] = "one to two"
    with pytest.raises(EvaluationError, match="node Measure: bad frame list 'one to two'"):
        run_action(comp, "Measure", "measure")


def test_an_unconnected_input_is_named(comp):
    comp.disconnect("Measure", "source")
    with pytest.raises(EvaluationError, match="node Measure: input 'source' is not connected"):
        run_action(comp, "Measure", "measure")


def test_a_failing_progress_handler_never_stops_the_action(comp):
    def broken(event):
        raise RuntimeError("display gone")

    assert run_action(comp, "Measure", "measure", on_progress=broken).message == "measured 4 frames"


def test_inputs_are_rendered_through_the_given_cache(comp):
    cache = ImageCache(1 << 24)
    ActionJob(comp, "Measure", "measure", cache=cache).run()
    assert cache.stats.entries == 4
