"""Farm renders on real Dask clusters bound to 127.0.0.1: an embedded LocalCluster, and a separately
started scheduler with two worker processes, one of which is killed (SIGKILL) in the middle of a chunk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.engine.farm import FarmJob, FrameState, farm_client
from tests.engine.farm.comps import comp, frame_files, make_plates, pixels

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def local_client():
    with farm_client("local", workers=2) as client:
        yield client


def assert_same_frames(farm_dir: Path, local_dir: Path, frames) -> None:
    names = [f"comp.{f:04d}.exr" for f in frames]
    assert frame_files(farm_dir) == names
    for name in names:
        np.testing.assert_array_equal(pixels(farm_dir / name), pixels(local_dir / name), err_msg=name)


def test_local_cluster_matches_a_local_render_pixel_for_pixel(tmp_path, local_client):
    plates = make_plates(tmp_path / "plates", range(1, 9))
    nc.render(comp(plates, tmp_path / "local", range(1, 9)), "Write1", frames="1-8")
    events = []
    job = FarmJob(comp(plates, tmp_path / "farm", range(1, 9)), ["Write1"], range(1, 9), chunk=3)
    result = job.run(local_client, on_event=events.append)
    assert result.ok, result.failed
    assert (result.done, result.chunks, result.failed) == (list(range(1, 9)), 3, {})
    assert_same_frames(tmp_path / "farm", tmp_path / "local", range(1, 9))
    assert len([w for w in result.per_worker if w.startswith("tcp://127.0.0.1:")]) >= 1
    deadline = time.time() + 5  # events travel worker -> scheduler -> client on their own schedule
    while time.time() < deadline and len([e for e in events if e.state is FrameState.DONE]) < 8:
        time.sleep(0.02)
    assert sorted(e.frame for e in events if e.state is FrameState.DONE) == list(range(1, 9))


def test_resume_skips_frames_already_complete_and_valid(tmp_path, local_client):
    plates = make_plates(tmp_path / "plates", range(1, 7))
    out = tmp_path / "out"
    doc = comp(plates, out, range(1, 7))
    assert FarmJob(doc, ["Write1"], range(1, 7), chunk=2).run(local_client).ok
    (out / "comp.0002.exr").unlink()
    (out / "comp.0003.exr").write_bytes(b"")
    (out / "comp.0004.exr").write_bytes(b"garbage, not an EXR" * 20)
    kept = {f: os.stat(out / f"comp.{f:04d}.exr").st_ino for f in (1, 5, 6)}
    result = FarmJob(doc, ["Write1"], range(1, 7), chunk=2, resume=True).run(local_client)
    assert result.ok and result.skipped == [1, 5, 6] and result.done == [2, 3, 4]
    assert {f: os.stat(out / f"comp.{f:04d}.exr").st_ino for f in (1, 5, 6)} == kept
    nc.render(comp(plates, tmp_path / "local", range(1, 7)), "Write1", frames="1-6")
    assert_same_frames(out, tmp_path / "local", range(1, 7))


def test_path_mapping_rewrites_reads_and_writes_per_worker(tmp_path, local_client):
    make_plates(tmp_path / "show" / "plates", range(1, 4))
    foreign = "/nodecomp-farm-test-nowhere/show"
    doc = comp(f"{foreign}/plates", f"{foreign}/out", range(1, 4))
    result = FarmJob(doc, ["Write1"], range(1, 4), chunk=2, path_map=[f"{foreign}={tmp_path / 'show'}"]).run(
        local_client)
    assert result.ok, result.failed
    assert frame_files(tmp_path / "show" / "out") == ["comp.0001.exr", "comp.0002.exr", "comp.0003.exr"]


def test_failed_frames_are_retried_then_reported_with_node_frame_and_file(tmp_path, local_client):
    plates = make_plates(tmp_path / "plates", range(1, 4))
    doc = comp(plates, tmp_path / "out", range(1, 5))
    doc["Read1"]["after"] = "error"
    events = []
    result = FarmJob(doc, ["Write1"], range(1, 5), chunk=2, retries=1).run(local_client, on_event=events.append)
    assert not result.ok and result.done == [1, 2, 3] and list(result.failed) == [4]
    assert "Read1" in result.failed[4] and "frame 4" in result.failed[4] and "bg.0004.exr" in result.failed[4]
    assert result.chunk_attempts >= 3  # chunk 1 ran twice; frame 3 was kept from the first attempt
    assert frame_files(tmp_path / "out") == ["comp.0001.exr", "comp.0002.exr", "comp.0003.exr"]
    deadline = time.time() + 5
    while time.time() < deadline and len([e for e in events if e.state is FrameState.FAILED]) < 2:
        time.sleep(0.02)
    assert [e.frame for e in events if e.state is FrameState.DONE].count(3) == 1


# ---------------------------------------------------------------- separate scheduler + workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


@pytest.fixture
def farm(tmp_path, request):
    """`dask scheduler` and two `dask worker` processes (own sessions, so a kill takes a whole worker)."""
    dask = BIN / "dask"
    if not dask.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    processes: list[subprocess.Popen] = []

    def start(*args: str, log: str) -> subprocess.Popen:
        handle = open(tmp_path / log, "wb")
        request.addfinalizer(handle.close)
        process = subprocess.Popen([str(dask), *args], stdout=handle, stderr=subprocess.STDOUT, env=env,
                                   cwd=tmp_path, start_new_session=True)
        processes.append(process)
        request.addfinalizer(lambda: _stop(process))
        return process

    start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", log="scheduler.log")
    workers = [start("worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
                     "--no-dashboard", log=f"worker{i}.log") for i in range(2)]
    client = None
    deadline = time.time() + 60
    while client is None:
        try:
            client = distributed.Client(address, timeout=5)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    request.addfinalizer(client.close)
    client.wait_for_workers(2, timeout=60)
    return client, workers


def test_a_worker_killed_mid_chunk_loses_no_frame_and_writes_none_twice(tmp_path, farm):
    client, workers = farm
    frames = range(1, 13)
    plates = make_plates(tmp_path / "plates", frames, width=640, height=360)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".comp.0012.exr.deadbeef.tmp.exr"  # what a writer killed earlier leaves behind
    stale.write_bytes(b"partial")
    doc = comp(plates, out, frames, width=640, height=360, blur=80.0)  # ~0.3 s a frame

    pid_group = {addr: os.getpgid(pid) for addr, pid in client.run(os.getpid).items()}
    assert sorted(pid_group.values()) == sorted(w.pid for w in workers)
    chunk_of = {f: (f - 1) // 4 for f in frames}
    seen: dict[str, set[int]] = {}
    killed: list[str] = []
    done_events: list[int] = []
    stop = threading.Event()

    def watch() -> None:  # every inode each final name ever had: a frame written twice shows two
        while not stop.is_set():
            for entry in os.scandir(out):
                if not entry.name.startswith("."):
                    seen.setdefault(entry.name, set()).add(entry.inode())
            time.sleep(0.005)

    def kill(worker: str) -> None:
        time.sleep(0.08)  # well inside the frame that just started
        os.killpg(pid_group[worker], signal.SIGKILL)

    def on_event(event) -> None:
        if event.state is FrameState.DONE:
            done_events.append(event.frame)
        starts_mid_chunk = event.state is FrameState.START and chunk_of[event.frame] == chunk_of.get(event.frame - 1)
        if starts_mid_chunk and not killed and event.frame - 1 in done_events:
            killed.append(event.worker)
            threading.Thread(target=kill, args=(event.worker,), daemon=True).start()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = FarmJob(doc, ["Write1"], frames, chunk=4, retries=1).run(client, on_event=on_event)
    finally:
        stop.set()
        watcher.join()

    assert killed, "no worker was killed: the render finished before a chunk reached its second frame"
    victim = workers[[w.pid for w in workers].index(pid_group[killed[0]])]
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert result.ok, result.failed
    assert result.done == list(frames)
    assert result.reruns >= 1  # the victim's chunk ran again on the other worker
    names = [f"comp.{f:04d}.exr" for f in frames]
    assert sorted(os.listdir(out)) == names  # no temporary files left, the stale one swept too
    written_twice = {name: inodes for name, inodes in seen.items() if len(inodes) != 1}
    assert written_twice == {}
    deadline = time.time() + 5
    while time.time() < deadline and len(done_events) < len(frames):
        time.sleep(0.02)
    assert sorted(done_events) == list(frames)  # one done event per frame

    nc.render(comp(plates, tmp_path / "local", frames, width=640, height=360, blur=80.0), "Write1",
              frames="1-12", threads=2)
    assert_same_frames(out, tmp_path / "local", frames)
