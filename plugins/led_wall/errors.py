"""The one error the LED-wall plugin raises on purpose: a wall file or an export that cannot work.

It is a `NodecompError`, so the engine, the CLI and the app show it like any other error: one
line naming the file, and for wall files the path of the bad field (`walls[0].panel_count_width`).
"""

from __future__ import annotations

from nodecomp.api import NodecompError


class WallError(NodecompError):
    """A wall definition that is invalid, or an export step that failed.

    Args:
        message: what is wrong, in one sentence.
        path: the wall file (or output file) concerned.
        field: JSON-path-like location of the bad field, e.g. `processors[1].ports`.
        hint: how to fix it.
    """

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None,
                 hint: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message, path=path, hint=hint)
