"""The media folder: content-addressed files, records checked against them, pending tasks."""

from __future__ import annotations

import hashlib

import pytest

from plugins.cloud_generators.errors import CloudError, Failure
from plugins.cloud_generators.request import GenerationRequest
from plugins.cloud_generators.store import MediaStore

REQUEST = GenerationRequest("runway", "text_to_image", "gen4_image", {"prompt_text": "a barn", "seed": 1})


def add_media(store: MediaStore, data: bytes, suffix=".png"):
    handle, temporary = store.incoming(suffix)
    with open(handle, "wb") as out:
        out.write(data)
    return store.add(temporary, hashlib.sha256(data).hexdigest(), suffix)


def test_a_committed_result_is_found_again_and_the_pending_task_is_gone(tmp_path):
    store = MediaStore(tmp_path)
    store.write_pending(REQUEST, {"task_id": "t-1"})
    assert store.read_pending(REQUEST)["task_id"] == "t-1"
    media = add_media(store, b"pixels")
    record = store.commit(REQUEST, media, {"task_id": "t-1"})
    assert store.lookup(REQUEST) == record and store.read_pending(REQUEST) is None
    assert media.parent == tmp_path / "media" / "generated"
    assert media.name == hashlib.sha256(b"pixels").hexdigest() + ".png"


def test_the_same_bytes_land_on_the_same_name(tmp_path):
    store = MediaStore(tmp_path)
    assert add_media(store, b"same") == add_media(store, b"same")
    assert len(list(store.root.glob("*.png"))) == 1 and not list(store.root.glob(".incoming*"))


def test_a_changed_or_missing_file_is_reported_not_regenerated(tmp_path):
    store = MediaStore(tmp_path)
    media = add_media(store, b"pixels")
    store.commit(REQUEST, media, {})
    media.write_bytes(b"PIXELS")  # same size, other content
    with pytest.raises(CloudError, match="does not match its record") as info:
        MediaStore(tmp_path).lookup(REQUEST)
    assert info.value.failure is Failure.MISSING_MEDIA
    media.unlink()
    with pytest.raises(CloudError, match="missing"):
        store.lookup(REQUEST)


def test_the_fingerprint_follows_records_and_their_files(tmp_path):
    store = MediaStore(tmp_path)
    assert store.fingerprint(REQUEST.request_key) == ()
    store.write_pending(REQUEST, {"task_id": "t-1"})
    pending = store.fingerprint(REQUEST.request_key)
    media = add_media(store, b"pixels")
    store.commit(REQUEST, media, {})
    done = store.fingerprint(REQUEST.request_key)
    assert len({(), pending, done}) == 3
    media.write_bytes(b"longer pixels")
    assert store.fingerprint(REQUEST.request_key) != done
