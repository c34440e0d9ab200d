"""Shared heavy resources: loaded once across threads, released least recently used, keyed by file state."""

import os
import threading
import time

import numpy as np
import pytest

from nodecomp.engine.resources import ResourceCache, default_budget_bytes, file_fingerprint


def test_loads_once_and_counts_hits():
    cache = ResourceCache(budget_bytes=1000)
    calls = []
    first = cache.get("model", lambda: calls.append(1) or np.zeros(10, np.float32))
    assert cache.get("model", lambda: calls.append(1)) is first
    stats = cache.stats()
    assert calls == [1] and (stats.loads, stats.hits, stats.entries, stats.bytes) == (1, 1, 1, 40)


def test_concurrent_requests_load_once():
    cache = ResourceCache(budget_bytes=10**6)
    calls = []
    start = threading.Barrier(4)

    def slow_load():
        calls.append(1)
        time.sleep(0.05)
        return object()

    results = []

    def worker():
        start.wait()
        results.append(cache.get("weights", slow_load))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


def test_budget_and_entry_limit_release_least_recently_used_with_hook():
    released = []
    cache = ResourceCache(budget_bytes=100, max_entries=2)
    cache.get("a", lambda: "A", nbytes=40, release=released.append)
    cache.get("b", lambda: "B", nbytes=40, release=released.append)
    cache.get("a", lambda: "unused")  # a is now the most recently used
    cache.get("c", lambda: "C", nbytes=40, release=released.append)
    assert released == ["B"] and "a" in cache and "c" in cache
    big = cache.get("huge", lambda: "H", nbytes=1000, release=released.append)
    assert big == "H" and "huge" in cache  # never released while it is being handed out
    assert released == ["B", "A", "C"]


def test_failed_load_keeps_nothing_and_can_be_retried():
    cache = ResourceCache()
    with pytest.raises(OSError):
        cache.get("m", lambda: (_ for _ in ()).throw(OSError("no such model")))
    assert "m" not in cache and cache.get("m", lambda: 5) == 5


def test_trim_releases_everything_and_a_failing_release_is_logged(caplog):
    cache = ResourceCache()
    cache.get("a", lambda: 1, release=lambda value: 1 / 0)
    cache.get("b", lambda: 2, nbytes=lambda value: 8)
    assert cache.trim() == 2 and cache.stats().entries == 0
    assert "releasing a resource failed" in caplog.text


def test_file_fingerprint_follows_the_file(tmp_path):
    path = tmp_path / "weights.bin"
    path.write_bytes(b"1234")
    first = file_fingerprint(path)
    assert first == (str(path), 4, path.stat().st_mtime_ns)
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 10**9))
    assert file_fingerprint(path) != first
    by_content = file_fingerprint(path, content=True)
    os.utime(path, ns=(0, 5))
    assert file_fingerprint(path, content=True) == by_content
    with pytest.raises(OSError):
        file_fingerprint(tmp_path / "missing.bin")


def test_default_budget_reads_the_environment(monkeypatch):
    monkeypatch.setenv("NODECOMP_RESOURCE_MB", "3")
    assert default_budget_bytes() == 3 * 1024 * 1024
    monkeypatch.delenv("NODECOMP_RESOURCE_MB")
    assert 0 < default_budget_bytes() <= 16 * 1024**3
