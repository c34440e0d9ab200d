"""The document's media folder for generated results: content-addressed files plus records.

Layout, beside the comp (`<document folder>/media/generated/`)::

    3f9c...e1.mp4                      a result, named by the SHA-256 of its bytes
    3f9c...e1.mp4.frames/              its frames decoded once (TIFF) for the graph to read
    records/<request key>/<input hash>.json          what made it: service, model, prompt,
                                                     seed, every argument, task id, cost
    records/<request key>/<input hash>.pending.json  a task submitted and not yet downloaded

The media file is the source of truth: once a record points at a file that is there with the
recorded size, the node reads it and never calls the service again, on a re-render, after
reopening the comp, or after the service has deleted its copy. A pending record keeps the task
id, so a render that timed out, was cancelled or crashed resumes the same paid task instead of
submitting a new one. Writes are atomic (temporary name, then rename); the same bytes
downloaded twice land on the same name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.cloud_generators.errors import CloudError, Failure
from plugins.cloud_generators.request import GenerationRequest, sha256

MEDIA_FOLDER = ("media", "generated")
RECORDS = "records"
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".webm", ".mkv", ".m4v", ".gif"})

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_verified: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True)
class Record:
    """One generated (or imported) result and what made it."""

    path: Path
    media: str
    sha256: str
    size: int
    data: Mapping[str, Any]

    @property
    def media_path(self) -> Path:
        """The result file."""
        return self.path.parents[2] / self.media  # records/<folder>/<name>.json

    @property
    def is_video(self) -> bool:
        """True for video results (served frame by frame), False for images (held)."""
        return Path(self.media).suffix.lower() in VIDEO_EXTENSIONS


def media_root(document_dir: str | os.PathLike[str]) -> Path:
    """`<document folder>/media/generated`."""
    return Path(document_dir).joinpath(*MEDIA_FOLDER)


class MediaStore:
    """Records and content-addressed media under one document's media folder."""

    def __init__(self, document_dir: str | os.PathLike[str]) -> None:
        self.root = media_root(document_dir)

    # ------------------------------------------------------------------ paths
    def record_dir(self, request_key: str) -> Path:
        """The folder holding the records of one params-only request key."""
        return self.root / RECORDS / request_key

    def record_path(self, request: GenerationRequest) -> Path:
        """Where the record of a finished generation lives."""
        return self.record_dir(request.request_key) / f"{request.input_hash}.json"

    def pending_path(self, request: GenerationRequest) -> Path:
        """Where the record of a submitted, not yet downloaded task lives."""
        return self.record_dir(request.request_key) / f"{request.input_hash}.pending.json"

    # ---------------------------------------------------------------- records
    def lookup(self, request: GenerationRequest) -> Record | None:
        """The finished record for `request`, checked against its file; None when never generated.

        Raises:
            CloudError: MISSING_MEDIA when the record exists but its file is gone or changed:
                the service is not called again behind the user's back.
        """
        return self.read_record(self.record_path(request))

    def read_record(self, path: Path) -> Record | None:
        """A record file read and checked (see `lookup`)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CloudError(Failure.MISSING_MEDIA, f"the generation record cannot be read ({exc})", path=str(path),
                             hint="restore it from a backup, or delete it to generate again") from None
        record = Record(path=path, media=str(data["media"]), sha256=str(data["sha256"]), size=int(data["size"]),
                        data=data)
        self.verify(record)
        return record

    def verify(self, record: Record) -> None:
        """Check the record's file: present, the recorded size, and (once per process) the recorded hash."""
        media = record.media_path
        try:
            stat = media.stat()
        except FileNotFoundError:
            raise CloudError(
                Failure.MISSING_MEDIA, "the generated media file is missing", path=str(media),
                hint=f"restore it (it is the only copy nodecomp relies on), or delete {record.path} "
                     "to generate again, which calls the service and costs credits",
            ) from None
        if stat.st_size != record.size:
            raise CloudError(
                Failure.MISSING_MEDIA, f"the generated media file changed ({stat.st_size} bytes, "
                f"{record.size} recorded)", path=str(media),
                hint=f"restore the original, or delete {record.path} to generate again",
            )
        memo = (str(media), stat.st_size, stat.st_mtime_ns)
        if _verified.get(memo) != record.sha256:
            digest = file_sha256(media)
            if digest != record.sha256:
                raise CloudError(Failure.MISSING_MEDIA, "the generated media file does not match its record "
                                 "(different content)", path=str(media),
                                 hint=f"restore the original, or delete {record.path} to generate again")
            _verified[memo] = digest

    def read_pending(self, request: GenerationRequest) -> dict[str, Any] | None:
        """The pending task of `request`, or None."""
        try:
            return dict(json.loads(self.pending_path(request).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # unreadable: treated as no pending task

    def write_pending(self, request: GenerationRequest, data: Mapping[str, Any]) -> None:
        """Remember a submitted task (so an interrupted render resumes it)."""
        write_json(self.pending_path(request), {**request.describe(), **data, "submitted": time.time()})

    def clear_pending(self, request: GenerationRequest) -> None:
        """Forget a pending task (it finished, failed for good, or was cancelled)."""
        with contextlib.suppress(FileNotFoundError):
            self.pending_path(request).unlink()

    def commit(self, request: GenerationRequest, media: Path, data: Mapping[str, Any]) -> Record:
        """Record a downloaded result and drop the pending task; returns the record."""
        stat = media.stat()
        record = {**request.describe(), **data, "media": media.name, "sha256": media.stem,
                  "size": stat.st_size, "created": time.time()}
        path = self.record_path(request)
        write_json(path, record)
        _verified[(str(media), stat.st_size, stat.st_mtime_ns)] = media.stem
        self.clear_pending(request)
        return Record(path=path, media=media.name, sha256=media.stem, size=stat.st_size, data=record)

    def fingerprint(self, request_key: str) -> tuple[Any, ...]:
        """What the engine hashes for a node's results: its records and their files' sizes and times.

        Cheap (a directory listing and a few stats), so a replaced or deleted media file or record
        invalidates cached frames at once, without reading any pixels.
        """
        folder = self.record_dir(request_key)
        try:
            names = sorted(p.name for p in folder.iterdir() if p.suffix == ".json")
        except FileNotFoundError:
            return ()
        parts: list[Any] = []
        for name in names:
            path = folder / name
            try:
                stat = path.stat()
                entry: list[Any] = [name, stat.st_mtime_ns]
                if not name.endswith(".pending.json"):
                    media = self.root / str(json.loads(path.read_text(encoding="utf-8"))["media"])
                    media_stat = media.stat()
                    entry += [media.name, media_stat.st_size, media_stat.st_mtime_ns]
            except (OSError, ValueError, KeyError):
                entry = [name, "unreadable"]
            parts.append(tuple(entry))
        return tuple(parts)

    # ------------------------------------------------------------------ media
    def incoming(self, suffix: str) -> tuple[int, Path]:
        """A new temporary file in the media folder (same file system, so `add` is a rename)."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".incoming-", suffix=suffix, dir=self.root)
        return handle, Path(name)

    def add(self, temporary: Path, digest: str, suffix: str) -> Path:
        """Move a complete temporary file to its content-addressed name (a duplicate is dropped)."""
        final = self.root / f"{digest}{suffix.lower()}"
        if final.exists() and final.stat().st_size == temporary.stat().st_size:
            temporary.unlink()
        else:
            os.replace(temporary, final)
        return final

    @contextlib.contextmanager
    def lock(self, key: str, check_cancelled: Callable[[], None]) -> Iterator[None]:
        """One thread of this process at a time works on `key`; waiting honours cancellation."""
        with _locks_guard:
            lock = _locks.setdefault(f"{self.root}/{key}", threading.Lock())
        while not lock.acquire(timeout=0.1):
            check_cancelled()
        try:
            yield
        finally:
            lock.release()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(dict(data), out, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


__all__ = ["MediaStore", "Record", "file_sha256", "media_root", "sha256", "write_json"]
