"""The scripting contract from ARCHITECTURE.md, end to end, and the CLI around it."""

import os
import signal
import subprocess
import sys
import time

import numpy as np

import nodecomp as nc
from tests.cli.conftest import read_exr, run_cli, write_exr


def build_contract(tmp_path, plates):
    os.chdir(tmp_path)
    doc = nc.Document()
    doc.frame_range = (1, 4)
    doc.format = nc.Document().format.__class__(32, 24)
    bg = doc.add("Read", file="plates/bg.####.exr")
    fg = doc.add("Read", file="plates/fg.####.exr")
    graded = doc.add("Grade", fg, multiply=1.2)
    comp = doc.add("Merge", graded, bg, operation="over")
    doc.add("Write", comp, file="out/comp.####.exr", datatype="half", compression="zip")
    doc.connect(fg, graded, input=0)
    graded["multiply"] = 1.25
    doc.save("shot.ncomp")
    return doc


def test_contract_script_renders_correct_exrs(tmp_path, plates):
    build_contract(tmp_path, plates)
    doc = nc.load("shot.ncomp")
    nc.render(doc, doc["Write1"], frames="1-4")
    for frame in range(1, 5):
        fg = read_exr(plates / f"fg.{frame:04d}.exr")
        bg = read_exr(plates / f"bg.{frame:04d}.exr")
        graded = fg.copy()
        graded[..., :3] *= 1.25
        expected = graded + bg * (1 - graded[..., 3:4])
        out = read_exr(tmp_path / "out" / f"comp.{frame:04d}.exr")
        np.testing.assert_allclose(out, expected, atol=2e-3)


def test_cli_render_stats_and_info(tmp_path, plates):
    build_contract(tmp_path, plates)
    result = run_cli("render", "shot.ncomp", "--frames", "1-4x2", "--stats", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "hits" in result.stdout and "Grade1" in result.stdout
    assert sorted(os.listdir(tmp_path / "out")) == ["comp.0001.exr", "comp.0003.exr"]
    info = run_cli("info", "shot.ncomp", cwd=tmp_path)
    assert info.returncode == 0 and "Write1" in info.stdout and "1-4" in info.stdout


def test_cli_failure_is_one_line_naming_node_frame_file(tmp_path, plates):
    build_contract(tmp_path, plates)
    bad = plates / "fg.0003.exr"
    bad.write_bytes(bad.read_bytes()[:200])
    result = run_cli("render", "shot.ncomp", "--quiet", "--threads", "1", cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("nodecomp: error")]
    assert len(lines) == 1
    assert "Read2" in lines[0] and "frame 3" in lines[0] and "fg.0003.exr" in lines[0]


def test_cli_bad_script_and_usage(tmp_path):
    (tmp_path / "bad.ncomp").write_text("{not json")
    result = run_cli("render", tmp_path / "bad.ncomp")
    assert result.returncode == 2 and "bad.ncomp" in result.stderr
    assert run_cli("--help").returncode == 0
    assert "render" in run_cli("--help").stdout and "info" in run_cli("--help").stdout


def test_cli_missing_write_name(tmp_path, plates):
    build_contract(tmp_path, plates)
    result = run_cli("render", "shot.ncomp", "--write", "Nope", cwd=tmp_path)
    assert result.returncode == 1 and "Nope" in result.stderr


def test_cli_renders_comps_with_backdrops_and_refuses_to_render_one(tmp_path, plates):
    doc = build_contract(tmp_path, plates)
    doc.add("Backdrop", label="plates", note="bg and fg")
    doc.save()
    result = run_cli("render", "shot.ncomp", "--frames", "1", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path / "out") == ["comp.0001.exr"]
    result = run_cli("render", "shot.ncomp", "--write", "Backdrop1", "--frames", "1", "--quiet", cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if line.startswith("nodecomp: error")]
    assert result.returncode == 1 and len(lines) == 1 and "Backdrop1" in lines[0], result.stderr


def test_ctrl_c_leaves_no_partial_file(tmp_path, plates):
    build_contract(tmp_path, plates)
    doc = nc.load("shot.ncomp")
    big = 640
    rng = np.random.default_rng(1)
    for frame in range(1, 41):
        write_exr(plates / f"bg.{frame:04d}.exr", rng.random((big, big, 4), dtype=np.float32))
        write_exr(plates / f"fg.{frame:04d}.exr", rng.random((big, big, 4), dtype=np.float32))
    doc.frame_range = (1, 40)
    doc.format = doc.format.__class__(big, big)
    doc.add("Blur", doc["Merge1"], size=(20, 20))
    doc.connect("Blur1", "Write1")
    doc.save()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nodecomp.cli.main", "render", "shot.ncomp", "--quiet", "--threads", "2"],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not (tmp_path / "out" / "comp.0002.exr").exists():
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    written = sorted(os.listdir(tmp_path / "out"))
    assert all(name.startswith("comp.") and name.endswith(".exr") for name in written), written
    assert len(written) < 40
    for name in written:
        assert read_exr(tmp_path / "out" / name).shape == (big, big, 4)
