"""The NodeGraphQt workarounds still apply and still work (drop one when upstream fixes it)."""

from NodeGraphQt import NodeGraph
from NodeGraphQt.custom_widgets.properties_bin.prop_widgets_base import PropDoubleSpinBox, PropSpinBox
from NodeGraphQt.widgets.tab_search import TabSearchCompleter
from PySide6 import QtWidgets

from nodecomp.ui import ngqt_compat
from tests.ui.qt_helpers import settle


def test_old_enum_names_work_on_instances_after_patching(qtbot):
    ngqt_compat.patch_enums()
    spin = PropSpinBox()
    double = PropDoubleSpinBox()  # raised AttributeError ('NoButtons') before the patch
    qtbot.addWidget(spin)
    qtbot.addWidget(double)
    assert spin.buttonSymbols() == QtWidgets.QAbstractSpinBox.ButtonSymbols.NoButtons
    completer = TabSearchCompleter()
    assert completer.completionMode() == QtWidgets.QCompleter.CompletionMode.PopupCompletion


def test_nodegraphqt_undo_actions_and_gesture_slots_are_detached(qtbot):
    graph = NodeGraph()
    qtbot.addWidget(graph.widget)
    ngqt_compat.detach_undo(graph)
    ngqt_compat.detach_gestures(graph)
    viewer = graph.viewer()
    assert viewer.qaction_for_undo().shortcuts() == [] and viewer.qaction_for_redo().shortcuts() == []
    assert viewer.qaction_for_undo() not in viewer.context_menus()["graph"].actions()
    assert graph.undo_stack().undoLimit() == 8
    viewer.search_triggered.emit("nodeGraphQt.nodes.BackdropNode", (0.0, 0.0))  # no longer creates
    assert graph.all_nodes() == []
    backdrop = graph.create_node("nodeGraphQt.nodes.BackdropNode", push_undo=False)
    size = backdrop.size()
    viewer.node_backdrop_updated.emit(backdrop.id, "sizer_mouse_release", {"pos": [5, 5], "width": 900,
                                                                           "height": 900})
    assert backdrop.size() == size and graph.undo_stack().count() == 0  # no longer resizes it
    ngqt_compat.release(graph)
    settle()
    assert viewer._search_widget is None
