import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.util.dot import Dot, NoOp
from tests.nodes.image_asserts import image, make_document, random_rgba, source


@pytest.mark.parametrize("type_name", ["Dot", "NoOp"])
def test_pass_through_costs_nothing(type_name):
    doc = make_document()
    src = source(doc, image(random_rgba(4, 5)))
    node = doc.add(type_name, src)
    ev = Evaluator(doc)
    assert ev.evaluate(node, 1) is ev.evaluate(src, 1)
    assert ev.hash(node, 1) == ev.hash(src, 1)
    assert node.name not in ev.stats.computes


@pytest.mark.parametrize("type_name", ["Dot", "NoOp"])
def test_unconnected_is_a_clear_error(type_name):
    doc = make_document()
    with pytest.raises(EvaluationError, match="input 'source' is not connected"):
        Evaluator(doc).evaluate(doc.add(type_name), 1)


def test_schema_is_documented():
    assert Dot.__doc__ and NoOp.__doc__ and not Dot.params and not NoOp.params
