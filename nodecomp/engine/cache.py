"""Byte-budgeted LRU cache of node results, shared by every thread of a process.

Results are immutable, so a hit hands out the same object. Two threads asking for the same key
at once compute it once: the second waits for the first (frames in flight often share a
frame-independent input such as a Constant or a held frame).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import psutil

from nodecomp.core.errors import CancelledError
from nodecomp.engine.image import Image

DEFAULT_FRACTION = 0.25
DEFAULT_MAX_BYTES = 16 * 1024**3
RENDER_FRACTION = 0.125
RENDER_MAX_BYTES = 2 * 1024**3


def default_budget_bytes() -> int:
    """Interactive budget: a quarter of physical RAM, at most 16 GiB (a preference in the app)."""
    return int(min(psutil.virtual_memory().total * DEFAULT_FRACTION, DEFAULT_MAX_BYTES))


def default_render_budget_bytes() -> int:
    """Batch-render budget: an eighth of RAM, at most 2 GiB (`--cache-mb` overrides).

    A batch render rarely reuses a frame's intermediates on the next frame; what it reuses
    (frame-independent sources, held frames) is small, so a big cache only raises peak memory.
    """
    return int(min(psutil.virtual_memory().total * RENDER_FRACTION, RENDER_MAX_BYTES))


@dataclass
class CacheStats:
    """Counters since the cache was made (or `reset_stats`)."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    bytes: int = 0
    entries: int = 0
    budget: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict for printing and the UI."""
        return dict(self.__dict__)


class _Pending:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Image | None = None
        self.error: BaseException | None = None


class ImageCache:
    """LRU over `Image.nbytes`; an entry larger than the budget is returned but not kept."""

    def __init__(self, budget_bytes: int | None = None) -> None:
        self.budget = default_budget_bytes() if budget_bytes is None else int(budget_bytes)
        self._entries: OrderedDict[str, Image] = OrderedDict()
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._bytes = 0
        self._hits = self._misses = self._evictions = 0

    def get(self, key: str) -> Image | None:
        """The cached result for `key` (counted as a hit or a miss)."""
        with self._lock:
            image = self._entries.get(key)
            if image is None:
                self._misses += 1
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return image

    def peek(self, key: str) -> bool:
        """True when `key` is cached; does not count or reorder (for cache lines in the UI)."""
        with self._lock:
            return key in self._entries

    def discard(self, key: str) -> None:
        """Drop one entry if present (the viewer drops results an edit made obsolete)."""
        with self._lock:
            image = self._entries.pop(key, None)
            if image is not None:
                self._bytes -= image.nbytes

    def peek_image(self, key: str) -> Image | None:
        """The cached image for `key` without counting or reordering (planning, UI overlays)."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, image: Image) -> None:
        """Store `image` under `key`, evicting least-recently-used entries to fit the budget."""
        size = image.nbytes
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.nbytes
            if size > self.budget:
                return
            self._entries[key] = image
            self._bytes += size
            self._evict_locked()

    def _evict_locked(self) -> None:
        while self._bytes > self.budget and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= evicted.nbytes
            self._evictions += 1

    def get_or_compute(self, key: str, compute: Callable[[], Image]) -> Image:
        """The cached result, or `compute()` run once even if several threads ask together.

        A caller waiting on another thread's computation gets its result or its error, except
        a cancellation: that belonged to the other caller's job, so the waiter computes itself.
        """
        while True:
            with self._lock:
                image = self._entries.get(key)
                if image is not None:
                    self._entries.move_to_end(key)
                    self._hits += 1
                    return image
                pending = self._pending.get(key)
                owner = pending is None
                if owner:
                    pending = self._pending[key] = _Pending()
                    self._misses += 1
                else:
                    self._hits += 1
            assert pending is not None  # noqa: S101 - narrowing for type checkers
            if owner:
                return self._compute_pending(key, pending, compute)
            pending.done.wait()
            if isinstance(pending.error, CancelledError):
                continue
            if pending.error is not None:
                raise pending.error
            assert pending.result is not None  # noqa: S101
            return pending.result

    def _compute_pending(self, key: str, pending: _Pending, compute: Callable[[], Image]) -> Image:
        try:
            result = compute()
        except BaseException as exc:
            pending.error = exc
            raise
        else:
            pending.result = result
            self.put(key, result)
            return result
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.done.set()

    def set_budget(self, budget_bytes: int) -> None:
        """Change the budget, evicting at once if it shrank."""
        with self._lock:
            self.budget = int(budget_bytes)
            self._evict_locked()

    def clear(self) -> None:
        """Drop every entry (counters stay)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def reset_stats(self) -> None:
        """Zero the hit/miss/eviction counters."""
        with self._lock:
            self._hits = self._misses = self._evictions = 0

    @property
    def stats(self) -> CacheStats:
        """A snapshot of the counters."""
        with self._lock:
            return CacheStats(
                self._hits, self._misses, self._evictions, self._bytes, len(self._entries), self.budget
            )
