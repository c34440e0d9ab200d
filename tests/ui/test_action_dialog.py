"""Node actions in the app: the button, a background job with progress, loss curve and cancel, the output refresh."""

import threading

import numpy as np
import pytest
from PySide6 import QtCore

from nodecomp.api import Action, Input, NodeType
from nodecomp.ui.action_dialog import ActionDialog
from plugins.show_look.apply import apply_look
from plugins.show_look.look_model import load_model
from tests.plugins.show_look.conftest import look_comp
from tests.ui.qt_helpers import settle


class Chatty(NodeType):
    """Reports `reports` times as fast as it can, with a loss, then waits until released or cancelled."""

    type_id = "uitest.Chatty"
    category = "Test"
    inputs = (Input("source"),)
    actions = (Action("chat", doc="Report a lot."),)
    reports = 3000
    release = threading.Event()

    @classmethod
    def run_action(cls, ctx, action):
        for step in range(1, cls.reports + 1):
            ctx.progress(step / cls.reports, f"step {step}", loss=1.0 / step, step=step)
        while not cls.release.wait(0.01):
            ctx.check_cancelled()
        return "chatted"

    @staticmethod
    def compute(ctx, source):
        return source


@pytest.fixture
def chatty_doc(registry, doc):
    if registry.get(Chatty.type_id) is None:
        registry.register(Chatty, plugin="uitest-plugin")
    Chatty.release.clear()
    doc.add("uitest.Chatty", doc.add("Constant"), name="Chatty")
    return doc


def test_every_report_arrives_in_few_deliveries_and_the_window_keeps_running(qtbot, chatty_doc):
    dialog = ActionDialog(chatty_doc, chatty_doc["Chatty"], "chat")
    qtbot.addWidget(dialog)
    deliveries = []
    dialog.runner.progressed.connect(deliveries.append)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.reports == Chatty.reports, timeout=10000)
    qtbot.wait(50)
    assert dialog.running and ticks  # the event loop ran while the action reported
    assert len(deliveries) < Chatty.reports and len(dialog.curve.values) == Chatty.reports
    assert dialog.progress.value() == 1000 and dialog.status.text() == f"step {Chatty.reports}"
    assert dialog.values.text() == f"loss {1 / Chatty.reports:.4g}   step {Chatty.reports}"
    Chatty.release.set()
    with qtbot.waitSignal(dialog.finished_action, timeout=10000) as blocker:
        pass
    timer.stop()
    assert blocker.args[0].result.message == "chatted" and "chatted" in dialog.log.toPlainText()
    assert not dialog.running and "Done" in dialog.status.text()


@pytest.fixture
def trainable(tmp_path, registry):
    return look_comp(tmp_path, registry=registry, epochs=100000)


def test_the_train_button_runs_a_job_that_shows_the_loss_and_cancels(qtbot, make_window, trainable, tmp_path):
    window = make_window()
    window.set_document(trainable)
    window.show()
    node = trainable["LookTrain1"]
    card = window.properties.open(node)
    assert list(card.action_buttons) == ["train"]
    card.action_buttons["train"].click()
    dialog = window.action_dialogs[(node.id, "train")]
    assert dialog.isVisible() and dialog.running and card.action_buttons["train"].text() == "Train (running…)"
    qtbot.waitUntil(lambda: len(dialog.curve.values) >= 20, timeout=20000)
    assert dialog.curve.isVisible() and "epoch" in dialog.status.text() and dialog.progress.maximum() == 1000
    card.action_buttons["train"].click()  # a second click shows the running job instead of starting another
    assert window.action_dialogs[(node.id, "train")] is dialog
    trainable["LookTrain1"]["epochs"] = 3  # edits while it runs do not touch the running job (a snapshot)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert dialog.outcome.cancelled and dialog.status.text() == "Cancelled."
    assert "resume from the checkpoint" in dialog.log.toPlainText()
    assert load_model(tmp_path / "show.nclook").step >= 20
    assert card.action_buttons["train"].text() == "Train" and "Train LookTrain1" in window.statusBar().currentMessage()


def test_training_to_the_end_updates_what_the_viewer_shows(qtbot, make_window, registry, tmp_path):
    doc = look_comp(tmp_path, registry=registry)
    window = make_window()
    window.set_document(doc)
    window.show()
    window.view_node(doc["LookTrain1"])
    qtbot.waitUntil(lambda: window.viewer.renderer.last is not None, timeout=10000)
    plate = window.viewer.renderer.last.image.pixels.copy()  # no model yet: the plate itself
    dialog = window.run_node_action(doc["LookTrain1"], "train")
    with qtbot.waitSignal(dialog.finished_action, timeout=30000):
        pass
    assert dialog.outcome.result is not None, dialog.outcome.error
    expected = apply_look(load_model(tmp_path / "show.nclook"), plate[..., :3])

    def shows_the_model():
        shown = window.viewer.renderer.last.image.pixels[..., :3]
        return np.allclose(shown, expected, atol=1e-5)

    qtbot.waitUntil(shows_the_model, timeout=10000)
    assert np.abs(expected - plate[..., :3]).max() > 1e-3
    dialog.close()  # closing only hides it
    settle()
    assert not dialog.isVisible() and window.action_dialogs


def test_edits_an_action_makes_land_in_the_document_as_one_undo_step(qtbot, make_window, registry, tmp_path):
    import nodecomp as nc
    from tests.cli.test_track import script

    doc = nc.load(script(tmp_path, frames=3), registry=registry)
    window = make_window()
    window.set_document(doc)
    dialog = window.run_node_action(doc["Tracker1"], "track_forward")
    with qtbot.waitSignal(dialog.finished_action, timeout=20000):
        pass
    keys = doc["Tracker1"].params["feature1_position"].curves[0].keys
    assert [int(k.frame) for k in keys] == [1, 2, 3] and window.undo_action.text() == "&Undo Track Forward Tracker1"
    window.undo_action.trigger()
    assert not doc["Tracker1"].params["feature1_position"].is_animated
