import threading
import time

import numpy as np

from nodecomp.engine.cache import ImageCache, default_budget_bytes
from nodecomp.engine.image import Box, Image


def _image(value=0.0, size=8):
    return Image.blank(Box(0, 0, size, size), value=value).freeze()


def test_lru_eviction_by_bytes():
    one = _image().nbytes
    cache = ImageCache(budget_bytes=2 * one)
    cache.put("a", _image(1))
    cache.put("b", _image(2))
    assert cache.get("a") is not None  # a is now most recent
    cache.put("c", _image(3))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    stats = cache.stats
    assert (stats.evictions, stats.entries, stats.bytes) == (1, 2, 2 * one)


def test_oversized_entry_is_not_kept():
    cache = ImageCache(budget_bytes=10)
    cache.put("a", _image())
    assert cache.stats.entries == 0


def test_get_or_compute_runs_once_for_concurrent_callers():
    cache = ImageCache(budget_bytes=10**8)
    runs = []

    def compute():
        runs.append(1)
        time.sleep(0.1)
        return _image(5)

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", compute))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(runs) == 1
    assert all(r is results[0] for r in results)


def test_failed_compute_is_not_cached():
    cache = ImageCache(budget_bytes=10**8)

    def boom():
        raise RuntimeError("x")

    for _ in range(2):
        try:
            cache.get_or_compute("k", boom)
        except RuntimeError:
            pass
    assert cache.stats.entries == 0
    assert cache.stats.misses == 2


def test_shrinking_budget_evicts_and_default_is_sane():
    cache = ImageCache(budget_bytes=10**8)
    cache.put("a", _image())
    cache.set_budget(0)
    assert cache.stats.entries == 0
    assert 0 < default_budget_bytes() <= 16 * 1024**3
    assert np.isfinite(cache.stats.budget)


def test_peek_and_discard_neither_count_nor_fail_on_missing_keys():
    cache = ImageCache(budget_bytes=1 << 20)
    cache.put("a", _image(1))
    cache.put("b", _image(2))
    assert cache.peek("a") and not cache.peek("zzz")
    cache.discard("a")
    cache.discard("zzz")
    stats = cache.stats
    assert not cache.peek("a") and (stats.entries, stats.bytes) == (1, _image().nbytes)
    assert (stats.hits, stats.misses, stats.evictions) == (0, 0, 0)


def test_a_waiter_computes_itself_when_the_computation_it_waits_on_is_cancelled():
    from nodecomp.core.errors import CancelledError

    cache = ImageCache(budget_bytes=10**8)
    started, release = threading.Event(), threading.Event()

    def cancelled():
        started.set()
        release.wait(5)
        raise CancelledError("cancelled")

    owner_errors, waiter_results = [], []

    def owner():
        try:
            cache.get_or_compute("k", cancelled)
        except CancelledError as exc:
            owner_errors.append(exc)

    first = threading.Thread(target=owner)
    first.start()
    started.wait(5)
    second = threading.Thread(target=lambda: waiter_results.append(cache.get_or_compute("k", lambda: _image(7))))
    second.start()
    time.sleep(0.05)  # the second caller is now waiting on the first one's computation
    release.set()
    first.join(5)
    second.join(5)
    assert len(owner_errors) == 1  # the cancelled job still stops
    assert len(waiter_results) == 1 and cache.peek("k")  # the other job got its own result
