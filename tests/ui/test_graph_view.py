import pytest
from NodeGraphQt.constants import PortTypeEnum

from nodecomp.ui import graph_nodes
from nodecomp.ui.graph_view import GraphView


@pytest.fixture
def view(qtbot, comp):
    graph_view = GraphView(comp)
    qtbot.addWidget(graph_view.widget)
    yield graph_view
    graph_view.close()


def sources(view, node):
    """{input: source name} as the view draws it."""
    ports = view.view_of(node).inputs()
    return {name: [p.node().name() for p in port.connected_ports()] for name, port in ports.items()}


def port_item(view, node, name, kind):
    ports = view.view_of(node).inputs() if kind == "in" else view.view_of(node).outputs()
    return ports[name].view


def test_the_view_mirrors_the_document(view, comp):
    assert sorted(v.name() for v in view.graph.all_nodes()) == ["Constant1", "Grade1", "Write1"]
    assert sources(view, comp["Grade1"]) == {"source": ["Constant1"]}
    assert view.view_of(comp["Grade1"]).pos() == [0.0, 100.0]
    assert view.view_of(comp["Grade1"]).type_ == graph_nodes.view_type("nodecomp.Grade")


def test_document_edits_and_their_undo_update_the_view(view, comp):
    grade = comp["Grade1"]
    comp.disconnect(grade, 0)
    assert sources(view, grade) == {"source": []}
    comp.undo()
    assert sources(view, grade) == {"source": ["Constant1"]}
    comp.remove(grade, reconnect=True)
    assert view.view_of(grade) is None
    assert sources(view, comp["Write1"]) == {"source": ["Constant1"]}
    comp.undo()
    assert sources(view, comp["Write1"]) == {"source": ["Grade1"]}
    assert sources(view, grade) == {"source": ["Constant1"]}
    comp.rename(grade, "Look")
    assert view.view_of(grade).name() == "Look"
    comp.set_disabled(grade, True)
    assert view.view_of(grade).disabled()
    comp.set_ui(grade, "pos", [30, 40])
    assert view.view_of(grade).pos() == [30.0, 40.0]
    comp.undo()
    assert view.view_of(grade).pos() == [0.0, 100.0]


def test_no_edit_reaches_nodegraphqts_own_undo_stack(view, comp):
    view.create_node("Blur")
    comp.undo()
    comp.redo()
    assert view.graph.undo_stack().count() == 0


def test_a_dragged_connection_becomes_one_document_command(view, comp):
    grade, write = comp["Grade1"], comp["Write1"]
    constant = comp["Constant1"]
    steps = len(comp.undo_stack._done)
    # drag Constant1's output onto Write1's input, which Grade1 fed
    view.viewer.connection_changed.emit(
        [(port_item(view, write, "source", "in"), port_item(view, grade, "result", "out"))],
        [(port_item(view, constant, "result", "out"), port_item(view, write, "source", "in"))],
    )
    assert write.inputs["source"] is constant
    assert sources(view, write) == {"source": ["Constant1"]}
    assert len(comp.undo_stack._done) == steps + 1
    comp.undo()
    assert write.inputs["source"] is grade
    assert sources(view, write) == {"source": ["Grade1"]}


def test_a_refused_connection_is_reported_and_the_view_restored(view, comp):
    messages = []
    view.message.connect(messages.append)
    grade, constant = comp["Grade1"], comp["Constant1"]
    # Constant1 has no inputs; try a cycle instead: Grade1's output into Grade1's input
    view.viewer.connection_changed.emit(
        [], [(port_item(view, grade, "result", "out"), port_item(view, grade, "source", "in"))]
    )
    assert messages and "cycle" in messages[0]
    assert grade.inputs["source"] is constant
    assert sources(view, grade) == {"source": ["Constant1"]}


def test_slicing_moving_and_renaming_in_place(view, comp):
    grade = comp["Grade1"]
    view.viewer.connection_sliced.emit(
        [(port_item(view, grade, "source", "in"), port_item(view, comp["Constant1"], "result", "out"))]
    )
    assert grade.inputs["source"] is None
    item = view.view_of(grade).view
    view.view_of(grade).set_pos(120, 80)
    view.viewer.moved_nodes.emit({item: (0.0, 100.0)})
    assert grade.ui["pos"] == [120.0, 80.0]
    view.viewer.node_name_changed.emit(view.view_of(grade).id, "Graded")
    assert grade.name == "Graded"
    view.viewer.node_name_changed.emit(view.view_of(grade).id, "Write1")  # taken: refused, view restored
    assert grade.name == "Graded" and view.view_of(grade).name() == "Graded"


def test_dropping_a_node_on_a_pipe_inserts_it(view, comp):
    blur = comp.add("Blur")
    comp.undo_stack.clear()
    pipe = next(p for p in view.viewer.all_pipes()
                if p.input_port.node.name == "Write1" and p.input_port.port_type == PortTypeEnum.IN.value)
    view.viewer.insert_node.emit(pipe, view.view_of(blur).id, {})
    assert blur.inputs["source"] is comp["Grade1"]
    assert comp["Write1"].inputs["source"] is blur
    comp.undo()
    assert comp["Write1"].inputs["source"] is comp["Grade1"]


def test_create_node_chains_below_the_selected_node(view, comp):
    view.select([comp["Grade1"]])
    blur = view.create_node("Blur")
    assert blur.inputs["source"] is comp["Grade1"]
    assert blur.ui["pos"] == [0.0, 200.0]
    assert view.selected() == [blur]
    comp.undo()
    assert "Blur1" not in comp and view.graph.get_node_by_name("Blur1") is None


def test_errors_colour_the_node_and_set_its_tooltip(view, comp):
    view.set_error("Grade1", "frame 3: whitepoint equals blackpoint")
    item = view.view_of(comp["Grade1"])
    assert item.color() == graph_nodes.ERROR_COLOUR
    assert "whitepoint" in item.view.toolTip()
    view.clear_errors()
    assert item.color() == graph_nodes.CATEGORY_COLOURS["Color"]


def test_placeholders_keep_their_ports(qtbot, registry):
    from nodecomp.core.fileformat import loads

    text = """{"format_version": 1, "nodes": [
      {"name": "C", "type": "nodecomp.Constant"},
      {"name": "Wall", "type": "ledwall.TileExport", "inputs": {"plate": "C"}, "params": {"rows": 4}}]}"""
    doc = loads(text, registry)
    view = GraphView(doc)
    qtbot.addWidget(view.widget)
    wall = view.view_of(doc["Wall"])
    assert isinstance(wall, graph_nodes.Placeholder)
    assert sources(view, doc["Wall"]) == {"plate": ["C"]}
    assert "not loaded" in wall.view.toolTip()
    view.close()


def test_auto_positions_place_rows_by_depth(comp):
    positions = graph_nodes.auto_positions(comp.nodes)
    assert [positions[n.id][1] for n in comp.nodes] == [0.0, 100.0, 200.0]


def test_switching_documents(view, comp, doc):
    other = type(comp)(comp.registry)
    other.add("Constant")
    view.set_document(other)
    assert [v.name() for v in view.graph.all_nodes()] == ["Constant1"]
    comp.add("Blur")  # the old document no longer reaches the view
    assert len(view.graph.all_nodes()) == 1
