"""Download a result URL into the media folder once, hashing as it streams.

Result URLs are signed and short-lived (Runway: 24-48 hours; fal.ai media: per the account's
storage settings). An expired one answers 401, 403, 404 or 410; that becomes an EXPIRED
failure, which the runner answers by asking the service for fresh URLs. Nothing is sent with
the request but the URL itself: the API key never goes to a media host.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from plugins.cloud_generators.errors import CloudError, Failure, missing_package
from plugins.cloud_generators.store import MediaStore

EXPIRED_STATUS = frozenset({401, 403, 404, 410})
_SUFFIXES = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm", "image/png": ".png",
             "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}


@dataclass(frozen=True)
class Downloaded:
    """A result now in the media folder."""

    path: Path
    sha256: str
    size: int
    content_type: str


def suffix_for(url: str, content_type: str) -> str:
    """The file suffix: from the Content-Type, else from the URL's path, else `.bin`."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _SUFFIXES:
        return _SUFFIXES[kind]
    suffix = Path(urlparse(url).path).suffix.lower()
    if suffix:
        return ".jpg" if suffix == ".jpeg" else suffix
    return mimetypes.guess_extension(kind) or ".bin"


def download(url: str, store: MediaStore, *, timeout: float, check_cancelled: Callable[[], None]) -> Downloaded:
    """Stream `url` into `store` under the SHA-256 of its bytes.

    Raises:
        CloudError: EXPIRED for a URL that no longer serves the result, NETWORK when the host
            cannot be reached, FAILED for other HTTP errors.
    """
    try:
        import httpx
    except ImportError:
        raise missing_package("httpx", "httpx") from None
    handle, temporary = None, None
    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=httpx.Timeout(timeout, connect=30.0)) as response:
            if response.status_code in EXPIRED_STATUS:
                raise CloudError(Failure.EXPIRED, f"the result URL answered HTTP {response.status_code}")
            if response.status_code >= 400:
                raise CloudError(Failure.FAILED, f"downloading the result failed with HTTP {response.status_code}",
                                 hint="render again to retry the download (the task is kept)")
            content_type = response.headers.get("content-type", "")
            suffix = suffix_for(url, content_type)
            handle, temporary = store.incoming(suffix)
            hasher = hashlib.sha256()
            size = 0
            with os.fdopen(handle, "wb") as out:
                handle = None
                for chunk in response.iter_bytes(1 << 20):
                    check_cancelled()
                    hasher.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
    except httpx.TransportError as exc:
        _discard(handle, temporary)
        raise CloudError(Failure.NETWORK, f"the result could not be downloaded ({type(exc).__name__}: {exc})",
                         hint="check the network and render again (the task is kept)") from None
    except BaseException:
        _discard(handle, temporary)
        raise
    if size == 0:
        _discard(None, temporary)
        raise CloudError(Failure.FAILED, "the service sent an empty result file",
                         hint="render again to retry the download (the task is kept)")
    digest = hasher.hexdigest()
    final = store.add(temporary, digest, suffix)
    return Downloaded(final, digest, size, content_type)


def _discard(handle: int | None, temporary: Path | None) -> None:
    if handle is not None:
        with contextlib.suppress(OSError):
            os.close(handle)
    if temporary is not None:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
