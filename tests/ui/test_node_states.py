"""Cached and computing badges: found from plan keys and cache peeks, throttled, drawn on the nodes."""

from PySide6 import QtCore

from nodecomp.engine.cache import ImageCache
from nodecomp.engine.evaluator import Evaluator
from nodecomp.ui.graph_nodes import STATE_COLOURS
from nodecomp.ui.graph_view import GraphView
from nodecomp.ui.node_states import NodeState, NodeStates, cached_nodes


def test_cached_nodes_are_those_whose_key_at_the_frame_is_in_the_cache(comp):
    cache = ImageCache(64 * 1024**2)
    assert cached_nodes(comp, 1, cache) == set()
    Evaluator(comp, cache).evaluate(comp["Grade1"], 1)
    comp.add("Backdrop")
    comp.add("Blur")  # unconnected: cannot be planned, so it is not cached
    hits_before = cache.stats.hits
    assert cached_nodes(comp, 1, cache) == {"Constant1", "Grade1"}  # the Write is never cached
    assert cache.stats.hits == hits_before  # peeking counts nothing
    comp["Grade1"]["multiply"] = (2.0, 2.0, 2.0, 1.0)
    assert cached_nodes(comp, 1, cache) == {"Constant1"}


def test_node_states_throttle_and_report_changes(qtbot, comp):
    cache = ImageCache(64 * 1024**2)
    states = NodeStates(cache)
    try:
        Evaluator(comp, cache).evaluate(comp["Grade1"], 1)
        with qtbot.waitSignal(states.changed, timeout=5000) as signal:
            for _ in range(20):  # a burst of edits asks once
                states.update(comp, 1)
        assert signal.args[0] == {"Constant1": NodeState.CACHED, "Grade1": NodeState.CACHED}
        with qtbot.waitSignal(states.changed, timeout=5000) as signal:
            states.set_computing("Write1", True)
        assert signal.args[0]["Write1"] == NodeState.COMPUTING
        with qtbot.waitSignal(states.changed, timeout=5000) as signal:
            states.set_computing("Grade1", True)
            states.idle()
        assert signal.args[0] == {"Constant1": NodeState.CACHED, "Grade1": NodeState.CACHED}
    finally:
        states.shutdown()


def test_computing_is_counted_per_node_and_source(qtbot, comp):
    states = NodeStates(ImageCache(1 << 20))
    try:
        states.set_computing("Grade1", True, "render")
        states.set_computing("Grade1", True, "render")  # two frames in flight
        states.set_computing("Grade1", False, "render")
        states.set_computing("Constant1", True)
        states.idle()  # the viewer is done; the render is not
        assert states.computing == {"Grade1"}
        states.set_computing("Grade1", False, "render")
        assert states.computing == set()
    finally:
        states.shutdown()


def test_a_render_from_the_dialog_shows_computing_then_cached(qtbot, make_window, comp):
    window = make_window()
    window.set_document(comp)
    comp.add("uitest.Slow", comp["Grade1"], seconds=0.3, name="Slow1")
    comp.add("uitest.Record", comp["Slow1"], name="Record1")
    seen: list[set[str]] = []
    window.node_states.changed.connect(lambda states: seen.append(
        {name for name, state in states.items() if state == NodeState.COMPUTING}))
    dialog = window.open_render_dialog()
    dialog.frames.setText("1-2")
    for index in range(dialog.writes.count()):
        item = dialog.writes.item(index)
        wanted = item.data(QtCore.Qt.ItemDataRole.UserRole) == "Record1"
        item.setCheckState(QtCore.Qt.CheckState.Checked if wanted else QtCore.Qt.CheckState.Unchecked)
    assert dialog.selected_writes() == ["Record1"]
    with qtbot.waitSignal(dialog.finished_render, timeout=20000):
        assert dialog.start()
    qtbot.waitUntil(lambda: window.node_states.computing == set(), timeout=5000)
    assert any("Slow1" in names for names in seen)


def test_badges_are_drawn_on_the_nodes(qtbot, comp):
    view = GraphView(comp)
    qtbot.addWidget(view.widget)
    try:
        grade = comp["Grade1"]
        view.set_states({"Grade1": "cached", "Constant1": "computing"})
        badge = view._badges[grade.id]
        assert view.state_of(grade) == "cached" and badge.isVisible()
        assert badge.brush().color().getRgb()[:3] == STATE_COLOURS["cached"]
        assert badge.parentItem() is view.view_of(grade).view
        view.set_states({"Constant1": "computing"})
        assert view.state_of(grade) is None and not badge.isVisible()
        comp.remove(comp["Constant1"])
        view.set_states({})
        assert view._states == {}
    finally:
        view.close()


def test_the_window_marks_computing_then_cached_nodes(qtbot, make_window, doc):
    solid = doc.add("uitest.Solid")
    slow = doc.add("uitest.Slow", solid, seconds=1.0)
    doc.add("uitest.Record", slow)
    window = make_window()
    window.set_document(doc)
    window.show()
    graph = window.graph_view
    qtbot.waitUntil(lambda: graph.state_of(slow) == "computing", timeout=10000)
    qtbot.waitUntil(lambda: graph.state_of(slow) == "cached" and graph.state_of(solid) == "cached", timeout=20000)
    doc["Slow1"]["seconds"] = 0.5  # an edit: Slow1's result at this frame is no longer in the cache
    qtbot.waitUntil(lambda: graph.state_of(slow) != "cached", timeout=10000)
    qtbot.waitUntil(lambda: graph.state_of(slow) == "cached", timeout=20000)
