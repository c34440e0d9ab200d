"""`nodecomp run-action`: list a node's actions, run one with progress, save the edits it makes."""

import os

import nodecomp as nc
from nodecomp.cli.action import parse_assignment
from nodecomp.cli.main import main
from tests.cli.test_track import script
from tests.plugins.show_look.conftest import look_comp


def test_without_an_action_the_nodes_actions_are_listed(tmp_path, capsys):
    path = script(tmp_path, frames=3)
    assert main(["run-action", path, "Tracker1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("track_forward    Track Forward: Track the enabled features")
    assert "track_backward   Track Backward" in out
    assert main(["run-action", path, "Read1"]) == 0
    assert "Read1 (Read) has no actions" in capsys.readouterr().err


def test_edits_the_action_makes_are_saved_to_the_script_or_output(tmp_path, capsys):
    path = script(tmp_path, frames=4)
    other = str(tmp_path / "tracked.ncomp")
    assert main(["run-action", path, "Tracker1", "track_forward", "--output", other, "--quiet"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"saved {other}"
    assert not nc.load(path)["Tracker1"].params["feature1_position"].is_animated
    keys = nc.load(other)["Tracker1"].params["feature1_position"].curves[0].keys
    assert [int(k.frame) for k in keys] == [1, 2, 3, 4]


def test_a_look_trains_from_the_command_line_with_params_set_for_the_run(tmp_path, capsys):
    doc = look_comp(tmp_path)
    path = doc.save(str(tmp_path / "look.ncomp"))
    saved = open(path).read()
    assert main(["run-action", path, "LookTrain1", "train", "--set", "epochs=2", "--set", "frames=2-3"]) == 0
    captured = capsys.readouterr()
    assert "trained to epoch 2 (6 steps) on 2 frames, 768 pixels" in captured.out and "LookTrain1 Train" in captured.err
    assert os.path.isfile(tmp_path / "show.nclook") and open(path).read() == saved  # nothing to save


def test_bad_nodes_actions_and_failures_exit_with_one_line(tmp_path, capsys):
    path = script(tmp_path, frames=2)
    assert main(["run-action", path, "Nope", "track_forward"]) == 2
    assert main(["run-action", path, "Tracker1", "fly"]) == 2
    assert "Tracker has no action 'fly' (its actions: track_forward, track_backward)" in capsys.readouterr().err
    assert main(["run-action", path, "Tracker1", "track_forward", "--frame", "2", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "node Tracker1: nothing to track: frame 2 is at or past the last frame" in err


def test_set_values_are_json_or_text():
    assert parse_assignment("epochs=40") == ("epochs", 40)
    assert parse_assignment("resume=true") == ("resume", True)
    assert parse_assignment("frames=1-20") == ("frames", "1-20")
