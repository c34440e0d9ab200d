"""Groups in the app: collapse, open/close, publish, copy/paste, undo, properties."""

import pytest

from nodecomp.ui.clipboard import fragment_text, paste_fragment


@pytest.fixture
def window(make_window, comp):
    window = make_window()
    window.set_document(comp)
    window.show()
    return window


def shown(graph):
    return sorted(v.name() for v in graph.graph.all_nodes())


def test_collapse_open_and_close_a_group(window, comp):
    graph, actions = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    group = actions.collapse_selected()
    assert group is comp["Group1"] and comp["Grade1"].parent is group
    assert shown(graph) == ["Constant1", "Group1", "Write1"]
    assert [p.name() for p in graph.view_of(group).input_ports()] == ["Input1"]
    assert graph.view_of(comp["Write1"]).input_ports()[0].connected_ports()[0].node() is graph.view_of(group)
    graph.select([group])
    actions.actions["enter"].trigger()
    assert graph.scope is group and comp.scope is group
    assert shown(graph) == ["Grade1", "Input1", "Output1"]
    assert window.scope_bar.label.text() == "Comp › Group1" and not window.scope_bar.isHidden()
    actions.actions["leave"].trigger()
    assert graph.scope is None and graph.selected() == [group] and window.scope_bar.isHidden()


def test_new_nodes_go_inside_the_open_group_and_add_ports(window, comp):
    graph, actions = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    group = actions.collapse_selected()
    graph.enter(group)
    graph.select([])
    gi = graph.create_node("nodecomp.GroupInput")
    assert gi.parent is group
    graph.leave()
    assert [p.name() for p in graph.view_of(group).input_ports()] == ["Input1", "Input2"]
    comp.undo()
    assert [p.name() for p in graph.view_of(group).input_ports()] == ["Input1"]


def test_collapse_and_expand_undo_in_the_view(window, comp):
    graph, actions = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    actions.collapse_selected()
    window.undo_action.trigger()
    assert "Group1" not in comp and shown(graph) == ["Constant1", "Grade1", "Write1"]
    window.redo_action.trigger()
    graph.select([comp["Group1"]])
    kept = actions.expand_selected()
    assert kept == [comp["Grade1"]] and shown(graph) == ["Constant1", "Grade1", "Write1"]
    assert comp["Write1"].inputs["source"] is comp["Grade1"]


def test_publish_shows_the_param_on_the_group_card(window, comp):
    graph, actions = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    group = actions.collapse_selected()
    window.properties.open(group)
    assert list(window.properties.cards[group.id].rows) == []
    graph.enter(group)
    graph.select([comp["Grade1"]])
    actions.ask_choice = lambda title, choices: "multiply"
    assert actions.publish_selected() == "multiply"
    card = window.properties.cards[group.id]
    assert list(card.rows) == ["multiply"]
    inner_card = window.properties.open(comp["Grade1"])
    group["multiply"] = (2.0, 2.0, 2.0, 1.0)
    assert comp["Grade1"]["multiply"] == (2.0, 2.0, 2.0, 1.0)
    assert inner_card.rows["multiply"].state is group.params["multiply"]
    graph.leave()
    graph.select([group])
    actions.ask_choice = lambda title, choices: "multiply"
    actions.unpublish_selected()
    assert list(window.properties.cards[group.id].rows) == []
    assert comp["Grade1"]["multiply"] == (2.0, 2.0, 2.0, 1.0)


def test_viewing_a_group_renders_its_output(qtbot, window, comp):
    graph, actions = window.graph_view, window.group_actions
    graph.select([comp["Grade1"]])
    group = actions.collapse_selected()
    group_input = comp["Input1"]
    comp.publish(group, comp["Grade1"], "multiply")
    group["multiply"] = (3.0, 1.0, 1.0, 1.0)
    window.view_node(group)
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None
                    and float(window.viewer.renderer.last.image.pixels[0, 0, 0]) == pytest.approx(0.75),
                    timeout=10000)
    assert group_input.parent is group


def test_copy_paste_a_group_takes_its_inside(window, comp):
    graph = window.graph_view
    group = comp.group([comp["Grade1"]])
    comp.publish(group, comp["Grade1"], "multiply")
    group["multiply"] = (3.0, 3.0, 3.0, 1.0)
    text = fragment_text([group])
    pasted = paste_fragment(comp, text)
    assert [n.name for n in pasted] == ["Group2"]
    copy = pasted[0]
    inner = comp.children(copy)
    assert sorted(n.type_name for n in inner) == ["Grade", "GroupInput", "GroupOutput"]
    assert copy["multiply"] == (3.0, 3.0, 3.0, 1.0)
    grade_copy = next(n for n in inner if n.type_name == "Grade")
    assert grade_copy["multiply"] == (3.0, 3.0, 3.0, 1.0) and grade_copy.parent is copy
    assert shown(graph) == ["Constant1", "Group1", "Group2", "Write1"]
    comp.undo()
    assert "Group2" not in comp and grade_copy.name not in comp


def test_key_editors_follow_a_published_param(comp):
    from nodecomp.ui.key_edits import animated_channels

    group = comp.group([comp["Grade1"]])
    comp.publish(group, comp["Grade1"], "multiply")
    comp.set_key(group, "multiply", 1, (1.0, 1.0, 1.0, 1.0))
    inner = animated_channels([comp["Grade1"]])
    outer = animated_channels([group])
    assert [c.component for c in inner] == [c.component for c in outer] == [0, 1, 2, 3]
    comp.move_keys(comp["Grade1"], "multiply", {1.0: 5.0})  # moves the group's keys
    assert group.params["multiply"].curves[0].keys[0].frame == 5.0


def test_group_actions_are_in_the_right_click_menu(window):
    menu = window.graph_actions.context_menu((0.0, 0.0))
    texts = [action.text() for action in menu.actions()]
    assert "Collapse to Group" in texts and "Open Group" in texts
    menu.deleteLater()
