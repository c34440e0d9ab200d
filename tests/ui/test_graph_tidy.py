"""Dots ('.') on connections, small round Dots, and auto-layout ('L') as one undo step each."""

import pytest
from PySide6 import QtCore

from nodecomp.ui import graph_backdrops, graph_tidy
from nodecomp.ui.graph_nodes import DOT_SIZE, DotItem


@pytest.fixture
def window(make_window, comp):
    window = make_window()
    window.set_document(comp)
    window.show()
    return window


def pipe_into(graph, node, input_name):
    port = graph.view_of(node).inputs()[input_name].view
    return port.connected_pipes[0]


def band_select(qtbot, graph, top_left, bottom_right):
    """Drag a selection box between two scene points, as a user selects pipes."""
    viewport = graph.viewer.viewport()
    start = graph.viewer.mapFromScene(QtCore.QPointF(*top_left))
    end = graph.viewer.mapFromScene(QtCore.QPointF(*bottom_right))
    qtbot.mousePress(viewport, QtCore.Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(viewport, start + (end - start) * step / 10)
    qtbot.mouseRelease(viewport, QtCore.Qt.MouseButton.LeftButton, pos=end)


def test_dot_key_inserts_a_dot_on_the_selected_connection(qtbot, window, comp):
    graph = window.graph_view
    grade, write = comp["Grade1"], comp["Write1"]
    graph.select([])
    graph.frame_all()
    # a box across the pipe from Grade1 down to Write1 (Grade1 ends at y 160, Write1 starts at 200)
    band_select(qtbot, graph, (-60, 175), (300, 185))
    assert graph.selected() == [] and graph.selected_connections() == [(write, "source", grade)]
    steps = len(comp.undo_stack._done)
    graph.viewer.setFocus()
    qtbot.keyClick(graph.viewer, QtCore.Qt.Key.Key_Period)
    dot = comp["Dot1"]
    assert dot.inputs["source"] is grade and write.inputs["source"] is dot
    assert len(comp.undo_stack._done) == steps + 1 and graph.selected() == [dot]
    # halfway along the pipe, which ran straight down from Grade1 to Write1
    x, y = dot.ui["pos"]
    assert grade.ui["pos"][1] < y < write.ui["pos"][1]
    assert x + DOT_SIZE / 2 == pytest.approx(graph.view_of(grade).view.width / 2, abs=1.0)
    comp.undo()
    assert "Dot1" not in comp and write.inputs["source"] is grade
    assert [p.node().name() for p in graph.view_of(write).inputs()["source"].connected_ports()] == ["Grade1"]


def test_a_dot_goes_where_the_mouse_points_at_a_connection(window, comp):
    graph = window.graph_view
    grade, write = comp["Grade1"], comp["Write1"]
    centre = graph.view_of(grade).view.width / 2
    assert graph.connection_at((centre + 3, 180)) == (write, "source", grade)
    assert graph.connection_at((centre + 60, 180)) is None
    dot = graph_tidy.insert_dots(graph, [graph.connection_at((centre, 180))], at=(centre, 180))[0]
    assert dot.ui["pos"] == [centre - DOT_SIZE / 2, 180 - DOT_SIZE / 2]
    assert write.inputs["source"] is dot


def test_dots_on_several_connections_and_without_one(window, comp):
    graph, actions = window.graph_view, window.graph_actions
    merge = comp.add("Merge", comp["Grade1"], comp["Constant1"])
    graph.select([])
    pipe_into(graph, merge, "a").setSelected(True)
    pipe_into(graph, merge, "b").setSelected(True)
    dots = actions.insert_dot()
    assert sorted(d.name for d in dots) == ["Dot1", "Dot2"]
    assert {merge.inputs["a"].inputs["source"].name, merge.inputs["b"].inputs["source"].name} == {"Grade1",
                                                                                                  "Constant1"}
    comp.undo()
    assert merge.inputs["a"] is comp["Grade1"] and merge.inputs["b"] is comp["Constant1"]
    pipe_into(graph, merge, "a").setSelected(True)
    graph.view_of(comp["Grade1"]).view.setSelected(True)  # a node selected too: the Dot follows it
    dot = actions.insert_dot()[0]
    assert dot.inputs["source"] is comp["Grade1"] and merge.inputs["a"] is comp["Grade1"]


def test_dots_are_small_round_and_nameless(qtbot, window, comp):
    graph = window.graph_view
    dot = comp.add("Dot", comp["Grade1"])
    item = graph.view_of(dot).view
    assert isinstance(item, DotItem)
    assert (item.width, item.height) == (DOT_SIZE, DOT_SIZE) == (item.boundingRect().width(),
                                                                 item.boundingRect().height())
    assert not item.text_item.isVisible()
    item.set_proxy_mode(True)
    item.set_proxy_mode(False)
    assert not item.text_item.isVisible()
    in_port = graph.view_of(dot).inputs()["source"].view
    out_port = graph.view_of(dot).outputs()["result"].view
    assert in_port.mapRectToParent(in_port.boundingRect()).bottom() == pytest.approx(0.0)
    assert out_port.mapRectToParent(out_port.boundingRect()).top() == pytest.approx(DOT_SIZE)
    graph.frame_all()
    image = graph.widget.grab().toImage()  # paints the disc and the port stubs
    assert not image.isNull()


def test_l_arranges_the_selection_by_dataflow_as_one_step(qtbot, window, comp):
    graph = window.graph_view
    scrambled = {"Constant1": [400, 500], "Grade1": [-300, 40], "Write1": [90, -200]}
    with comp.macro("scramble"):
        for name, pos in scrambled.items():
            comp.set_ui(comp[name], "pos", pos)
    graph.select(comp.nodes)
    graph.viewer.setFocus()
    qtbot.keyClick(graph.viewer, QtCore.Qt.Key.Key_L)
    positions = {n.name: n.ui["pos"] for n in comp.nodes}
    assert positions["Constant1"][1] < positions["Grade1"][1] < positions["Write1"][1]
    assert positions["Constant1"][0] == positions["Grade1"][0] == positions["Write1"][0]
    assert graph.view_of(comp["Grade1"]).pos() == positions["Grade1"]
    assert comp.undo_stack.undo_label == "Auto-layout 3 nodes"
    comp.undo()
    assert {n.name: n.ui["pos"] for n in comp.nodes} == scrambled


def test_layout_of_everything_refits_backdrops_around_their_nodes(window, comp):
    graph = window.graph_view
    graph.select([comp["Grade1"], comp["Write1"]])
    backdrop = graph.create_node("Backdrop")
    comp.set_ui(comp["Write1"], "pos", [comp["Write1"].ui["pos"][0] + 40, comp["Write1"].ui["pos"][1] + 30])
    comp.set_param(backdrop, "width", 800.0)
    comp.set_param(backdrop, "height", 900.0)
    graph.select([])  # nothing selected: every node is arranged
    assert graph_tidy.auto_layout(graph)
    outer = graph_backdrops.rect_of(graph.view_of(backdrop))
    assert outer[2] < 800 and outer[3] < 900
    for name in ("Grade1", "Write1"):
        assert graph_backdrops.contains(outer, graph_backdrops.rect_of(graph.view_of(comp[name])))
    assert not graph_backdrops.contains(outer, graph_backdrops.rect_of(graph.view_of(comp["Constant1"])))
    comp.undo()
    assert backdrop["width"] == 800.0


def test_dots_layout_backdrops_and_badges_inside_an_open_group(window, comp):
    graph, groups = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    group = groups.collapse_selected()
    graph.enter(group)
    inside = [n for n in comp.nodes if n.parent is group]
    with comp.macro("scramble"):
        for index, node in enumerate(inside):
            comp.set_ui(node, "pos", [index * 333.0, -index * 200.0])
    outside = {n.name: list(n.ui["pos"]) for n in comp.nodes if n.parent is None}
    graph.select([])
    assert graph_tidy.auto_layout(graph)
    rows = sorted(inside, key=lambda n: n.ui["pos"][1])
    assert [n.name for n in rows] == ["Input1", "Grade1", "Output1"]
    assert {n.name: n.ui["pos"] for n in comp.nodes if n.parent is None} == outside  # the top level did not move
    grade = comp["Grade1"]
    dot = graph_tidy.insert_dots(graph, [(grade, "source", grade.inputs["source"])])[0]
    assert dot.parent is group and grade.inputs["source"] is dot
    graph.select([grade])
    backdrop = graph.create_node("Backdrop")
    assert backdrop.parent is group
    graph.set_states({"Grade1": "cached"})
    graph.leave()
    assert graph.view_of(backdrop) is None and graph.state_of(grade) == "cached"
    graph.enter(group)
    assert graph._badges[grade.id].isVisible()  # drawn again when the group is opened
