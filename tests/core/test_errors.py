import pytest

from nodecomp.core.errors import (
    CancelledError,
    DocumentError,
    EvaluationError,
    GraphError,
    NodecompError,
    ParamError,
    PluginError,
)


def test_plain_message():
    err = NodecompError("something broke")
    assert str(err) == "something broke"
    assert err.reason == "something broke"
    assert (err.node, err.frame, err.path, err.hint) == (None, None, None, None)


def test_message_names_node_frame_file_and_hint():
    err = EvaluationError(
        "file is truncated (read 3.1 of 8.0 MB)",
        node="Comp/Read1",
        frame=1012,
        path="/plates/bg.1012.exr",
        hint="re-render or exclude the frame",
    )
    assert str(err) == (
        "node Comp/Read1, frame 1012, file /plates/bg.1012.exr: "
        "file is truncated (read 3.1 of 8.0 MB) (re-render or exclude the frame)"
    )
    assert err.node == "Comp/Read1" and err.frame == 1012 and err.path == "/plates/bg.1012.exr"


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"node": "Grade1"}, "node Grade1: bad"),
        ({"frame": 12.0}, "frame 12: bad"),
        ({"frame": 12.5}, "frame 12.5: bad"),
        ({"frame": 0}, "frame 0: bad"),
        ({"path": "a.exr"}, "file a.exr: bad"),
        ({"hint": "try again"}, "bad (try again)"),
        ({"node": "", "path": ""}, "bad"),
        ({"node": "N", "hint": "h"}, "node N: bad (h)"),
    ],
)
def test_message_composition(kwargs, text):
    assert str(NodecompError("bad", **kwargs)) == text


def test_param_error_names_node_dot_param():
    err = ParamError("expected a number", node="Grade1", param="gain", frame=3)
    assert str(err) == "node Grade1.gain, frame 3: expected a number"
    assert err.param == "gain" and err.node == "Grade1.gain"
    assert "fps" in str(ParamError("x", param="fps"))
    assert str(ParamError("x", node="Grade1")) == "node Grade1: x"


def test_document_error_puts_the_field_first():
    err = DocumentError("expected a number, got 'x'", path="shot.ncomp", field="settings.fps")
    assert str(err) == "file shot.ncomp: settings.fps: expected a number, got 'x'"
    assert err.field == "settings.fps" and err.path == "shot.ncomp"
    assert str(DocumentError("cannot read")) == "cannot read"


def test_plugin_error_names_plugin_and_entry_point():
    assert str(PluginError("import failed", plugin="ledwall")) == "plugin ledwall: import failed"
    err = PluginError("import failed", plugin="ledwall", entry_point="nodecomp_ledwall:plugin")
    assert str(err) == "plugin ledwall (nodecomp_ledwall:plugin): import failed"
    assert err.plugin == "ledwall" and err.entry_point == "nodecomp_ledwall:plugin"


def test_hierarchy():
    for cls in (GraphError, ParamError, EvaluationError, CancelledError, PluginError, DocumentError):
        assert issubclass(cls, NodecompError) and issubclass(cls, Exception)
    with pytest.raises(NodecompError):
        raise GraphError("cycle")
