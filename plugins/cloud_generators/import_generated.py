"""ImportGenerated: a downloaded image or video from any generator, with its prompt and seed on record.

For services without a public API. Midjourney, the case in point, offers no public API (only
its web and Discord interfaces; its terms forbid automating them), so its renders come into
the comp as files an artist downloaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from nodecomp.api import EvalContext, Image, Int, NodeType, Path, String
from plugins.cloud_generators.common import placement_params, serve
from plugins.cloud_generators.errors import CloudError, Failure
from plugins.cloud_generators.request import sha256
from plugins.cloud_generators.store import RECORDS, MediaStore, Record, write_json

IMPORTS = "import"


class ImportGenerated(NodeType):
    """Brings a downloaded generation (image or video) into the comp with what made it.

    Midjourney has no public API, so its images (and those of any other service without one)
    are downloaded by hand and imported here. The file is copied once into `media/generated/`
    beside the comp under the SHA-256 of its bytes, with a record of the service, model,
    prompt and seed; those also travel downstream as `cloud/*` metadata (and into the header
    of files a Write node makes). If the original download is later moved or deleted, the
    copy keeps the comp working. Videos (mp4, mov, webm, mkv, m4v, gif) are served frame by
    frame at the document fps from `start_frame`, images as a hold.
    """

    type_id = "cloud_generators.ImportGenerated"
    version = 1
    category = "Generate"
    frame_dependent = True
    params = (
        Path("file", doc="The downloaded image or video; relative to the comp."),
        String("service", default="midjourney", doc="Where it was generated (recorded as metadata)."),
        String("model", default="", doc="Model or version used, e.g. v7 (recorded as metadata)."),
        String("prompt", default="", doc="The prompt it was made with (recorded as metadata)."),
        Int("seed", default=0, doc="The seed it was made with (recorded as metadata; Midjourney: --seed)."),
        *placement_params(),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The source file (path, size, mtime), or the imported copy when the source is gone."""
        if not str(params["file"]).strip():
            return ("no file",)
        source = FilePath(ctx.resolve_path(str(params["file"])))
        try:
            stat = source.stat()
            return ("source", str(source), stat.st_size, stat.st_mtime_ns)
        except OSError:
            pass
        path = _record_path(MediaStore(ctx.document_dir), source)
        try:
            return ("copy", str(path), path.stat().st_mtime_ns)
        except OSError:
            return ("missing", str(source))

    @staticmethod
    def compute(ctx: EvalContext, file: str, service: str, model: str, prompt: str, seed: int,
                **placement: Any) -> Image:
        """Import (once) and serve this frame."""
        if not file.strip():
            raise ctx.error("no file to import", hint="set the file param to a downloaded image or video")
        source = FilePath(ctx.resolve_path(file))
        store = MediaStore(ctx.document_dir)
        about = {"service": service, "model": model, "prompt": prompt, "seed": int(seed)}
        try:
            record = _imported(ctx, store, source, about)
        except CloudError as exc:
            raise ctx.error(exc.reason, path=exc.path, hint=exc.hint) from None
        metadata = {"cloud/service": service, "cloud/model": model, "cloud/prompt": prompt, "cloud/seed": int(seed),
                    "cloud/media": os.path.relpath(record.media_path, ctx.document_dir),
                    "cloud/sha256": record.sha256, "cloud/imported_from": str(source)}
        try:
            return serve(ctx, record, placement, metadata)
        except CloudError as exc:
            raise ctx.error(exc.reason, path=exc.path, hint=exc.hint) from None


def _record_path(store: MediaStore, source: FilePath) -> FilePath:
    return store.root / RECORDS / IMPORTS / f"{sha256(str(source))}.json"


def _imported(ctx: EvalContext, store: MediaStore, source: FilePath, about: Mapping[str, Any]) -> Record:
    path = _record_path(store, source)
    record = store.read_record(path)
    try:
        stat = source.stat()
    except OSError:
        if record is None:
            raise CloudError(Failure.MISSING_MEDIA, "the file to import does not exist", path=str(source),
                             hint="check the file param") from None
        ctx.warn(f"{source} is gone; using the copy imported earlier ({record.media})")
        return record
    same_source = record is not None and record.data.get("source_size") == stat.st_size \
        and record.data.get("source_mtime_ns") == stat.st_mtime_ns
    if record is not None and same_source:
        if any(record.data.get(k) != v for k, v in about.items()):
            data = {**record.data, **about}
            write_json(path, data)
            record = Record(path, record.media, record.sha256, record.size, data)
        return record
    media = _copy_in(store, source)
    data = {**about, "media": media.name, "sha256": media.stem, "size": media.stat().st_size,
            "source": str(source), "source_size": stat.st_size, "source_mtime_ns": stat.st_mtime_ns}
    write_json(path, data)
    return Record(path, media.name, media.stem, int(data["size"]), data)


def _copy_in(store: MediaStore, source: FilePath) -> FilePath:
    suffix = source.suffix.lower() or ".bin"
    handle, temporary = store.incoming(suffix)
    hasher = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
            while chunk := src.read(1 << 20):
                hasher.update(chunk)
                out.write(chunk)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CloudError(Failure.MISSING_MEDIA, f"the file cannot be copied into the media folder ({exc})",
                         path=str(source)) from None
    return store.add(temporary, hasher.hexdigest(), suffix)
