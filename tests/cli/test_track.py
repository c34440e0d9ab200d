"""`nodecomp track`: track a Tracker in a saved script and save the keys."""

import numpy as np

import nodecomp as nc
from nodecomp.cli.main import main
from nodecomp.core.format import Format
from tests.nodes.image_asserts import write_exr
from tests.nodes.transform.moving import HEIGHT, WIDTH, path, render

START = (70.0, 60.0)


def script(tmp_path, frames=6):
    plates = tmp_path / "plates"
    plates.mkdir()
    for frame in range(1, frames + 1):
        gray = render(path(frame))
        pixels = np.dstack([gray, gray, gray, np.ones_like(gray)])
        write_exr(plates / f"tex.{frame:04d}.exr", pixels, ("R", "G", "B", "A"))
    doc = nc.Document()
    doc.format = Format(WIDTH, HEIGHT)
    doc.frame_range = (1, frames)
    read = doc.add("Read", file="plates/tex.####.exr", first=1, last=frames, before="black", after="black",
                   range_mode="custom")
    doc.add("Tracker", read, feature1_position=START)
    return doc.save(str(tmp_path / "shot.ncomp"))


def test_track_keys_the_feature_and_saves(tmp_path, capsys):
    path_ = script(tmp_path)
    assert main(["track", path_, "--node", "Tracker1", "--frames", "1-6", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Tracker1 feature1: 6 frames (1-6)" in out and "saved" in out
    tracker = nc.load(path_)["Tracker1"]
    for frame in range(1, 7):
        error = np.array(tracker.value_at("feature1_position", frame)) - START - path(frame)
        assert np.hypot(*error) < 0.1


def test_output_file_and_lost_feature_exit_code(tmp_path, capsys):
    path_ = script(tmp_path, frames=3)
    other = str(tmp_path / "tracked.ncomp")
    # frame 4 is black (after the plate ends), so the feature is lost there: exit 1, keys up to 3 kept
    assert main(["track", path_, "--node", "Tracker1", "--frames", "1-4", "--output", other, "--quiet"]) == 1
    assert "lost at frame 4" in capsys.readouterr().out
    assert not nc.load(path_)["Tracker1"].params["feature1_position"].is_animated
    assert nc.load(other)["Tracker1"].params["feature1_position"].is_animated


def test_errors_are_one_line(tmp_path, capsys):
    path_ = script(tmp_path, frames=2)
    assert main(["track", path_, "--node", "Read1", "--frames", "1-2", "--quiet"]) == 1
    assert "Read1 is a Read, not a Tracker" in capsys.readouterr().err
    assert main(["track", str(tmp_path / "missing.ncomp"), "--node", "Tracker1", "--quiet"]) == 2
