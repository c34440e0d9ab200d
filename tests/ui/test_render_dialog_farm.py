"""The render dialog's farm choice: an embedded Dask cluster renders the frames."""

import os

import pytest

import nodecomp as nc
from nodecomp.core.format import Format
from nodecomp.ui.render_dialog import WHERE_CLUSTER, WHERE_FARM, RenderDialog
from tests.ui.qt_helpers import settle


@pytest.fixture
def farm_dialog(qtbot, tmp_path):
    doc = nc.Document()
    doc.format = Format(32, 24)
    doc.frame_range = (1, 3)
    constant = doc.add("Constant", color=(0.2, 0.3, 0.4, 1.0))
    doc.add("Write", constant, file=str(tmp_path / "out" / "farm.####.exr"))
    widget = RenderDialog(doc)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    settle()


def test_local_cluster_renders_every_frame(qtbot, farm_dialog, tmp_path):
    farm_dialog.where.setCurrentText(WHERE_CLUSTER)
    farm_dialog.workers.setValue(1)
    farm_dialog.chunk.setValue(2)
    assert not farm_dialog.threads.isEnabled() and farm_dialog.workers.isEnabled()
    with qtbot.waitSignal(farm_dialog.finished_render, timeout=120000):
        assert farm_dialog.start()
    assert farm_dialog.result.ok, [str(e) for e in farm_dialog.result.errors]
    assert farm_dialog.result.done == [1, 2, 3]
    assert farm_dialog.progress.value() == 3
    assert sorted(os.listdir(tmp_path / "out")) == ["farm.0001.exr", "farm.0002.exr", "farm.0003.exr"]


def test_a_bad_scheduler_address_does_not_start(farm_dialog):
    farm_dialog.where.setCurrentText(WHERE_FARM)
    farm_dialog.scheduler.setText("not an address")
    assert not farm_dialog.start()
    assert "neither 'local' nor a scheduler address" in farm_dialog.log.toPlainText()
