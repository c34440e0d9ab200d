from PySide6 import QtWidgets

from nodecomp.ui.param_rows import ROW_CLASSES, StringRow, make_row, slider_range
from nodecomp.ui.param_widgets import RowContext


def test_slider_ranges_follow_the_declaration(comp):
    grade = comp["Grade1"].node_type
    assert slider_range(grade.param_spec("mix")) == (0.0, 1.0)
    assert slider_range(grade.param_spec("gain")) == (0.0, 4.0)
    assert slider_range(grade.param_spec("lift")) == (-1.0, 1.0)


def test_every_param_kind_has_a_row_and_unknown_kinds_get_text(qtbot, comp):
    assert set(ROW_CLASSES) == {"float", "int", "bool", "choice", "string", "path", "vec2", "vec3", "color"}
    kinds = {spec.kind for node_type in comp.registry for spec in node_type.params}
    assert kinds <= set(ROW_CLASSES)
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    ctx = RowContext(comp, lambda: 1.0, lambda message: None, lambda *_: None, lambda *_: None)
    spec = comp["Write1"].spec("metadata")
    assert isinstance(make_row(ctx, comp["Write1"], spec, parent), StringRow)
