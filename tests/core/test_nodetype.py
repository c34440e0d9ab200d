"""Node type declarations: actions are declared like params and checked when a type is registered."""

from nodecomp.core.nodetype import Action, Input, NodeType
from nodecomp.core.registry import schema_problems


class Trainable(NodeType):
    """A node with two actions."""

    type_id = "test.Trainable"
    inputs = (Input("source"),)
    actions = (Action("train", doc="Learn."), Action("export_lut", "Export LUT", doc="Write the LUT."))

    @classmethod
    def run_action(cls, ctx, action):
        return action

    @staticmethod
    def compute(ctx, source):
        return source


def test_actions_are_found_by_name_and_labelled():
    assert Trainable.action("train").display_label == "Train"
    assert Trainable.action("export_lut").display_label == "Export LUT"
    assert Trainable.action("nope") is None
    assert schema_problems(Trainable) == []


def test_bad_action_declarations_are_reported_together():
    class Broken(Trainable):
        type_id = "test.Broken"
        actions = (Action("Train"), Action("go"), Action("go"), "not an action")

    text = "\n".join(schema_problems(Broken))
    assert "action name 'Train' must be lower_snake" in text
    assert "action 'go' is declared twice" in text
    assert "action 'not an action' is not an Action" in text


def test_declaring_actions_without_running_them_is_an_error():
    class Lazy(NodeType):
        type_id = "test.Lazy"
        actions = (Action("train"),)

        @staticmethod
        def compute(ctx):
            return None

    assert "actions are declared but run_action is not implemented" in schema_problems(Lazy)
