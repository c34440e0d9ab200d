import pytest

from nodecomp.api import Box
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.transform.position import Position, whole_pixels
from tests.nodes.image_asserts import image, make_document, random_rgba, source


@pytest.mark.parametrize("translate, expected", [
    ((0.4, -0.4), (0, 0)), ((0.5, -0.5), (1, -1)), ((2.6, -7.2), (3, -7)), ((-1.5, 1.49), (-2, 1)),
])
def test_whole_pixels(translate, expected):
    assert whole_pixels(translate) == expected


def test_moves_the_data_window_and_shares_pixels_even_outside_the_format():
    x = random_rgba(4, 5, seed=1)
    doc = make_document()
    src = source(doc, image(x, display_window=Box(0, 0, 10, 10)))
    node = doc.add("Position", src, translate=(-7.0, 12.0))
    ev = Evaluator(doc)
    result = ev.evaluate(node, 1)
    assert result.data_window == Box(-7, 12, -2, 16) and result.display_window == Box(0, 0, 10, 10)
    assert result.pixels is ev.evaluate(src, 1).pixels
    back = doc.add("Position", node, translate=(7.0, -12.0))
    assert ev.evaluate(back, 1).data_window == Box(0, 0, 5, 4)


def test_sub_pixel_offsets_round_and_zero_passes_through():
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    ev = Evaluator(doc)
    assert ev.hash(doc.add("Position", src, translate=(0.3, -0.2)), 1) == ev.hash(src, 1)
    node = doc.add("Position", src)
    node.set_key("translate", 1, (0.0, 0.0), interp="linear")
    node.set_key("translate", 11, (5.0, 0.0), interp="linear")
    assert [ev.evaluate(node, f).data_window.x0 for f in (1, 2, 3, 4, 11)] == [0, 1, 1, 2, 5]


def test_schema_is_documented():
    assert Position.__doc__ and all(spec.doc for spec in Position.params)
