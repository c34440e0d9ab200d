"""`nodecomp render --farm`: the command line end to end (an embedded cluster in a subprocess)."""

import numpy as np

from tests.cli.conftest import read_exr, run_cli
from tests.engine.farm.comps import comp, make_plates


def test_render_on_a_local_farm_with_progress_log_and_summary(tmp_path):
    plates = make_plates(tmp_path / "plates", range(1, 6))
    doc = comp("plates", "out", range(1, 6))  # relative: resolved against the script's folder on workers
    doc.save(str(tmp_path / "shot.ncomp"))
    result = run_cli("render", tmp_path / "shot.ncomp", "--farm", "local", "--workers", "2", "--chunk", "2",
                     "--farm-log", tmp_path / "farm.log", cwd=plates)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"comp.{f:04d}.exr" for f in range(1, 6)]
    assert "5 done, 0 already complete, 0 failed" in result.stdout
    assert "3 chunks of up to 2" in result.stdout
    assert "INFO" not in result.stderr  # Dask's own chatter follows -v like everything else
    log = (tmp_path / "farm.log").read_text().splitlines()
    assert sum(" done on tcp://127.0.0.1:" in line for line in log) == 5

    farm_frame = read_exr(tmp_path / "out" / "comp.0003.exr")
    local = run_cli("render", tmp_path / "shot.ncomp", "--frames", "3", "--quiet", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    np.testing.assert_array_equal(farm_frame, read_exr(tmp_path / "out" / "comp.0003.exr"))

    again = run_cli("render", tmp_path / "shot.ncomp", "--farm", "local", "--resume", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 done, 5 already complete" in again.stdout  # nothing to do: no cluster was started


def test_farm_usage_errors_exit_2_with_one_line(tmp_path):
    doc = comp(tmp_path, tmp_path / "out", range(1, 3))
    doc.save(str(tmp_path / "shot.ncomp"))
    for args, needle in (
        (("--farm", "somewhere"), "neither 'local' nor a scheduler address"),
        (("--farm", "local", "--path-map", "nonsense"), "is not FROM=TO"),
        (("--farm", "local", "--chunk", "0"), "--chunk must be at least 1"),
    ):
        result = run_cli("render", tmp_path / "shot.ncomp", *args)
        assert result.returncode == 2, (args, result.stderr)
        errors = [line for line in result.stderr.splitlines() if line.startswith("nodecomp: error:")]
        assert len(errors) == 1 and needle in errors[0]  # one line (log warnings of other plugins aside)
