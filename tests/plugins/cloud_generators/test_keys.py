"""Keys come from the environment or the OS keyring, and never show themselves."""

from __future__ import annotations

import keyring.errors
import pytest

from plugins.cloud_generators import keys
from plugins.cloud_generators.errors import CloudError, Failure


def test_the_environment_wins_over_the_keyring(isolated_keys, monkeypatch):
    keys.store("runway", "from-keyring")
    assert keys.lookup("runway").key.value == "from-keyring"
    monkeypatch.setenv("RUNWAYML_API_SECRET", "from-env")
    found = keys.lookup("runway").key
    assert found.value == "from-env" and found.source == "environment variable RUNWAYML_API_SECRET"


def test_fal_accepts_a_key_id_and_secret_pair(monkeypatch):
    monkeypatch.setenv("FAL_KEY_ID", "id")
    monkeypatch.setenv("FAL_KEY_SECRET", "secret")
    assert keys.lookup("kling").key.value == "id:secret"


def test_stored_keys_live_under_nodecomp_in_the_keyring(isolated_keys):
    assert keys.store("kling", "  fal-123  ") == "OS keyring (nodecomp/fal)"
    assert isolated_keys.passwords == {("nodecomp", "fal"): "fal-123"}
    assert keys.delete("kling") and not keys.delete("kling")


def test_a_key_never_shows_in_repr_or_str(monkeypatch):
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_secret_value")
    found = keys.require("runway")
    assert "key_secret_value" not in repr(found) and "key_secret_value" not in str(found)


def test_no_key_says_how_to_add_one_and_why_the_keyring_gave_none(monkeypatch):
    class Broken(type(keyring.get_keyring())):
        def get_password(self, service, username):
            raise keyring.errors.NoKeyringError("No recommended backend was available")

    keyring.set_keyring(Broken())
    with pytest.raises(CloudError) as info:
        keys.require("kling")
    assert info.value.failure is Failure.NO_KEY
    text = str(info.value)
    assert "FAL_KEY" in text and "nodecomp cloud set-key kling" in text and "No recommended backend" in text


def test_unknown_services_are_named():
    with pytest.raises(ValueError, match="known: runway, kling"):
        keys.lookup("midjourney")
