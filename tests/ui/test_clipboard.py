import json

import pytest

from nodecomp.core.curves import Curve, Interp, Key
from nodecomp.core.document import Document
from nodecomp.core.errors import DocumentError
from nodecomp.core.fileformat import loads
from nodecomp.ui.clipboard import fragment_text, paste_fragment


def test_a_fragment_is_loadable_ncomp_text_with_only_the_copied_nodes(comp):
    text = fragment_text([comp["Grade1"], comp["Write1"]])
    data = json.loads(text)
    assert data["format_version"] == 1 and [n["name"] for n in data["nodes"]] == ["Grade1", "Write1"]
    doc = loads(text.replace('"Constant1"', "null"), comp.registry)  # a fragment opens as a document
    assert [n.name for n in doc.nodes] == ["Grade1", "Write1"]


def test_paste_into_the_same_document_renames_and_reconnects_outside_inputs(comp):
    text = fragment_text([comp["Grade1"], comp["Write1"]])
    pasted = paste_fragment(comp, text)
    assert [n.name for n in pasted] == ["Grade2", "Write2"]
    grade2, write2 = pasted
    assert grade2.inputs["source"] is comp["Constant1"]  # outside the selection, found by name
    assert write2.inputs["source"] is grade2  # inside the selection: the copy
    assert grade2.ui["pos"] == [40.0, 140.0]
    comp.undo()
    assert "Grade2" not in comp and "Write2" not in comp


def test_paste_into_another_document_keeps_animation_expressions_and_state(comp, registry):
    grade = comp["Grade1"]
    curve = Curve([Key(1, 0.5, Interp.CUBIC, out_slope=0.25), Key(10, 2.0)])
    state = grade.params["mix"].with_curve(0, Curve([Key(1, 0.2), Key(5, 0.9)]))
    comp.set_param_state(grade, "mix", state)
    comp.set_param_state(grade, "gain", grade.params["gain"].with_curve(1, curve))
    comp.set_expression(grade, "offset", "Grade1.mix * 0.1", component=0)
    comp.set_disabled(grade, True)
    other = Document(registry)
    other.add("Constant", name="Grade1")  # the name is taken there
    [pasted] = paste_fragment(other, fragment_text([grade]), at=(500.0, 600.0))
    assert pasted.name == "Grade2"
    assert pasted.params["gain"].curves[1] == curve
    assert pasted.params["mix"].curves == grade.params["mix"].curves
    assert pasted.params["offset"].expressions == {0: "Grade2.mix * 0.1"}
    assert pasted.disabled and pasted.ui["pos"] == [500.0, 600.0]
    assert pasted.inputs["source"] is None  # Constant1 is not in the other document


def test_pasting_is_one_undo_step(comp):
    before = len(comp.undo_stack._done)
    paste_fragment(comp, fragment_text(comp.nodes))
    assert len(comp.undo_stack._done) == before + 1
    assert len(comp) == 6


@pytest.mark.parametrize("text", ["", "hello", "[]", '{"nodes": []}', '{"nodes": 3}'])
def test_text_that_is_not_nodes_is_refused(comp, text):
    with pytest.raises(DocumentError, match="no nodecomp nodes"):
        paste_fragment(comp, text)
    assert len(comp) == 3


def test_a_bad_field_names_its_path(comp):
    text = json.dumps({"format_version": 1, "nodes": [{"name": "G", "type": "nodecomp.Grade",
                                                        "params": {"mix": "lots"}}]})
    with pytest.raises(DocumentError, match=r"nodes\[0\]\.params\.mix"):
        paste_fragment(comp, text)
    assert len(comp) == 3
