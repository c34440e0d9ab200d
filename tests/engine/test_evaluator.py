"""The cache contract: count computes per node after edits (hash before compute)."""

import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.request import Request


def test_second_evaluation_is_all_hits(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=2.0)
    ev = Evaluator(doc)
    first = ev.evaluate(gain, 1)
    second = ev.evaluate(gain, 1)
    assert first is second
    assert calls == {"Solid1": 1, "Gain1": 1}
    np.testing.assert_allclose(first.pixels[0, 0], [1.0, 1.0, 1.0, 2.0])


def test_param_edit_recomputes_only_downstream(doc, calls):
    solid = doc.add("Solid")
    g1 = doc.add("Gain", solid, gain=2.0)
    g2 = doc.add("Gain", g1, gain=3.0)
    ev = Evaluator(doc)
    ev.evaluate(g2, 1)
    g2["gain"] = 4.0
    ev.evaluate(g2, 1)
    assert calls == {"Solid1": 1, "Gain1": 1, "Gain2": 2}
    g1["gain"] = 5.0
    ev.evaluate(g2, 1)
    assert calls == {"Solid1": 1, "Gain1": 2, "Gain2": 3}


def test_undo_returns_to_cached_result(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=2.0)
    ev = Evaluator(doc)
    before = ev.evaluate(gain, 1)
    gain["gain"] = 3.0
    ev.evaluate(gain, 1)
    doc.undo()
    assert ev.evaluate(gain, 1) is before
    assert calls["Gain1"] == 2


def test_frame_independent_source_is_shared_across_frames(doc, calls):
    solid = doc.add("Solid")
    ramp = doc.add("Ramp")
    add = doc.add("Add", solid, ramp)
    ev = Evaluator(doc)
    for frame in range(1, 6):
        ev.evaluate(add, frame)
    assert calls == {"Solid1": 1, "Ramp1": 5, "Add1": 5}


def test_animated_param_hashes_its_value_at_the_frame(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid)
    gain.set_key("gain", 1, 2.0, interp="constant")
    gain.set_key("gain", 10, 3.0, interp="constant")
    ev = Evaluator(doc)
    keys = {ev.hash(gain, f) for f in range(1, 10)}
    assert len(keys) == 1
    assert ev.hash(gain, 10) not in keys
    for frame in range(1, 10):
        ev.evaluate(gain, frame)
    assert calls["Gain1"] == 1


def test_pass_through_keeps_upstream_key_and_result(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=1.0)
    ev = Evaluator(doc)
    assert ev.hash(gain, 1) == ev.hash(solid, 1)
    assert ev.evaluate(gain, 1) is ev.evaluate(solid, 1)
    assert "Gain1" not in calls


def test_disabled_node_passes_first_input(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=3.0)
    doc.set_disabled(gain, True)
    ev = Evaluator(doc)
    assert ev.evaluate(gain, 1) is ev.evaluate(solid, 1)
    doc.set_disabled(solid, True)
    black = ev.evaluate(gain, 1)
    assert black.pixels.max() == 0


def test_time_offset_requests_other_frame(doc, calls):
    ramp = doc.add("Ramp")
    offset = doc.add("Offset", ramp, shift=2)
    ev = Evaluator(doc)
    assert ev.evaluate(offset, 5).pixels[0, 0, 0] == 7
    ev.evaluate(ramp, 7)
    assert calls["Ramp1"] == 1


def test_results_are_read_only(doc):
    gain = doc.add("Gain", doc.add("Solid"), gain=2.0)
    image = Evaluator(doc).evaluate(gain, 1)
    assert not image.pixels.flags.writeable
    with pytest.raises(ValueError):
        image.pixels[0, 0, 0] = 1


def test_unconnected_required_input_names_node_and_input(doc):
    gain = doc.add("Gain", gain=2.0)
    with pytest.raises(EvaluationError, match=r"Gain1.*frame 3.*input 'source' is not connected"):
        Evaluator(doc).evaluate(gain, 3)


def test_compute_error_names_node_and_frame(doc):
    fail = doc.add("Fail", doc.add("Solid"), bad=1 << 4)
    ev = Evaluator(doc)
    ev.evaluate(fail, 3)
    with pytest.raises(EvaluationError, match=r"node Fail1, frame 4: ValueError: boom"):
        ev.evaluate(fail, 4)


def test_bad_expression_surfaces_as_evaluation_error(doc):
    gain = doc.add("Gain", doc.add("Solid"))
    gain.set_expression("gain", "1/(frame-2)")
    with pytest.raises(EvaluationError, match="Gain1"):
        Evaluator(doc).evaluate(gain, 2)


def test_placeholder_node_cannot_evaluate(doc):
    from nodecomp.core.fileformat import document_from_dict

    data = doc.to_dict()
    data["nodes"].append({"name": "Ghost1", "type": "missing.Ghost", "params": {"x": 1}})
    loaded = document_from_dict(data, doc.registry)
    with pytest.raises(EvaluationError, match="missing.Ghost is not loaded"):
        Evaluator(loaded).evaluate("Ghost1", 1)


def test_cache_budget_evicts_but_results_stay_correct(doc, calls):
    ramp = doc.add("Ramp")
    gain = doc.add("Gain", ramp, gain=2.0)
    one_image = 64 * 32 * 4 * 4
    ev = Evaluator(doc, ImageCache(budget_bytes=3 * one_image))
    for frame in range(1, 11):
        assert ev.evaluate(gain, frame).pixels[0, 0, 0] == 2 * frame
    stats = ev.cache.stats
    assert stats.evictions > 0
    assert stats.bytes <= 3 * one_image


def test_request_region_and_scale_enter_the_key(doc):
    solid = doc.add("Solid")
    ev = Evaluator(doc)
    assert ev.hash(solid, Request(1.0)) != ev.hash(solid, Request(1.0, scale=0.5))


def test_volatile_nodes_are_never_cached(doc, registry, calls):
    from tests.engine.conftest import Ramp

    class Random(Ramp):
        type_id = "test.Random"
        volatile = True

    registry.register(Random)
    node = doc.add("Random")
    ev = Evaluator(doc)
    ev.evaluate(node, 1)
    ev.evaluate(node, 1)
    assert calls["Random1"] == 2


def test_on_compute_brackets_each_compute_and_cache_hits_say_nothing(doc, calls):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=2.0)
    seen = []
    ev = Evaluator(doc, on_compute=lambda name, started: seen.append((name, started)))
    ev.evaluate(gain, 1)
    assert seen == [("Solid1", True), ("Solid1", False), ("Gain1", True), ("Gain1", False)]
    seen.clear()
    ev.evaluate(gain, 1)
    assert seen == []


def test_on_compute_ends_even_when_the_node_fails(doc):
    failing = doc.add("Fail", doc.add("Solid"), bad=1 << 1)
    seen = []
    with pytest.raises(EvaluationError):
        Evaluator(doc, on_compute=lambda name, started: seen.append((name, started))).evaluate(failing, 1)
    assert seen[-2:] == [(failing.name, True), (failing.name, False)]


def test_plan_each_shares_upstream_work_and_keeps_errors_per_node(doc):
    solid = doc.add("Solid")
    gain = doc.add("Gain", solid, gain=2.0)
    loose = doc.add("Gain")
    plans = Evaluator(doc).plan_each([solid, gain, loose], 1)
    assert plans["Gain1"].inputs["source"] is plans["Solid1"]
    assert plans["Gain1"].key == Evaluator(doc).hash(gain, 1)
    assert isinstance(plans["Gain2"], EvaluationError) and "not connected" in str(plans["Gain2"])


def test_a_chain_of_thousands_of_nodes_plans_and_runs_in_a_thread(doc, calls):
    import threading

    node = doc.add("Solid")
    for _ in range(2500):
        node = doc.add("Gain", node, gain=1.0001)
    result: dict = {}

    def render():
        try:
            result["image"] = Evaluator(doc).evaluate(node, 1)
        except Exception as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    worker = threading.Thread(target=render)
    worker.start()
    worker.join()
    assert "error" not in result and result["image"].pixels.shape[2] == 4
