"""Backdrops in the graph editor: drawn from the node's params, resized, moved, created and undone."""

import pytest
from NodeGraphQt import BackdropNode
from PySide6 import QtCore

from nodecomp.ui import graph_backdrops
from nodecomp.ui.graph_view import GraphView
from tests.ui.qt_helpers import settle


@pytest.fixture
def view(qtbot, comp):
    graph_view = GraphView(comp)
    qtbot.addWidget(graph_view.widget)
    yield graph_view
    graph_view.close()


def test_a_backdrop_shows_its_label_note_colour_and_size(view, comp):
    backdrop = comp.add("Backdrop", label="Plate prep", note="denoise first", colour=(0.5, 0.25, 0.0, 1.0),
                        width=500.0, height=300.0)
    item = view.view_of(backdrop)
    assert isinstance(item, BackdropNode)
    assert (item.view.width, item.view.height) == (500.0, 300.0)
    assert item.view.name == "Plate prep" and item.view.backdrop_text == "denoise first"
    assert item.color()[:3] == (128, 64, 0)
    assert item.name() == backdrop.name  # the view node keeps the node's name; only the bar shows the label
    comp.set_param(backdrop, "label", "")
    assert item.view.name == backdrop.name
    backdrop["width"] = 640.0
    assert item.view.width == 640.0
    comp.undo()
    assert item.view.width == 500.0
    comp.rename(backdrop, "Prep")
    assert item.view.name == "Prep"


def test_resizing_the_corner_is_one_undoable_edit(view, comp):
    backdrop = comp.add("Backdrop")
    comp.set_ui(backdrop, "pos", [-50.0, -80.0])
    comp.undo_stack.clear()
    item = view.view_of(backdrop)
    view.viewer.node_backdrop_updated.emit(item.id, "sizer_mouse_release",
                                           {"pos": [-50.0, -80.0], "width": 720.4, "height": 30.0})
    assert backdrop["width"] == 720.4 and backdrop["height"] == 80.0  # never below the minimum
    assert comp.undo_stack.undo_label == f"Resize {backdrop.name}"
    comp.undo()
    assert backdrop["width"] == 400.0 and item.view.width == 400.0
    view.viewer.node_backdrop_updated.emit(item.id, "sizer_double_clicked",
                                           {"pos": [10.0, 20.0], "width": 300.0, "height": 200.0})
    assert backdrop.ui["pos"] == [10.0, 20.0] and item.pos() == [10.0, 20.0]
    assert view.graph.undo_stack().count() == 0


def test_a_backdrop_made_with_nodes_selected_goes_around_them(view, comp):
    grade, write = comp["Grade1"], comp["Write1"]
    view.select([grade, write])
    backdrop = view.create_node("Backdrop")
    outer = graph_backdrops.rect_of(view.view_of(backdrop))
    assert outer[2:] == (backdrop["width"], backdrop["height"])
    for node in (grade, write):
        assert graph_backdrops.contains(outer, graph_backdrops.rect_of(view.view_of(node)))
    assert not graph_backdrops.contains(outer, graph_backdrops.rect_of(view.view_of(comp["Constant1"])))
    assert grade.inputs["source"] is comp["Constant1"]  # nothing was wired to it
    comp.undo()
    assert backdrop.name not in comp and view.view_of(backdrop) is None


def test_dragging_a_backdrop_moves_the_nodes_on_it(qtbot, view, comp):
    view.widget.resize(800, 600)
    view.widget.show()
    qtbot.waitExposed(view.widget)
    view.select([comp["Grade1"], comp["Write1"]])
    backdrop = view.create_node("Backdrop")
    view.select([])
    view.frame_all()
    settle()
    before = {n.name: list(n.ui["pos"]) for n in comp.nodes}
    steps = len(comp.undo_stack._done)
    item = view.view_of(backdrop).view
    viewport = view.viewer.viewport()
    start = view.viewer.mapFromScene(item.mapToScene(QtCore.QPointF(item.width / 2, 10)))
    end = start + QtCore.QPoint(60, 40)
    qtbot.mousePress(viewport, QtCore.Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(viewport, start + (end - start) * step / 10)
    qtbot.mouseRelease(viewport, QtCore.Qt.MouseButton.LeftButton, pos=end)
    settle()
    moved = {n.name for n in comp.nodes if n.ui["pos"] != before[n.name]}
    assert moved == {backdrop.name, "Grade1", "Write1"}
    dx = comp["Grade1"].ui["pos"][0] - before["Grade1"][0]
    assert dx > 0 and backdrop.ui["pos"][0] - before[backdrop.name][0] == pytest.approx(dx)
    assert len(comp.undo_stack._done) == steps + 1
    comp.undo()
    assert {n.name: n.ui["pos"] for n in comp.nodes} == before


def test_backdrops_copy_paste_and_reopen_with_their_look(make_window, comp, registry, tmp_path):
    window = make_window()
    window.set_document(comp)
    view, actions = window.graph_view, window.graph_actions
    backdrop = comp.add("Backdrop", label="Keys", width=333.0)
    view.select([backdrop])
    pasted = actions.paste(actions.copy_selected())
    assert [n.type_id for n in pasted] == ["nodecomp.Backdrop"]
    assert pasted[0]["label"] == "Keys" and view.view_of(pasted[0]).view.width == 333.0
    path = str(tmp_path / "shot.ncomp")
    comp.save(path)
    assert window.open_file(path)
    again = window.doc
    assert view.view_of(again[backdrop.name]).view.width == 333.0
    assert view.view_of(again[backdrop.name]).view.name == "Keys"
    view.select([again[backdrop.name]])
    actions.view_selected()  # a backdrop has no image: the viewer keeps what it showed
    assert window.viewer.node_name != backdrop.name


def test_colouring_a_backdrop_sets_its_colour_param(make_window, comp):
    window = make_window()
    window.set_document(comp)
    view, actions = window.graph_view, window.graph_actions
    backdrop = comp.add("Backdrop")
    actions.ask_colour = lambda current: (255, 0, 51)
    view.select([backdrop])
    actions.colour_selected()
    assert backdrop["colour"] == pytest.approx((1.0, 0.0, 0.2, 1.0))
    assert "color" not in backdrop.ui and view.view_of(backdrop).color()[:3] == (255, 0, 51)


def test_wrap_and_contains():
    assert graph_backdrops.wrap([]) is None
    x, y, w, h = graph_backdrops.wrap([(0, 100, 160, 60), (200, 300, 160, 60)])
    assert (x, y) == (-graph_backdrops.PADDING, 100 - graph_backdrops.PADDING - graph_backdrops.TITLE_BAR)
    assert (x + w, y + h) == (360 + graph_backdrops.PADDING, 360 + graph_backdrops.PADDING)
    assert graph_backdrops.wrap([(0, 0, 1, 1)])[2:] == (80.0, 80.0)
    assert graph_backdrops.contains((0, 0, 100, 100), (10, 10, 90, 90))
    assert not graph_backdrops.contains((0, 0, 100, 100), (10, 10, 91, 90))
