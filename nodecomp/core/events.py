"""Plain-Python events, so views (Qt or not) can follow the document without the core knowing them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Signal:
    """A list of callbacks called in order; a failing callback is logged and never breaks the edit."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []
        self._lock = threading.Lock()

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call `callback(*args, **kwargs)` on every emit; returns it so it can be used as a decorator."""
        with self._lock:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling `callback`; unknown callbacks are ignored."""
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    def emit(self, *args: Any, **kwargs: Any) -> None:
        """Call every connected callback."""
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(*args, **kwargs)
            except Exception:  # noqa: BLE001 - a broken listener must not break the document
                log.exception("listener of %s failed", self.name)


class DocumentEvents:
    """The events a `Document` emits. Arguments are core objects or plain values."""

    def __init__(self) -> None:
        self.node_added = Signal("node_added")  # (node)
        self.node_removed = Signal("node_removed")  # (node)
        self.node_renamed = Signal("node_renamed")  # (node, old_name)
        self.connection_changed = Signal("connection_changed")  # (node, input_name)
        self.param_changed = Signal("param_changed")  # (node, param_name)
        self.node_changed = Signal("node_changed")  # (node, attribute) for ui data, disabled
        self.settings_changed = Signal("settings_changed")  # (key)
        self.changed = Signal("changed")  # () after any edit; for dirty flags and autosave
