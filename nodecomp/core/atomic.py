"""Atomic outputs: write to a hidden temporary name beside the file, then rename it into place.

Readers (a player, a farm's completeness check, a conform) then see the old file or the whole
new one, never half a file, and a failure leaves nothing under the final name. Every writer in
nodecomp and the bundled plugins goes through `atomic_path`; documents use `write_atomically`
(`core/fileformat.py`), which also syncs to disk.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator


def temp_path(path: str | os.PathLike[str]) -> str:
    """A unique hidden name next to `path` that keeps its extension (OIIO picks writers by it)."""
    folder, name = os.path.split(os.fspath(path))
    return os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp{os.path.splitext(name)[1]}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """Yield a temporary name to write `path` to; it replaces `path` when the block ends cleanly.

    If the block raises (including a cancellation), the temporary file is removed and nothing
    changes at `path`. The rename itself can raise OSError (another filesystem, no permission);
    callers turn that into their own error naming the file.
    """
    temp = temp_path(path)
    try:
        yield temp
        os.replace(temp, os.fspath(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise
