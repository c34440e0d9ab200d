"""Groups in the document: collapse, expand, publish, scopes, undo and the file format."""

from __future__ import annotations

import pytest

from nodecomp.core.document import Document
from nodecomp.core.errors import DocumentError, GraphError, ParamError
from nodecomp.core.fileformat import document_to_dict, dumps, loads
from nodecomp.core.nodetype import Input, NodeType
from tests.core.conftest import FAKE_TYPES, make_registry


class FakeGroup(NodeType):
    type_id = "test.Group"
    group_role = "group"

    @staticmethod
    def compute(ctx, **kwargs):
        return None


class FakeGroupInput(NodeType):
    type_id = "test.GroupInput"
    group_role = "input"

    @staticmethod
    def compute(ctx, **kwargs):
        return None


class FakeGroupOutput(NodeType):
    type_id = "test.GroupOutput"
    group_role = "output"
    inputs = (Input("source"),)

    @staticmethod
    def compute(ctx, **kwargs):
        return None


@pytest.fixture
def gdoc() -> Document:
    return Document(make_registry(*FAKE_TYPES, FakeGroup, FakeGroupInput, FakeGroupOutput))


def chain(doc: Document):
    src = doc.add("Source")
    f1 = doc.add("Filter", src, size=2.0)
    f2 = doc.add("Filter", f1, size=3.0)
    sink = doc.add("Sink", f2)
    return src, f1, f2, sink


def wiring(doc: Document) -> dict:
    return {
        n.name: ({k: (v.name if v else None) for k, v in n.inputs.items()}, n.parent.name if n.parent else None)
        for n in doc.nodes
    }


def test_collapse_wires_the_group_in_place_of_the_nodes(gdoc: Document) -> None:
    src, f1, f2, sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    assert group.type_id == "test.Group"
    assert [n.name for n in gdoc.children(group)] == ["Filter1", "Filter2", "Input1", "Output1"]
    assert gdoc.children() == [src, sink, group]
    assert [spec.name for spec in group.node_type.inputs] == ["Input1"]
    assert group.inputs["Input1"] is src
    assert f1.inputs["source"] is gdoc["Input1"]
    assert gdoc["Output1"].inputs["source"] is f2
    assert sink.inputs["source"] is group


def test_collapse_is_one_undo_step_and_redoes(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    before = wiring(gdoc)
    gdoc.group([f1, f2])
    after = wiring(gdoc)
    gdoc.undo()
    assert wiring(gdoc) == before
    gdoc.redo()
    assert wiring(gdoc) == after


def test_expand_restores_the_original_graph(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    before = wiring(gdoc)
    group = gdoc.group([f1, f2])
    kept = gdoc.ungroup(group)
    assert kept == [f1, f2]
    assert wiring(gdoc) == before
    gdoc.undo()
    assert "Group1" in gdoc and f1.parent is gdoc["Group1"]


def test_expand_of_a_group_that_passes_its_input_through(gdoc: Document) -> None:
    src = gdoc.add("Source")
    sink = gdoc.add("Sink")
    group = gdoc.add("Group")
    with gdoc.inside(group):
        gi = gdoc.add("GroupInput")
        gdoc.add("GroupOutput", gi)
    gdoc.connect(src, group, "GroupInput1")
    gdoc.connect(group, sink)
    gdoc.ungroup(group)
    assert sink.inputs["source"] is src


def test_nodes_in_different_groups_cannot_connect(gdoc: Document) -> None:
    src, f1, f2, sink = chain(gdoc)
    gdoc.group([f1, f2])
    with pytest.raises(GraphError, match="different groups"):
        gdoc.connect(src, f2)


def test_group_of_nodes_from_two_scopes_is_refused(gdoc: Document) -> None:
    src, f1, f2, _sink = chain(gdoc)
    gdoc.group([f1, f2])
    with pytest.raises(GraphError, match="same group"):
        gdoc.group([src, f1])


def test_inputs_follow_group_input_nodes(gdoc: Document) -> None:
    group = gdoc.add("Group")
    with gdoc.inside(group):
        a = gdoc.add("GroupInput", name="plate")
        gdoc.add("GroupInput", name="matte")
    assert [s.name for s in group.node_type.inputs] == ["plate", "matte"]
    src = gdoc.add("Source")
    gdoc.connect(src, group, "plate")
    gdoc.rename(a, "fg")
    assert group.inputs == {"fg": src, "matte": None}
    gdoc.undo()
    assert group.inputs == {"plate": src, "matte": None}
    gdoc.remove(gdoc["matte"])
    assert list(group.inputs) == ["plate"]
    gdoc.undo()
    assert list(group.inputs) == ["plate", "matte"]


def test_removing_a_connected_group_input_disconnects_and_undoes(gdoc: Document) -> None:
    group = gdoc.add("Group")
    with gdoc.inside(group):
        gi = gdoc.add("GroupInput")
    src = gdoc.add("Source")
    gdoc.connect(src, group, "GroupInput1")
    gdoc.remove(gi)
    assert group.inputs == {}
    gdoc.undo()
    assert group.inputs == {"GroupInput1": src}


def test_remove_group_takes_its_contents_and_undo_brings_them_back(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    before = wiring(gdoc)
    gdoc.remove(group)
    assert "Filter1" not in gdoc and "Input1" not in gdoc
    gdoc.undo()
    assert wiring(gdoc) == before


def test_publish_links_the_group_param_to_the_inner_one(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    assert gdoc.publish(group, f1, "size", "blur") == "blur"
    assert group["blur"] == 2.0
    group["blur"] = 7.0
    assert f1["size"] == 7.0
    assert gdoc.resolve_params(f1, 1)["size"] == 7.0
    f1["size"] = 9.0  # setting the inner param sets the group's
    assert group["blur"] == 9.0
    gdoc.set_key(group, "blur", 1, 0.0, interp="linear")
    gdoc.set_key(group, "blur", 11, 10.0, interp="linear")
    assert f1.value_at("size", 6) == pytest.approx(5.0)
    gdoc.undo()
    gdoc.undo()
    gdoc.undo()
    assert f1["size"] == 7.0


def test_publish_refuses_bad_requests(gdoc: Document) -> None:
    src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    with pytest.raises(ParamError):
        gdoc.publish(group, f1, "nope")
    with pytest.raises(GraphError, match="not directly inside"):
        gdoc.publish(group, src, "gain")
    with pytest.raises(GraphError, match="not a Group"):
        gdoc.publish(src, f1, "size")
    gdoc.publish(group, f1, "size")
    with pytest.raises(ParamError, match="already"):
        gdoc.publish(group, f2, "size")
    with pytest.raises(ParamError, match="already published"):
        gdoc.publish(group, f1, "size", "other")


def test_unpublish_keeps_the_value_and_undoes(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    gdoc.publish(group, f1, "size")
    group["size"] = 5.0
    gdoc.unpublish(group, "size")
    assert "size" not in group.params
    assert f1["size"] == 5.0
    gdoc.undo()
    assert group["size"] == 5.0 and f1["size"] == 5.0
    gdoc.undo()  # the edit before it
    assert f1["size"] == 2.0


def test_deleting_a_published_node_unpublishes(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    gdoc.publish(group, f2, "size")
    gdoc.remove(f2)
    assert group.published == [] and "size" not in group.params
    gdoc.undo()
    assert [p.name for p in group.published] == ["size"]


def test_nested_publish_reaches_the_innermost_node(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    inner = gdoc.group([f1])
    gdoc.publish(inner, f1, "size")
    outer = gdoc.group([inner, f2])
    gdoc.publish(outer, inner, "size", "inner_size")
    outer["inner_size"] = 4.5
    assert f1["size"] == 4.5 and inner["size"] == 4.5


def test_expression_on_a_group_param(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    group = gdoc.group([f1, f2])
    gdoc.publish(group, f1, "size")
    gdoc.set_expression(group, "size", "frame * 2")
    assert f1.value_at("size", 3) == 6.0


def test_file_round_trip_keeps_groups(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    inner = gdoc.group([f1])
    gdoc.publish(inner, f1, "size")
    outer = gdoc.group([inner, f2], name="Look")
    gdoc.publish(outer, inner, "size", "soft")
    gdoc.set_key(outer, "soft", 1, 1.0)
    gdoc.set_key(outer, "soft", 5, 3.0)
    text = dumps(gdoc)
    loaded = loads(text, gdoc.registry)
    assert document_to_dict(loaded) == document_to_dict(gdoc)
    assert wiring(loaded) == wiring(gdoc)
    assert loaded["Filter1"].value_at("size", 5) == 3.0
    assert [s.name for s in loaded["Look"].node_type.inputs] == [s.name for s in outer.node_type.inputs]
    copy = gdoc.copy()
    assert wiring(copy) == wiring(gdoc)


def test_children_written_before_their_group_load(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    gdoc.group([f1, f2])
    data = document_to_dict(gdoc)
    data["nodes"].reverse()
    loaded = loads(__import__("json").dumps(data), gdoc.registry)
    assert wiring(loaded) == wiring(gdoc)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["nodes"][1].update(parent="Source1"), "nodes[1].parent"),
        (lambda d: d["nodes"][1].update(parent="Nope"), "nodes[1].parent"),
        (lambda d: _group(d).update(published=[_pub("Filter1", "nope")]), ".published[0].param"),
        (lambda d: _group(d).update(published=[_pub("Source1", "gain")]), ".published[0].node"),
        (lambda d: _group(d).update(published="size"), ".published"),
        (lambda d: _group(d)["inputs"].update(Nope="Source1"), ".inputs.Nope"),
    ],
)
def test_bad_group_fields_name_the_field(gdoc: Document, edit, field: str) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    gdoc.group([f1, f2])
    data = document_to_dict(gdoc)
    edit(data)
    text = __import__("json").dumps(data)
    with pytest.raises(DocumentError) as info:
        loads(text, gdoc.registry)
    assert field in str(info.value)
    recovered = loads(text, gdoc.registry, recover=True)
    assert recovered.load_problems


def _pub(node: str, param: str) -> dict:
    return {"name": "x", "node": node, "param": param}


def _group(data: dict) -> dict:
    return next(n for n in data["nodes"] if n["type"] == "test.Group")


def test_cross_group_connection_in_a_file_is_refused(gdoc: Document) -> None:
    _src, f1, f2, _sink = chain(gdoc)
    gdoc.group([f1, f2])
    data = document_to_dict(gdoc)
    next(n for n in data["nodes"] if n["name"] == "Filter1")["inputs"]["source"] = "Source1"
    with pytest.raises(DocumentError, match="another group"):
        loads(__import__("json").dumps(data), gdoc.registry)


def test_a_group_cannot_go_inside_itself(gdoc: Document) -> None:
    from nodecomp.core import groups

    group = gdoc.add("Group")
    with gdoc.inside(group):
        inner = gdoc.add("Group")
    with pytest.raises(GraphError, match="contain itself"):
        groups.set_parent(gdoc, group, inner)
    with pytest.raises(GraphError, match="not a Group"):
        with gdoc.inside(gdoc.add("Source")):
            pass
