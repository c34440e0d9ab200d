from PySide6 import QtCore

from nodecomp.ui.node_search import NodeSearch, entries, matches


def test_every_registered_type_is_listed_with_its_plugin(registry):
    listed = entries(registry)
    assert {e.type_id for e in listed} == {t.type_id for t in registry}
    slow = next(e for e in listed if e.type_id == "uitest.Slow")
    assert slow.plugin == "uitest-plugin" and slow.category == "Test"


def test_name_prefixes_come_first(registry):
    found = [e.name for e in matches(entries(registry), "re")]
    starts = [name.lower().startswith("re") for name in found]
    assert starts == sorted(starts, reverse=True)  # every prefix match before any other match
    assert {"Read", "Record", "Reformat"} <= set(found) and "Merge" not in found
    assert "Blur" in [e.name for e in matches(entries(registry), "filter")]  # by category


def test_typing_and_enter_choose_a_type(qtbot, registry):
    search = NodeSearch()
    qtbot.addWidget(search)
    search.set_registry(registry)
    search.open_at(QtCore.QPoint(10, 10))
    qtbot.keyClicks(search.field, "gra")
    assert search.visible_type_ids()[0] == "nodecomp.Grade"
    with qtbot.waitSignal(search.chosen) as chosen:
        qtbot.keyClick(search.field, QtCore.Qt.Key.Key_Return)
    assert chosen.args == ["nodecomp.Grade"]
    assert not search.isVisible()


def test_arrow_keys_move_through_the_matches(qtbot, registry):
    search = NodeSearch()
    qtbot.addWidget(search)
    search.set_registry(registry)
    search.open_at(QtCore.QPoint(0, 0))
    qtbot.keyClicks(search.field, "r")
    second = search.visible_type_ids()[1]
    qtbot.keyClick(search.field, QtCore.Qt.Key.Key_Down)
    with qtbot.waitSignal(search.chosen) as chosen:
        qtbot.keyClick(search.field, QtCore.Qt.Key.Key_Return)
    assert chosen.args == [second]
