import pytest

from nodecomp.core.curves import Interp
from nodecomp.core.document import MAX_FRAME
from nodecomp.ui.key_edits import (
    KeyDrag,
    KeyRef,
    SlopeDrag,
    add_key,
    add_param_keys,
    animated_channels,
    animated_params,
    cubic_sides,
    delete_keys,
    key_exists,
    key_slopes,
    live_nodes,
    set_interp,
    set_key_at,
)


@pytest.fixture
def grade(comp):
    node = comp["Grade1"]
    comp.set_key(node, "mix", 1, 0.2, interp="linear")
    comp.set_key(node, "mix", 11, 0.8)
    comp.set_key(node, "multiply", 5, 2.0, component=0)
    comp.set_expression(node, "offset", "frame / 100", component=2)
    comp.undo_stack.clear()
    return node


def frames(node, param, component=0):
    return [k.frame for k in node.params[param].curves[component].keys]


def test_channels_list_keyed_and_expression_components(grade):
    channels = animated_channels([grade, grade.document["Constant1"]])
    assert [c.label for c in channels] == ["Grade1.multiply.r", "Grade1.offset.b", "Grade1.mix"]
    multiply, offset, mix = channels
    assert multiply.curve is not None and not multiply.has_expression
    assert offset.curve is None and offset.has_expression
    assert offset.value_at(grade.document, 50) == pytest.approx(0.5)
    assert mix.value_at(grade.document, 6) == pytest.approx(0.5)
    assert [(n.name, p) for n, p in animated_params([grade])] == [("Grade1", "multiply"), ("Grade1", "mix")]


def test_live_nodes_drop_deleted_ones_until_undo(comp, grade):
    comp.remove(grade)
    assert live_nodes(comp, [grade]) == []
    comp.undo()
    assert live_nodes(comp, [grade]) == [grade]


def test_a_drag_is_one_undo_step_and_keys_it_passes_come_back(comp, grade):
    drag = KeyDrag(comp, [KeyRef(grade, "mix", 0, 1.0)])
    assert drag.move(10)  # onto the key at 11, which it replaces for now
    assert frames(grade, "mix") == [11.0] and grade.value_at("mix", 11) == pytest.approx(0.2)
    assert drag.move(14)  # past it: the key at 11 comes back
    assert frames(grade, "mix") == [11.0, 15.0]
    assert drag.finish() == [KeyRef(grade, "mix", 0, 15.0)]
    assert comp.undo_stack.undo_label == "Move keys"
    comp.undo()
    assert frames(grade, "mix") == [1.0, 11.0] and not comp.undo_stack.can_undo


def test_drag_values_are_clamped_to_the_params_bounds(comp, grade):
    drag = KeyDrag(comp, [KeyRef(grade, "mix", 0, 1.0), KeyRef(grade, "mix", 0, 11.0)])
    assert drag.value_limits() == (pytest.approx(-0.2), pytest.approx(0.2))  # mix is 0..1
    assert drag.move(0, 5.0)
    drag.finish()
    assert [k.value for k in grade.params["mix"].curves[0].keys] == [pytest.approx(0.4), pytest.approx(1.0)]


def test_a_refused_step_keeps_the_last_good_one(comp, grade):
    comp.set_key(grade, "mix", 2, 0.3)
    drag = KeyDrag(comp, [KeyRef(grade, "mix", 0, 1.0), KeyRef(grade, "mix", 0, 2.0)])
    assert drag.move(3)
    assert not drag.move(MAX_FRAME * 2)  # beyond what a document accepts
    assert drag.finish() == [KeyRef(grade, "mix", 0, 4.0), KeyRef(grade, "mix", 0, 5.0)]
    assert frames(grade, "mix") == [4.0, 5.0, 11.0]


def test_cancel_leaves_no_undo_step(comp, grade):
    drag = KeyDrag(comp, [KeyRef(grade, "multiply", 0, 5.0)])
    drag.move(3, 1.0)
    assert frames(grade, "multiply") == [8.0]
    assert drag.cancel() == [KeyRef(grade, "multiply", 0, 5.0)]
    assert frames(grade, "multiply") == [5.0] and not comp.undo_stack.can_undo


def test_time_only_refs_move_every_component(comp, grade):
    comp.set_key(grade, "multiply", 5, (1, 2, 3, 1))
    comp.undo_stack.clear()
    drag = KeyDrag(comp, [KeyRef(grade, "multiply", None, 5.0)])
    drag.move(-2)
    drag.finish()
    assert all(frames(grade, "multiply", c) == [3.0] for c in range(4))


def test_delete_set_interp_and_add_are_single_undo_steps(comp, grade):
    refs = [KeyRef(grade, "mix", 0, 1.0), KeyRef(grade, "multiply", 0, 5.0)]
    set_interp(comp, refs, "constant")
    assert grade.params["mix"].curves[0].keys[0].interp is Interp.CONSTANT
    assert grade.value_at("mix", 10) == pytest.approx(0.2)
    delete_keys(comp, refs)
    assert not key_exists(refs[0]) and "multiply" not in {p for _n, p in animated_params([grade])}
    comp.undo()
    assert key_exists(refs[0]) and key_exists(refs[1])
    comp.undo()
    assert grade.params["mix"].curves[0].keys[0].interp is Interp.LINEAR
    mix = animated_channels([grade])[-1]
    ref = add_key(comp, mix, 6.0)
    assert ref == KeyRef(grade, "mix", 0, 6.0)
    key = grade.params["mix"].curves[0].key_at(6.0)
    assert key.value == pytest.approx(0.5) and key.interp is Interp.LINEAR  # the segment keeps its shape
    assert grade.value_at("mix", 3.5) == pytest.approx(0.35)


def test_cubic_sides_and_a_slope_drag(comp, grade):
    first, last = KeyRef(grade, "mix", 0, 1.0), KeyRef(grade, "mix", 0, 11.0)
    assert cubic_sides(first) == [] and cubic_sides(last) == []  # linear, then nothing after the last
    comp.set_key_interp(grade, "mix", [1], "cubic")
    assert cubic_sides(first) == ["out"] and cubic_sides(last) == ["in"]
    comp.undo_stack.clear()
    drag = SlopeDrag(comp, last, "in")
    assert drag.set(0.1) and drag.set(0.2)
    assert key_slopes(last) == (0.2, 0.2)
    assert drag.set(-0.3, broken=True) and key_slopes(last) == (-0.3, 0.0)  # out keeps its start
    drag.finish()
    assert comp.undo_stack.undo_label == "Change tangent"
    comp.undo()
    assert not comp.undo_stack.can_undo and grade.params["mix"].curves[0].key_at(11).in_slope is None
    drag = SlopeDrag(comp, last, "in")
    drag.set(5.0)
    drag.cancel()
    assert not comp.undo_stack.can_undo and key_slopes(last) == (0.0, 0.0)


def test_set_key_at_and_add_param_keys(comp, grade):
    ref = set_key_at(comp, KeyRef(grade, "mix", 0, 11.0), 9.0, 0.7)
    assert ref.frame == 9.0 and frames(grade, "mix") == [1.0, 9.0] and grade.value_at("mix", 9) == 0.7
    refs = add_param_keys(comp, grade, ["mix", "multiply"], 5.0)
    assert refs == [KeyRef(grade, "mix", None, 5.0), KeyRef(grade, "multiply", None, 5.0)]
    assert frames(grade, "mix") == [1.0, 5.0, 9.0] and frames(grade, "multiply") == [5.0]  # already keyed
    assert comp.undo_stack.undo_label == "Add key"
