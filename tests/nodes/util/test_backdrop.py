"""Backdrops live in the document like any node but are never evaluated and never connected."""

import pytest

import nodecomp as nc
from nodecomp.cli.info import describe
from nodecomp.core.errors import EvaluationError, GraphError, ParamError
from nodecomp.core.fileformat import document_from_dict
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.jobs import RenderJob
from nodecomp.nodes.util.backdrop import Backdrop
from tests.nodes.image_asserts import image, make_document, random_rgba, source


def test_a_backdrop_has_no_ports_and_documented_params():
    assert Backdrop.inputs == () and Backdrop.outputs == ()
    assert [p.name for p in Backdrop.params] == ["label", "colour", "width", "height", "note"]


def test_evaluating_a_backdrop_is_a_clear_error():
    doc = make_document()
    backdrop = doc.add("Backdrop", label="Keying")
    with pytest.raises(EvaluationError, match="Backdrop has no output") as caught:
        Evaluator(doc).evaluate(backdrop, 1)
    assert caught.value.node == backdrop.name


def test_nothing_connects_to_or_from_a_backdrop():
    doc = make_document()
    src = source(doc, image(random_rgba(4, 5)))
    backdrop = doc.add("Backdrop")
    dot = doc.add("Dot", src)
    with pytest.raises(GraphError, match="has no output"):
        doc.connect(backdrop, dot)
    with pytest.raises(ParamError, match="no input"):
        doc.connect(src, backdrop)
    assert dot.inputs["source"] is src


def test_backdrops_round_trip_and_undo_like_nodes():
    doc = nc.Document()
    backdrop = doc.add("Backdrop", label="Plate prep", width=620.0, note="grain first\nthen denoise")
    doc.set_ui(backdrop, "pos", [-40.0, -60.0])
    again = document_from_dict(doc.to_dict(), doc.registry)
    copy = again[backdrop.name]
    assert copy["label"] == "Plate prep" and copy["width"] == 620.0 and copy["note"] == "grain first\nthen denoise"
    assert copy.ui["pos"] == [-40.0, -60.0]
    backdrop["height"] = 500.0
    doc.undo()
    assert backdrop["height"] == 260.0
    with pytest.raises(ParamError):
        backdrop["width"] = 10.0


def test_renders_and_summaries_ignore_backdrops(tmp_path):
    doc = make_document()
    src = source(doc, image(random_rgba(4, 5)))
    doc.add("Backdrop", label="around everything")
    result = RenderJob(doc, [doc.add("Dot", src)], [1, 2]).run()
    assert result.ok
    assert [n.name for n in doc.outputs()] == []
    assert any(entry["type"] == "nodecomp.Backdrop" for entry in describe(doc)["nodes"])
