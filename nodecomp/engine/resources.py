"""Heavy resources nodes load once and share: model weights, LUTs, lookup tables.

A node that needs a model loads it through `ResourceCache.get(key, load)`: the first compute
asking for `key` runs `load` (the node's on-load step), every later one (any node, any frame,
any thread) gets the same object. Resources are released least recently used first when the
byte budget or the entry limit is exceeded, or all at once by `trim()` when memory runs short,
so a comp that switches between models does not keep every one of them resident.

The key is normally `file_fingerprint(path)`: path, size and modification time. The same value
in a node's `fingerprint` makes a re-exported model invalidate both the loaded object and every
cached image computed with the old one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import psutil
import xxhash

log = logging.getLogger(__name__)

T = TypeVar("T")

_MAX_DEFAULT_BUDGET = 16 * 1024**3
_DIGEST_CHUNK = 4 * 1024 * 1024


def file_fingerprint(path: str | os.PathLike[str], *, content: bool = False) -> tuple[Any, ...]:
    """What identifies a file's contents for cache keys: (path, size, mtime_ns), or a content hash.

    Args:
        path: the file (resolve relative paths with `ctx.resolve_path` first).
        content: hash the bytes (xxh3-128) instead of trusting size and mtime; use it for files
            that are copied around with new times but the same contents, at the cost of reading them.

    Raises:
        OSError: the file cannot be read; the engine turns this into an error naming the node.
    """
    path = os.fspath(path)
    stat = os.stat(path)
    if not content:
        return (path, stat.st_size, stat.st_mtime_ns)
    hasher = xxhash.xxh3_128()
    with open(path, "rb") as handle:
        while chunk := handle.read(_DIGEST_CHUNK):
            hasher.update(chunk)
    return (path, stat.st_size, hasher.hexdigest())


def default_budget_bytes() -> int:
    """Bytes of resources kept by default: $NODECOMP_RESOURCE_MB, else 1/4 of RAM (at most 16 GiB)."""
    configured = os.environ.get("NODECOMP_RESOURCE_MB", "").strip()
    if configured.isdigit():
        return int(configured) * 1024 * 1024
    return min(psutil.virtual_memory().total // 4, _MAX_DEFAULT_BUDGET)


@dataclass
class ResourceStats:
    """Counters for the UI and tests: loads run, hits served, releases, bytes and entries held."""

    loads: int = 0
    hits: int = 0
    releases: int = 0
    bytes: int = 0
    entries: int = 0


@dataclass
class _Entry:
    value: Any
    nbytes: int
    release: Callable[[Any], None] | None


class ResourceCache:
    """Loaded resources by key, loaded once even when several threads ask at the same time.

    Args:
        budget_bytes: total size kept before the least recently used resources are released
            (default: `default_budget_bytes()`).
        max_entries: most resources kept whatever their size (sizes are often unknown).
    """

    def __init__(self, budget_bytes: int | None = None, max_entries: int = 4) -> None:
        self.budget_bytes = default_budget_bytes() if budget_bytes is None else int(budget_bytes)
        self.max_entries = max(1, int(max_entries))
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._loading: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._stats = ResourceStats()

    def get(
        self,
        key: Hashable,
        load: Callable[[], T],
        *,
        nbytes: int | Callable[[T], int] | None = None,
        release: Callable[[T], None] | None = None,
    ) -> T:
        """The resource for `key`, running `load()` only when it is not held.

        Args:
            key: what identifies the resource, e.g. `("my_plugin.model", file_fingerprint(path))`.
            load: builds the resource; an exception propagates and nothing is kept.
            nbytes: its size in bytes, or a function of the loaded value; by default the value's
                `nbytes` attribute when it has one, else 0 (then only `max_entries` bounds it).
            release: called with the value when it is dropped (free GPU memory, close a session).
        """
        with self._lock:
            entry = self._hit(key)
            if entry is not None:
                return entry.value
            gate = self._loading.setdefault(key, threading.Lock())
        with gate:  # one loader per key; the others wait and then take its result
            with self._lock:
                entry = self._hit(key)
                if entry is not None:
                    return entry.value
            try:
                value = load()
            finally:
                with self._lock:
                    self._loading.pop(key, None)
            size = nbytes(value) if callable(nbytes) else nbytes
            if size is None:
                size = int(getattr(value, "nbytes", 0) or 0)
            with self._lock:
                self._entries[key] = _Entry(value, int(size), release)
                self._stats.loads += 1
                released = self._evict(self.budget_bytes, self.max_entries, keep=key)
        self._release_all(released)
        log.info("loaded resource %r (%d bytes)", key, size)
        return value

    def trim(self, budget_bytes: int = 0) -> int:
        """Release least recently used resources until at most `budget_bytes` are held.

        Returns:
            How many resources were released. `trim()` releases everything (memory pressure,
            a plugin reload, the app's "free memory" action).
        """
        with self._lock:
            released = self._evict(int(budget_bytes), self.max_entries if budget_bytes else 0)
        self._release_all(released)
        return len(released)

    def stats(self) -> ResourceStats:
        """A copy of the counters."""
        with self._lock:
            current = ResourceStats(**vars(self._stats))
            current.entries = len(self._entries)
            current.bytes = sum(e.nbytes for e in self._entries.values())
            return current

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def _hit(self, key: Hashable) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self._stats.hits += 1
        return entry

    def _evict(self, budget: int, max_entries: int, keep: Hashable | None = None) -> list[_Entry]:
        """Drop least recently used entries until within limits, never `keep` (just loaded, in use)."""
        released: list[_Entry] = []
        held = sum(e.nbytes for e in self._entries.values())
        while self._entries and (held > budget or len(self._entries) > max_entries):
            oldest = next(iter(self._entries))
            if oldest == keep:
                break
            entry = self._entries.pop(oldest)
            held -= entry.nbytes
            released.append(entry)
        self._stats.releases += len(released)
        return released

    @staticmethod
    def _release_all(entries: list[_Entry]) -> None:
        for entry in entries:
            if entry.release is None:
                continue
            try:
                entry.release(entry.value)
            except Exception:  # noqa: BLE001 - a failing release hook must not fail the compute that evicted it
                log.exception("releasing a resource failed")


resources = ResourceCache()
"""The process-wide resource cache nodes share (`nodecomp.api.resources`)."""
