"""`nodecomp cloud`: check accounts, store keys, status and generate, against the local stand-in."""

from __future__ import annotations

import io

import pytest

import nodecomp as nc
from nodecomp.api import Format
from nodecomp.cli.main import main
from tests.plugins.cloud_generators import conftest as cloud
from tests.plugins.cloud_generators.helpers import FAST
from tests.plugins.cloud_generators.standin import FAL_KEY, RUNWAY_KEY

# the stand-in and keyring fixtures of the plugin's tests, shared here
tls, https_server, standin, video_bytes = cloud.tls, cloud.https_server, cloud.standin, cloud.video_bytes
isolated_keys = cloud.isolated_keys


def cli(capsys, *args):
    code = main(["cloud", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_reports_each_account_without_showing_keys(standin, capsys):
    code, out, err = cli(capsys, "check")
    assert code == 0, err
    assert "runway: ok (key from environment variable RUNWAYML_API_SECRET)" in out
    assert "credit balance: 5000 credits" in out and "gen4_turbo: 12 generations today of 200, 2 at once" in out
    assert "kling: ok (key from environment variable FAL_KEY)" in out
    assert "image_to_video (fal-ai/kling-video/v2.1/standard/image-to-video): 0.056 USD per second" in out
    assert RUNWAY_KEY not in out + err and FAL_KEY not in out + err


def test_check_fails_for_a_rejected_key(standin, capsys, monkeypatch):
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_revoked")
    code, out, _ = cli(capsys, "check", "runway")
    assert code == 1 and "runway: FAILED" in out and "rejected the API key" in out


def test_check_without_any_key_says_how_to_add_one(capsys):
    code, _, err = cli(capsys, "check")
    assert code == 1 and "RUNWAYML_API_SECRET or FAL_KEY" in err and "nodecomp cloud set-key" in err
    code, out, _ = cli(capsys, "check", "kling")
    assert code == 1 and "no key found: set FAL_KEY" in out


def test_set_key_stores_in_the_keyring_and_check_uses_it(standin, capsys, monkeypatch, isolated_keys):
    monkeypatch.delenv("RUNWAYML_API_SECRET")
    monkeypatch.setattr("sys.stdin", io.StringIO(RUNWAY_KEY + "\n"))
    code, out, _ = cli(capsys, "set-key", "runway")
    assert code == 0 and "stored in the OS keyring (nodecomp/runway)" in out and RUNWAY_KEY not in out
    assert isolated_keys.passwords[("nodecomp", "runway")] == RUNWAY_KEY
    code, out, _ = cli(capsys, "check", "runway")
    assert code == 0 and "key from OS keyring (nodecomp/runway)" in out
    assert cli(capsys, "set-key", "runway", "--delete")[1] == "runway: key removed\n"


@pytest.fixture
def script(tmp_path):
    """A saved comp as a user makes it: a Constant plate feeding a Runway and a Kling node."""
    doc = nc.Document()
    doc.format = Format(64, 36)
    plate = doc.add("Constant", color=(0.18, 0.18, 0.18, 1.0))
    doc.add("cloud_generators.RunwayGenerate", plate, prompt="push in", name="Hero", **FAST)
    doc.add("cloud_generators.KlingGenerate", plate, prompt="drift", name="Bg", **FAST)
    return doc.save(str(tmp_path / "shot.ncomp"))


def test_status_then_generate_then_status(standin, script, video_bytes, capsys):
    standin.add_media("result.mp4", video_bytes, "video/mp4")
    shot = nc.load(script)

    code, out, _ = cli(capsys, "status", shot.path)
    assert code == 0
    assert "Hero: not generated: gen4_turbo: a render submits a new task; estimate: Runway gives no estimate" in out
    assert "Bg: not generated: fal-ai/kling-video/v2.1/standard/image-to-video: a render submits a new task; " \
           "estimate: 0.28 USD" in out
    assert not standin.calls("POST", "/")

    code, out, err = cli(capsys, "generate", shot.path, "--node", "Hero")
    assert code == 0, err
    assert "Hero: Runway: submitted task task-0001" in err and "Hero: Runway: task task-0001 running 50%" in err
    assert out.startswith("Hero: media/generated/") and out.strip().endswith(".mp4")

    code, out, _ = cli(capsys, "status", shot.path, "--no-estimate")
    assert "Hero: cached: " in out and "(gen4_turbo, task task-0001)" in out
    assert "Bg: not generated" in out


def test_generate_names_an_unknown_node(standin, script, capsys):
    code, _, err = cli(capsys, "generate", script, "--node", "Nope")
    assert code == 1 and "no generator node named Nope" in err


def test_help_lists_cloud(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "cloud" in capsys.readouterr().out


def test_nodecomp_render_generates_once_and_writes_every_frame(standin, script, video_bytes, tmp_path):
    """The whole path from the command line, in a separate process: render -> submit -> poll -> frames."""
    from tests.cli.conftest import run_cli

    standin.add_media("result.mp4", video_bytes, "video/mp4")
    doc = nc.load(script)
    doc.frame_range = (1, 4)
    doc.add("Write", doc["Hero"], file=str(tmp_path / "out" / "hero.####.exr"))
    doc.save(script)
    result = run_cli("render", script, "--quiet")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"hero.000{i}.exr" for i in range(1, 5)]
    assert len(standin.calls("POST", "/v1/image_to_video")) == 1
    again = run_cli("render", script, "--quiet")
    assert again.returncode == 0 and len(standin.calls("POST", "/v1/")) == 1
