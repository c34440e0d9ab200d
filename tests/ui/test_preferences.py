"""The preferences file: round trip, where it lives, and never failing on a bad file."""

import json
import logging
import os
import sys

import pytest

from nodecomp.ui.preferences import (
    CONFIG_DIR_VARIABLE,
    Preferences,
    config_dir,
    load_preferences,
    preferences_path,
    save_preferences,
)


def test_round_trip_through_the_file(private_config_dir):
    prefs = Preferences(cache_mb=4096, ocio_config="/shows/abc/config.ocio",
                        plugin_folders=("/shows/abc/plugins", "~/my_plugins"), autosave_minutes=2.5)
    path = save_preferences(prefs)
    assert path == private_config_dir / "preferences.json" == preferences_path()
    assert load_preferences() == prefs
    data = json.loads(path.read_text())
    assert data["format_version"] == 1 and data["plugin_folders"] == ["/shows/abc/plugins", "~/my_plugins"]
    assert os.listdir(private_config_dir) == ["preferences.json"]  # written atomically: no temp file left


def test_missing_or_broken_files_give_the_defaults(private_config_dir, caplog):
    assert load_preferences() == Preferences()
    private_config_dir.mkdir(parents=True)
    preferences_path().write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert load_preferences() == Preferences()
    assert "could not be read" in caplog.text
    preferences_path().write_text("[1, 2]")
    assert load_preferences() == Preferences()


def test_a_bad_value_falls_back_alone(private_config_dir, caplog):
    private_config_dir.mkdir(parents=True)
    preferences_path().write_text(json.dumps({
        "cache_mb": 10, "ocio_config": 3, "plugin_folders": ["/a", "", "/a", "/b"], "autosave_minutes": 1,
        "from_the_future": True,
    }))
    with caplog.at_level(logging.WARNING):
        prefs = load_preferences()
    assert prefs == Preferences(cache_mb=0, ocio_config="", plugin_folders=("/a", "/b"), autosave_minutes=1.0)
    assert "cache_mb" in caplog.text and "ocio_config" in caplog.text


@pytest.mark.parametrize("bad", [{"autosave_minutes": -1}, {"autosave_minutes": True},
                                 {"plugin_folders": "/one/folder"}, {"cache_mb": 1.5}])
def test_checked_rejects(bad):
    assert Preferences(**bad).checked() == Preferences()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG config folder is Linux's")
def test_the_config_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(CONFIG_DIR_VARIABLE, str(tmp_path / "elsewhere"))
    assert config_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(CONFIG_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "xdg" / "nodecomp"
