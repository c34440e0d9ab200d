import math

import pytest

from nodecomp.core.document import MAX_FRAME, Document
from nodecomp.core.errors import GraphError, NodecompError, ParamError
from nodecomp.core.format import PRESETS, Format

from .conftest import build_rich

# ---------------------------------------------------------------- adding nodes


def test_add_with_inputs_and_params(doc):
    src = doc.add("Source", gain=2.0, mode="ramp", color=(0.1, 0.2, 0.3, 1))
    blur = doc.add("Filter", src, size=3)
    assert src.name == "Source1" and blur.name == "Filter1"
    assert src["gain"] == 2.0 and src["mode"] == "ramp"
    assert src["color"] == (0.1, 0.2, 0.3, 1.0)
    assert blur["size"] == 3.0 and isinstance(blur["size"], float)
    assert blur.inputs["source"] is src
    assert blur.input_node(0) is src and blur.input_node("source") is src
    assert doc.nodes == [src, blur] and len(doc) == 2
    assert "Source1" in doc and "Nope" not in doc


def test_add_by_type_id_and_untouched_params_keep_defaults(doc):
    node = doc.add("test.Source")
    assert node.type_id == "test.Source" and node.type_name == "Source"
    assert node.values() == {
        "gain": 1.0,
        "color": (1.0, 1.0, 1.0, 1.0),
        "mode": "fill",
        "label": "",
        "offset": (0.0, 0.0),
        "invert": False,
        "count": 3,
    }


def test_add_with_none_leaves_input_unconnected(doc):
    b = doc.add("Source")
    merge = doc.add("Merge2", None, b)
    assert merge.inputs == {"a": None, "b": b, "mask": None}


def test_default_names_take_the_lowest_free_counter(doc):
    names = [doc.add("Source").name for _ in range(3)]
    assert names == ["Source1", "Source2", "Source3"]
    doc.remove("Source2")
    assert doc.add("Source").name == "Source2"
    assert doc.add("Source").name == "Source4"
    # a type name ending in digits is not counted twice
    assert doc.add("Merge2").name == "Merge1"


def test_explicit_name(doc):
    node = doc.add("Source", name="Plate")
    assert doc["Plate"] is node
    assert doc.add("Source").name == "Source1"


@pytest.mark.parametrize("bad", ["1abc", "has space", "dot.name", "", "é", "a-b"])
def test_invalid_names_are_refused(doc, bad):
    if bad == "":
        assert doc.add("Source", name=bad).name == "Source1"  # empty means "pick one"
        return
    with pytest.raises(GraphError, match="must start with a letter"):
        doc.add("Source", name=bad)
    assert len(doc) == 0 and not doc.undo_stack.can_undo


def test_duplicate_name_is_refused(doc):
    doc.add("Source", name="A")
    with pytest.raises(GraphError, match="A already exists"):
        doc.add("Filter", name="A")
    assert [n.name for n in doc] == ["A"]


def test_unknown_type(doc):
    with pytest.raises(GraphError, match="unknown node type 'Nope'"):
        doc.add("Nope")


def test_too_many_inputs(doc):
    a = doc.add("Source")
    with pytest.raises(GraphError, match="takes 1 inputs, 2 given"):
        doc.add("Filter", a, a)
    assert len(doc) == 1


def test_unknown_param_names_node_and_param_and_adds_nothing(doc):
    with pytest.raises(ParamError) as info:
        doc.add("Source", bogus=1)
    assert "Source1.bogus" in str(info.value) and "gain" in str(info.value)
    assert len(doc) == 0
    assert not doc.undo_stack.can_undo


@pytest.mark.parametrize(
    ("param", "value", "match"),
    [
        ("gain", -1.0, "below the minimum"),
        ("gain", 1000.0, "above the maximum"),
        ("gain", "loud", "expected a number"),
        ("gain", True, "expected a number"),
        ("gain", math.nan, "finite"),
        ("count", 10**400, "finite"),
        ("mode", "sparkle", "expected one of fill, ramp, noise"),
        ("label", 5, "expected text"),
        ("color", (1, 2), "expected 4 numbers"),
        ("offset", "xy", "expected 2 numbers"),
        ("invert", "yes", "true or false"),
    ],
)
def test_bad_values_raise_param_error_naming_node_and_param(doc, param, value, match):
    with pytest.raises(ParamError, match=match) as info:
        doc.add("Source", **{param: value})
    assert f"Source1.{param}" in str(info.value)
    assert info.value.param == param
    assert len(doc) == 0


def test_getitem_unknown_node(doc):
    with pytest.raises(GraphError, match="no node named 'Ghost'"):
        doc["Ghost"]
    assert doc.find("Ghost") is None


def test_node_by_id(doc):
    node = doc.add("Source")
    assert doc.node_by_id(node.id) is node
    assert doc.node_by_id("nope") is None


def test_nodes_of_another_document_are_refused(registry, doc):
    other = Document(registry).add("Source")
    target = doc.add("Filter")
    with pytest.raises(GraphError, match="not part of this document"):
        doc.connect(other, target)


# ---------------------------------------------------------------- connections


def test_connect_by_index_and_by_name(doc):
    a, b, m = doc.add("Source"), doc.add("Source"), doc.add("Merge2")
    doc.connect(a, m, input=0)
    doc.connect(b, m, input="b")
    doc.connect("Source1", "Merge1", input=2)
    assert m.inputs == {"a": a, "b": b, "mask": a}
    doc.disconnect(m, "mask")
    assert m.inputs["mask"] is None


@pytest.mark.parametrize("bad", [3, -1, "c", True, 1.0])
def test_connect_to_unknown_input(doc, bad):
    a, m = doc.add("Source"), doc.add("Merge2")
    with pytest.raises(NodecompError, match="no input") as info:
        doc.connect(a, m, input=bad)
    assert "a, b, mask" in str(info.value)


def test_cycle_is_refused_with_a_message_naming_both_nodes(doc):
    a = doc.add("Source")
    b = doc.add("Filter", a)
    c = doc.add("Filter", b)
    with pytest.raises(GraphError, match="cycle") as info:
        doc.connect(c, b)
    assert "Filter2" in str(info.value) and "Filter1" in str(info.value)
    with pytest.raises(GraphError, match="cycle"):
        doc.connect(b, b)
    assert b.inputs["source"] is a


def test_remove_disconnects_downstream(doc):
    a = doc.add("Source")
    b = doc.add("Filter", a)
    c = doc.add("Filter", b)
    doc.remove(b)
    assert "Filter1" not in doc and c.inputs["source"] is None
    assert b.inputs["source"] is None


def test_remove_with_reconnect_feeds_the_first_input_downstream(doc):
    a = doc.add("Source")
    b = doc.add("Filter", a)
    c = doc.add("Filter", b)
    d = doc.add("Merge2", b, b)
    doc.remove("Filter1", reconnect=True)
    assert c.inputs["source"] is a
    assert d.inputs["a"] is a and d.inputs["b"] is a


def test_rename_rewrites_expressions(doc):
    a = doc.add("Source")
    b = doc.add("Filter")
    doc.set_expression(b, "size", "Source1.gain * 2 + Source1.count")
    doc.set_expression(a, "offset", "Source1.gain", component=1)
    doc.rename(a, "Plate")
    assert doc["Plate"] is a and "Source1" not in doc
    assert b.params["size"].expressions == {0: "Plate.gain * 2 + Plate.count"}
    assert a.params["offset"].expressions == {1: "Plate.gain"}
    assert b["size"] == 2 * 1.0 + 3
    doc.undo()
    assert a.name == "Source1"
    assert b.params["size"].expressions == {0: "Source1.gain * 2 + Source1.count"}


def test_rename_keeps_node_order_and_checks_the_name(doc):
    a, b = doc.add("Source"), doc.add("Source")
    doc.rename(a, "Z")
    assert [n.name for n in doc] == ["Z", "Source2"]
    with pytest.raises(GraphError, match="already exists"):
        doc.rename(b, "Z")
    with pytest.raises(GraphError, match="must start with a letter"):
        doc.rename(b, "9lives")
    doc.rename(b, "Source2")  # same name: nothing to do
    assert doc.undo_stack.undo_label == "Rename Source1 to Z"


def test_rename_to_a_name_expressions_cannot_use(doc):
    a = doc.add("Source")
    b = doc.add("Filter")
    doc.rename(b, "sin")  # nothing refers to b: any valid name will do
    doc.set_expression(b, "size", "Source1.gain")
    with pytest.raises(GraphError, match="cannot rename Source1 to pi"):
        doc.rename(a, "pi")
    assert a.name == "Source1" and b.params["size"].expressions == {0: "Source1.gain"}


def test_set_disabled(doc):
    a = doc.add("Source")
    doc.set_disabled(a, True)
    assert a.disabled
    doc.set_disabled("Source1", True)  # no change, no undo step
    assert doc.undo_stack.undo_label == "Disable Source1"
    doc.undo()
    assert not a.disabled


def test_set_ui(doc):
    a = doc.add("Source")
    doc.set_ui(a, "pos", [1, 2])
    assert a.ui == {"pos": [1, 2]}
    doc.set_ui(a, "pos", None)
    assert a.ui == {}
    doc.undo()
    assert a.ui == {"pos": [1, 2]}


# ---------------------------------------------------------------- settings


def test_settings_defaults(doc):
    assert doc.frame_range == (1, 100)
    assert doc.fps == 24.0
    assert doc.format == PRESETS["HD_1080"]
    assert doc.current_frame == 1.0
    assert doc.load_problems == []


def test_frame_range_setter_is_one_undo_step(doc):
    doc.frame_range = (1001, 1100)  # beyond the old last frame
    assert doc.frame_range == (1001, 1100)
    doc.frame_range = (-10, 5.0)
    assert doc.frame_range == (-10, 5) and isinstance(doc.settings["last_frame"], int)
    doc.undo()
    assert doc.frame_range == (1001, 1100)
    doc.undo()
    assert doc.frame_range == (1, 100)
    assert not doc.undo_stack.can_undo


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ((10, 5), "ends before it starts"),
        (("a", 3), "not a whole number"),
        ((1.5, 3), "not a whole number"),
        ((True, 3), "not a whole number"),
        ((1, math.inf), "not a whole number"),
        ((1, MAX_FRAME + 1), "beyond"),
        ((1, 2, 3), "must be"),
        (5, "must be"),
    ],
)
def test_frame_range_validation(doc, value, match):
    with pytest.raises(ParamError, match=match):
        doc.frame_range = value
    assert doc.frame_range == (1, 100) and not doc.undo_stack.can_undo


def test_fps_setter(doc):
    doc.fps = 25
    assert doc.fps == 25.0 and isinstance(doc.settings["fps"], float)
    for bad in (0, -24, 1001, math.nan, math.inf, "24", True, None):
        with pytest.raises(ParamError, match="fps"):
            doc.fps = bad
    assert doc.fps == 25.0


def test_format_setter(doc):
    doc.format = "UHD_4K"
    assert doc.format.width == 3840
    doc.format = Format(100, 50, 2.0, "custom")
    assert doc.format == Format(100, 50, 2.0, "custom")
    with pytest.raises(ParamError, match="unknown format 'HD_9000'"):
        doc.format = "HD_9000"
    with pytest.raises(ParamError, match="must be a Format"):
        doc.format = (100, 50)
    doc.undo()
    assert doc.format == PRESETS["UHD_4K"]


def test_set_setting_validation(doc):
    with pytest.raises(ParamError, match="unknown document setting"):
        doc.set_setting("colour", "x")
    with pytest.raises(ParamError, match="ends before it starts"):
        doc.set_setting("first_frame", 500)  # a save would not load back
    with pytest.raises(ParamError, match="must be text"):
        doc.set_setting("ocio_config", 3)
    doc.set_setting("ocio_config", "/studio/config.ocio")
    assert doc.settings["ocio_config"] == "/studio/config.ocio"


def test_settings_changed_event(doc):
    seen = []
    doc.events.settings_changed.connect(seen.append)
    doc.frame_range = (5, 10)
    doc.fps = 30
    doc.undo()
    assert seen == ["first_frame", "last_frame", "fps", "fps"]


# ---------------------------------------------------------------- params


def test_node_getitem_and_setitem(doc):
    a = doc.add("Source")
    a["gain"] = 4
    assert a["gain"] == 4.0
    a["offset"] = 2  # a scalar broadcasts to every component
    assert a["offset"] == (2.0, 2.0)
    with pytest.raises(ParamError, match="Source1.nope"):
        a["nope"]
    with pytest.raises(ParamError, match="Source1.nope"):
        a["nope"] = 1


def test_keyframes_and_values_between_them(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 0.0, interp="linear")
    a.set_key("gain", 11, 10.0)
    assert a.value_at("gain", 6) == pytest.approx(5.0)
    assert a.value_at("gain", -100) == 0.0
    assert a.value_at("gain", 100) == 10.0
    doc.current_frame = 6
    assert a["gain"] == pytest.approx(5.0)
    assert doc.param_value(a, "gain", 11) == 10.0


def test_keys_on_every_component_and_on_one(doc):
    a = doc.add("Source")
    a.set_key("color", 1, (0, 0, 0, 1), interp="linear")
    a.set_key("color", 11, (1, 2, 3, 1), interp="linear")
    assert set(a.params["color"].curves) == {0, 1, 2, 3}
    assert a.value_at("color", 6) == pytest.approx((0.5, 1.0, 1.5, 1.0))
    doc.set_key(a, "offset", 1, 5.0, component=1, interp="constant")
    assert set(a.params["offset"].curves) == {1}
    assert a.value_at("offset", 50) == (0.0, 5.0)


def test_set_key_validation(doc):
    a = doc.add("Source")
    doc.undo_stack.clear()
    with pytest.raises(ParamError, match="below the minimum") as info:
        doc.set_key(a, "gain", 5, -1.0)
    assert info.value.frame == 5 and "frame 5" in str(info.value)
    with pytest.raises(ParamError, match="below the minimum"):
        doc.set_key(a, "gain", 5, -1.0, component=0)  # one component is checked like the whole
    with pytest.raises(ParamError, match="expected a number"):
        doc.set_key(a, "color", 5, None, component=1)
    with pytest.raises(ParamError, match="key frame must be a finite number"):
        doc.set_key(a, "gain", math.nan, 1.0)
    with pytest.raises(ParamError, match="bouncy"):
        doc.set_key(a, "gain", 5, 1.0, interp="bouncy")
    with pytest.raises(ParamError, match="component 4 out of range"):
        doc.set_key(a, "color", 5, 1.0, component=4)
    with pytest.raises(ParamError, match="cannot be animated"):
        doc.set_key(a, "mode", 5, "ramp")
    with pytest.raises(ParamError, match="cannot be animated"):
        doc.set_key(a, "label", 5, "x")
    assert not a.params["gain"].is_animated and not doc.undo_stack.can_undo


def test_int_and_bool_keys(doc):
    a = doc.add("Source")
    a.set_key("count", 1, 0, interp="linear")
    a.set_key("count", 11, 10, interp="linear")
    assert a.value_at("count", 4.4) == 3 and isinstance(a.value_at("count", 4.4), int)
    a.set_key("invert", 1, False, interp="constant")
    a.set_key("invert", 10, True)
    assert a.value_at("invert", 5) is False and a.value_at("invert", 10) is True


def test_setting_a_value_on_a_keyed_param_sets_a_key_at_the_current_frame(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 1.0)
    doc.current_frame = 20
    a["gain"] = 3.0
    assert [(k.frame, k.value) for k in a.params["gain"].curves[0].keys] == [(1.0, 1.0), (20.0, 3.0)]
    assert a["gain"] == 3.0
    assert a.params["gain"].value == 1.0  # the static value is untouched


def test_remove_key(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 1.0, interp="linear")
    a.set_key("gain", 11, 3.0)
    doc.remove_key(a, "gain", 11)
    assert len(a.params["gain"].curves[0]) == 1
    doc.remove_key(a, "gain", 1)  # the last key leaves its value as the static value
    assert not a.params["gain"].is_animated and a["gain"] == 1.0
    doc.remove_key(a, "gain", 99)  # nothing there: nothing happens
    assert a["gain"] == 1.0


def test_remove_key_per_component_holds_that_component(doc):
    a = doc.add("Source")
    a.set_key("color", 1, (0.5, 0.25, 0.75, 1.0))
    doc.set_key(a, "color", 9, 0.1, component=0)
    doc.remove_key(a, "color", 1, component=2)
    state = a.params["color"]
    assert set(state.curves) == {0, 1, 3}
    assert state.value[2] == 0.75  # not the old static 1.0
    assert a.value_at("color", 1) == (0.5, 0.25, 0.75, 1.0)
    doc.remove_key(a, "color", 1)
    doc.remove_key(a, "color", 9)
    assert not a.params["color"].is_animated
    assert a["color"] == (0.1, 0.25, 0.75, 1.0)


def test_move_keys_in_time_on_every_component(doc):
    a = doc.add("Source")
    a.set_key("color", 1, (0, 0, 0, 1), interp="linear")
    a.set_key("color", 11, (1, 1, 1, 1), interp="constant")
    doc.set_key(a, "color", 5, 0.5, component=0)
    doc.undo_stack.clear()
    seen = []
    doc.events.param_changed.connect(lambda node, name: seen.append((node.name, name)))
    doc.move_keys(a, "color", {1: 3, 11: 21})
    assert [k.frame for k in a.params["color"].curves[0].keys] == [3, 5, 21]
    assert [k.frame for k in a.params["color"].curves[1].keys] == [3, 21]
    assert a.params["color"].curves[1].keys[1].interp == "constant"  # interpolation travels with the key
    assert a.value_at("color", 12)[1] == pytest.approx(0.5)
    assert seen == [("Source1", "color")] and doc.undo_stack.undo_label == "Set Source1.color"
    doc.undo()
    assert [k.frame for k in a.params["color"].curves[1].keys] == [1, 11]
    assert len(seen) == 2


def test_move_keys_with_values_on_one_component(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 1.0, interp="linear")
    a.set_key("gain", 11, 3.0)
    doc.move_keys(a, "gain", {11: 6}, values={11: 5.0})
    assert [(k.frame, k.value) for k in a.params["gain"].curves[0].keys] == [(1, 1.0), (6, 5.0)]
    a.set_key("offset", 1, (1, 2))
    doc.move_keys(a, "offset", {1: 2}, component=1, values={1: 7.0})
    assert a.value_at("offset", 2) == (1.0, 7.0)
    assert [k.frame for k in a.params["offset"].curves[0].keys] == [1.0]


def test_moved_keys_may_pass_each_other_and_replace_unmoved_ones(doc):
    a = doc.add("Source")
    for frame, value in ((1, 1.0), (5, 2.0), (9, 3.0)):
        a.set_key("gain", frame, value)
    doc.move_keys(a, "gain", {1: 5, 5: 1})  # a swap
    assert [(k.frame, k.value) for k in a.params["gain"].curves[0].keys] == [(1, 2.0), (5, 1.0), (9, 3.0)]
    doc.move_keys(a, "gain", {1: 9})  # lands on the key at 9, which is not moved
    assert [(k.frame, k.value) for k in a.params["gain"].curves[0].keys] == [(5, 1.0), (9, 2.0)]


def test_move_keys_validation(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 1.0)
    a.set_key("gain", 2, 2.0)
    a.set_key("color", 1, (0, 0, 0, 1))
    doc.undo_stack.clear()
    with pytest.raises(ParamError, match="no key at frame 4"):
        doc.move_keys(a, "gain", {4: 5})
    with pytest.raises(ParamError, match="two keys would land on frame 7"):
        doc.move_keys(a, "gain", {1: 7, 2: 7})
    with pytest.raises(ParamError, match="below the minimum"):
        doc.move_keys(a, "gain", {1: 1}, values={1: -1.0})
    with pytest.raises(ParamError, match="needs a component"):
        doc.move_keys(a, "color", {1: 2}, values={1: 0.5})
    with pytest.raises(ParamError, match="not moved"):
        doc.move_keys(a, "gain", {1: 3}, values={2: 0.5})
    with pytest.raises(ParamError, match="finite number"):
        doc.move_keys(a, "gain", {1: math.inf})
    with pytest.raises(ParamError, match="finite number"):
        doc.move_keys(a, "gain", {1: MAX_FRAME + 1})
    assert not doc.undo_stack.can_undo


def test_keys_moved_starts_from_a_given_state_and_edits_nothing(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 1.0)
    a.set_key("gain", 5, 2.0)
    start = a.params["gain"]
    doc.move_keys(a, "gain", {1: 5})  # the key at 5 is overwritten
    state = doc.keys_moved(a, "gain", {1: 3}, state=start)  # from the start, it comes back
    assert [k.frame for k in state.curves[0].keys] == [3, 5]
    assert [k.frame for k in a.params["gain"].curves[0].keys] == [5]


def test_set_key_interp(doc):
    a = doc.add("Source")
    a.set_key("color", 1, (0, 0, 0, 1))
    a.set_key("color", 11, (1, 1, 1, 1))
    doc.set_key_interp(a, "color", [1], "linear", component=2)
    assert a.value_at("color", 6)[2] == pytest.approx(0.5)
    assert a.params["color"].curves[0].keys[0].interp == "smooth"
    doc.set_key_interp(a, "color", [1, 11], "constant")
    assert {k.interp for c in a.params["color"].curves.values() for k in c.keys} == {"constant"}
    assert a.value_at("color", 10) == (0.0, 0.0, 0.0, 1.0)
    doc.undo()
    assert a.value_at("color", 6)[2] == pytest.approx(0.5)
    with pytest.raises(ParamError, match="no key at frame 3"):
        doc.set_key_interp(a, "color", [1, 3], "linear")
    with pytest.raises(ParamError, match="bouncy"):
        doc.set_key_interp(a, "color", [1], "bouncy")


def test_set_key_slopes_is_undoable_and_checked(doc):
    a = doc.add("Source")
    a.set_key("gain", 1, 0.0, interp="cubic")
    a.set_key("gain", 11, 0.0, interp="cubic")
    doc.set_key_slopes(a, "gain", 1, None, 1.0)
    assert a.value_at("gain", 6) == pytest.approx(1.25)  # h10(0.5) * 1 * 10
    assert doc.undo_stack.undo_label == "Set Source1.gain"
    doc.undo()
    assert a.value_at("gain", 6) == 0.0
    a.set_key("color", 1, (0, 0, 0, 1), interp="cubic")
    doc.set_key_slopes(a, "color", 1, 0.5, 0.25, component=2)
    assert a.params["color"].curves[2].slopes_at(1) == (0.5, 0.25)
    assert a.params["color"].curves[0].keys[0].out_slope is None
    doc.set_key_slopes(a, "color", 1, -1.0, -1.0)  # every component
    assert {c.keys[0].in_slope for c in a.params["color"].curves.values()} == {-1.0}
    with pytest.raises(ParamError, match="no key at frame 4"):
        doc.set_key_slopes(a, "gain", 4, 0.0, 0.0)
    with pytest.raises(ParamError, match="out_slope must be a finite number"):
        doc.set_key_slopes(a, "gain", 1, 0.0, math.nan)
    with pytest.raises(ParamError, match="out of range"):
        doc.set_key_slopes(a, "color", 1, 0.0, 0.0, component=7)


# ---------------------------------------------------------------- expressions


def test_expression_on_frame(doc):
    a = doc.add("Filter")
    a.set_expression("size", "frame * 2")
    assert a.value_at("size", 12) == 24.0
    doc.current_frame = 3
    assert a["size"] == 6.0
    a.set_expression("size", None)
    assert not a.params["size"].is_animated


def test_expression_reading_another_param(doc):
    a = doc.add("Source", gain=2.5)
    b = doc.add("Filter")
    b.set_expression("size", "Source1.gain * 2")
    assert b["size"] == 5.0
    a["gain"] = 4
    assert b["size"] == 8.0
    a.set_key("gain", 1, 1.0, interp="linear")
    a.set_key("gain", 11, 11.0)
    assert b.value_at("size", 6) == pytest.approx(12.0)


def test_expression_on_one_component_and_swizzles(doc):
    a = doc.add("Source", offset=(1, 2))
    doc.set_expression(a, "color", "Source1.offset.y + frame", component=0)
    assert a.value_at("color", 10) == (12.0, 1.0, 1.0, 1.0)


def test_expression_reading_root_values(doc):
    doc.frame_range = (1001, 1100)
    b = doc.add("Filter")
    b.set_expression("size", "root.last_frame - root.first_frame + root.fps + root.width")
    assert b["size"] == 99 + 24 + 1920
    with pytest.raises(ParamError, match="root has no value 'nope'"):
        b.set_expression("size", "root.nope")


def test_expression_cycle_names_the_chain(doc):
    doc.add("Filter", name="A")
    doc.add("Filter", name="B")
    doc.set_expression("A", "size", "B.size + 1")
    with pytest.raises(ParamError, match="cycle") as info:
        doc.set_expression("B", "size", "A.size")
    assert "B.size -> A.size -> B.size" in str(info.value)
    assert not doc["B"].params["size"].is_animated
    with pytest.raises(ParamError, match="cycle: A.size -> A.size"):
        doc.set_expression("A", "size", "A.size")


@pytest.mark.parametrize(
    "source",
    [
        "1 +",
        "nope * 2",
        "Ghost.size",
        "Source1.nope",
        "1 / 0",
        "'text'",
        "(1, 2)",
        "-5",  # below the minimum of gain once it is driven
        "__import__('os').system('true')",
        "().__class__.__bases__[0].__subclasses__()",
        "frame.__class__",
        "Source1.gain.__class__",
        "open('/etc/passwd')",
        "2**10000000",
        "'a' * 10**9",
        "[x for x in range(10**9)]",
        "lambda: 1",
        "1e308 * 10",
    ],
)
def test_failing_expression_is_refused_at_set_time_and_leaves_no_undo_step(doc, source):
    a = doc.add("Source")
    doc.undo_stack.clear()
    before = doc.to_dict()
    with pytest.raises(ParamError) as info:
        doc.set_expression(a, "gain", source)
    assert "Source1.gain" in str(info.value)
    assert doc.to_dict() == before
    assert not doc.undo_stack.can_undo


def test_expression_error_is_raised_on_later_evaluation_too(doc):
    a = doc.add("Source")
    b = doc.add("Filter")
    b.set_expression("size", "Source1.gain")
    doc.remove(a)
    with pytest.raises(ParamError, match="unknown node 'Source1'"):
        b["size"]


def test_set_param_on_an_expression_driven_param_keeps_the_expression(doc):
    b = doc.add("Filter")
    b.set_expression("size", "frame")
    b["size"] = 5
    assert b.params["size"].value == 5.0 and b.value_at("size", 7) == 7.0


def test_resolve_params(doc):
    a = doc.add("Source", gain=2.0)
    a.set_key("count", 1, 1, interp="linear")
    a.set_key("count", 3, 3)
    doc.set_expression(a, "offset", "frame", component=0)
    params = doc.resolve_params(a, 2)
    assert params == {
        "gain": 2.0,
        "color": (1.0, 1.0, 1.0, 1.0),
        "mode": "fill",
        "label": "",
        "offset": (2.0, 0.0),
        "invert": False,
        "count": 2,
    }


# ---------------------------------------------------------------- graph queries


def test_upstream_order_puts_inputs_first(doc):
    a = doc.add("Source")
    b = doc.add("Source")
    f = doc.add("Filter", a)
    m = doc.add("Merge2", f, b, a)
    order = doc.upstream(m)
    assert order[-1] is m
    assert set(order) == {a, b, f, m} and len(order) == 4
    assert order.index(a) < order.index(f) < order.index(m)
    assert order.index(b) < order.index(m)
    assert doc.upstream(a) == [a]


def test_downstream(doc):
    a = doc.add("Source")
    f = doc.add("Filter", a)
    g = doc.add("Filter", f)
    m = doc.add("Merge2", a, g)
    other = doc.add("Source")
    assert set(doc.downstream(a)) == {f, g, m}
    assert len(doc.downstream(a)) == 3
    assert doc.downstream(m) == [] and doc.downstream(other) == []


def test_outputs(doc):
    a = doc.add("Source")
    s1 = doc.add("Sink", a)
    doc.add("Filter", a)
    s2 = doc.add("Sink")
    assert doc.outputs() == [s1, s2]


def test_copy_is_independent(rich):
    clone = rich.copy()
    assert clone.to_dict() == rich.to_dict()
    assert clone.current_frame == rich.current_frame
    assert not clone.undo_stack.can_undo
    clone["Source1"]["label"] = "changed"
    assert rich["Source1"]["label"] == "plate"
    clone.set_ui("Merge1", "pos", [1, 2])
    clone.connect("Bg", "Filter1")
    clone.metadata["tags"].append("c")
    assert rich["Merge1"].ui["pos"] == [120, -40] and rich["Filter1"].inputs["source"] is rich["Source1"]
    assert rich.metadata["tags"] == ["a", "b"]
    assert [n.id for n in clone.nodes] == [n.id for n in rich.nodes]  # snapshots match live nodes
    assert all(clone[n.name].document is clone for n in rich.nodes)


def test_copy_keeps_placeholders_verbatim(registry):
    from nodecomp.core.fileformat import loads

    text = (
        '{"format_version": 1, "nodes": [{"name": "Source1", "type": "test.Source"}, '
        '{"name": "P1", "type": "gone.Thing", "inputs": {"x": "Source1"}, "params": {"k": [1, 2]}}]}'
    )
    doc = loads(text, registry)
    clone = doc.copy()
    assert clone.to_dict() == doc.to_dict()
    clone["P1"].raw_params["k"].append(3)
    assert doc["P1"].raw_params["k"] == [1, 2]


def test_rich_document_evaluates(rich):
    assert rich["Filter1"].value_at("size", 1010) == 2020.0
    assert rich["Merge1"].value_at("mix", 1) == pytest.approx(0.05)
    assert rich["Source1"].value_at("offset", 4) == (3.0, 5.0)


def test_build_rich_uses_default_frame(registry):
    rich = build_rich(Document(registry))
    assert rich.current_frame == 1001


# ---------------------------------------------------------------- undo / redo

EDITS = {
    "add": lambda d: d.add("Source"),
    "add_wired": lambda d: d.add("Merge2", d["Source1"], d["Bg"], d["Filter1"], operation="multiply", mix=0.5),
    "remove": lambda d: d.remove("Filter1"),
    "remove_reconnect": lambda d: d.remove("Filter1", reconnect=True),
    "remove_source": lambda d: d.remove("Source1"),
    "rename": lambda d: d.rename("Source1", "Plate"),
    "connect": lambda d: d.connect("Bg", "Merge1", input="mask"),
    "rewire": lambda d: d.connect("Source1", "Merge1", input=0),
    "disconnect": lambda d: d.disconnect("Merge1", "b"),
    "set_param": lambda d: d["Filter1"].__setitem__("flag", True),
    "set_vector": lambda d: d.set_param("Bg", "offset", (1, -1)),
    "set_keyed_param": lambda d: d.set_param("Source1", "gain", 7.0),
    "set_key": lambda d: d.set_key("Bg", "gain", 3, 9.0),
    "set_key_component": lambda d: d.set_key("Bg", "color", 3, 9.0, component=3),
    "remove_key": lambda d: d.remove_key("Source1", "gain", 10),
    "remove_last_keys": lambda d: d.remove_key("Bg", "color", 5),
    "set_expression": lambda d: d.set_expression("Bg", "gain", "frame / 100"),
    "remove_expression": lambda d: d.set_expression("Filter1", "size", None),
    "disable": lambda d: d.set_disabled("Filter1", True),
    "enable": lambda d: d.set_disabled("Bg", False),
    "ui": lambda d: d.set_ui("Merge1", "pos", [0, 0]),
    "ui_remove": lambda d: d.set_ui("Merge1", "color", None),
    "frame_range": lambda d: setattr(d, "frame_range", (1, 5)),
    "fps": lambda d: setattr(d, "fps", 48),
    "format": lambda d: setattr(d, "format", "PAL"),
    "setting": lambda d: d.set_setting("ocio_config", "ocio://studio"),
    "macro": lambda d: _macro_edit(d),
}


def _macro_edit(d):
    with d.macro("Several"):
        d.add("Filter", d["Merge1"], name="Post")
        d["Post"]["size"] = 4
        d.connect("Post", "Sink1")
        d.rename("Merge1", "Comp")


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_every_edit_undoes_and_redoes_exactly(rich, edit):
    rich.undo_stack.clear()
    before = rich.to_dict()
    edit(rich)
    after = rich.to_dict()
    assert after != before
    assert rich.undo_stack.can_undo and len(rich.undo_stack._done) == 1  # one step each
    rich.undo()
    assert rich.to_dict() == before
    assert not rich.undo_stack.can_undo
    rich.redo()
    assert rich.to_dict() == after
    rich.undo()
    assert rich.to_dict() == before


def test_undo_then_new_edit_drops_redo(doc):
    doc.add("Source")
    doc.undo()
    doc.add("Filter")
    assert not doc.undo_stack.can_redo
    assert doc.redo() is None
    assert [n.name for n in doc] == ["Filter1"]


def test_undo_labels(doc):
    doc.add("Source")
    doc["Source1"]["gain"] = 2
    assert doc.undo() == "Set Source1.gain"
    assert doc.undo() == "Add Source"
    assert doc.undo() is None
    assert doc.redo() == "Add Source"


def test_undo_the_whole_rich_build(registry):
    doc = Document(registry)
    empty = doc.to_dict()
    build_rich(doc)
    full = doc.to_dict()
    while doc.undo():
        pass
    assert doc.to_dict() == empty
    while doc.redo():
        pass
    assert doc.to_dict() == full


def test_modified_and_clean_marker_after_save(doc, tmp_path):
    assert not doc.modified
    doc.add("Source")
    assert doc.modified
    doc.save(str(tmp_path / "a.ncomp"))
    assert not doc.modified
    doc["Source1"]["gain"] = 3
    assert doc.modified
    doc.undo()
    assert not doc.modified
    doc.undo()
    assert doc.modified
    doc.redo()
    assert not doc.modified


def test_events(doc):
    log = []
    ev = doc.events
    ev.node_added.connect(lambda n: log.append(("node_added", n.name)))
    ev.node_removed.connect(lambda n: log.append(("node_removed", n.name)))
    ev.node_renamed.connect(lambda n, old: log.append(("node_renamed", old, n.name)))
    ev.connection_changed.connect(lambda n, i: log.append(("connection_changed", n.name, i)))
    ev.param_changed.connect(lambda n, p: log.append(("param_changed", n.name, p)))
    ev.node_changed.connect(lambda n, what: log.append(("node_changed", n.name, what)))
    ev.changed.connect(lambda: log.append(("changed",)))

    a = doc.add("Source")
    assert log == [("node_added", "Source1"), ("changed",)]
    log.clear()
    f = doc.add("Filter", a, size=2)
    assert log == [
        ("node_added", "Filter1"),
        ("connection_changed", "Filter1", "source"),
        ("param_changed", "Filter1", "size"),
        ("changed",),
    ]
    log.clear()
    f["size"] = 3
    doc.set_disabled(f, True)
    doc.rename(f, "Blur")
    assert log == [
        ("param_changed", "Filter1", "size"),
        ("changed",),
        ("node_changed", "Filter1", "disabled"),
        ("changed",),
        ("node_renamed", "Filter1", "Blur"),
        ("changed",),
    ]
    log.clear()
    doc.undo()
    assert log == [("node_renamed", "Blur", "Filter1"), ("changed",)]
    log.clear()
    doc.remove(a)
    assert log == [("connection_changed", "Filter1", "source"), ("node_removed", "Source1"), ("changed",)]


def test_a_failing_listener_never_breaks_an_edit(doc, caplog):
    def broken(node):
        raise RuntimeError("listener bug")

    doc.events.node_added.connect(broken)
    doc.add("Source")
    assert "Source1" in doc
    assert "listener of node_added failed" in caplog.text
    doc.events.node_added.disconnect(broken)
    doc.events.node_added.disconnect(broken)  # unknown callbacks are ignored


def test_failed_add_announces_its_revert(doc):
    log = []
    doc.events.node_added.connect(lambda n: log.append(("added", n.name)))
    doc.events.node_removed.connect(lambda n: log.append(("removed", n.name)))
    with pytest.raises(ParamError):
        doc.add("Source", gain="x")
    assert log == [("added", "Source1"), ("removed", "Source1")]
    assert len(doc) == 0


def test_set_param_state_replaces_value_curves_and_expressions_in_one_step(doc):
    from nodecomp.core.curves import Curve, Interp, Key
    from nodecomp.core.params import ParamState

    node = doc.add("Source")
    curve = Curve([Key(1, 0.5, Interp.CUBIC, out_slope=0.25), Key(10, 2.0)])
    state = ParamState((0.0, 0.0), curves={0: curve}, expressions={1: "frame * 2"})
    steps = len(doc.undo_stack._done)
    doc.set_param_state(node, "offset", state)
    assert node.params["offset"] == state and node.value_at("offset", 3) == (curve.value_at(3), 6.0)
    assert len(doc.undo_stack._done) == steps + 1
    doc.undo()
    assert not node.params["offset"].is_animated
    with pytest.raises(ParamError, match="below the minimum"):
        doc.set_param_state(node, "gain", ParamState(-1.0))
    with pytest.raises(ParamError, match="cannot be animated"):
        doc.set_param_state(node, "mode", ParamState("fill", curves={0: curve}))
    with pytest.raises(ParamError, match="component 2 out of range"):
        doc.set_param_state(node, "offset", ParamState((0.0, 0.0), expressions={2: "1"}))
