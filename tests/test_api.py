"""The node author's API: its surface, the deprecation path for renamed names, the plugin logger."""

import logging
import subprocess
import sys
import warnings

import pytest

import nodecomp.api as api


def test_all_is_sorted_and_every_name_exists():
    def group(name):
        return 0 if name.isupper() else 1 if name[0].isupper() else 2

    assert api.__all__ == sorted(api.__all__, key=lambda n: (group(n), n))
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert missing == []


def test_renamed_names_keep_working_with_a_deprecation_warning(monkeypatch):
    monkeypatch.setitem(api._RENAMED, "ImageInput", ("Input", 1))
    with pytest.warns(DeprecationWarning, match=r"nodecomp.api.ImageInput was renamed to Input in plugin API 1"):
        old = api.ImageInput
    assert old is api.Input
    with pytest.warns(DeprecationWarning):
        from nodecomp.api import ImageInput  # noqa: F401 - the import statement path, as a plugin writes it


def test_the_deprecation_warning_points_at_the_plugin_line(monkeypatch):
    monkeypatch.setitem(api._RENAMED, "OldFloat", ("Float", 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.OldFloat  # noqa: B018 - the attribute access is the test
    assert caught[0].filename == __file__


def test_unknown_names_still_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        api.Nope  # noqa: B018


def test_get_logger_puts_plugins_under_one_namespace(caplog):
    logger = api.get_logger("my_plugin.nodes")
    assert logger.name == "nodecomp.plugins.my_plugin.nodes"
    assert api.get_logger("nodecomp.plugins.x").name == "nodecomp.plugins.x"
    with caplog.at_level(logging.INFO, logger="nodecomp.plugins"):
        logger.info("model loaded")
    assert caplog.records[0].name == "nodecomp.plugins.my_plugin.nodes"


def test_importing_the_api_imports_no_torch():
    code = "import nodecomp.api, sys; print(any(m.split('.')[0] == 'torch' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
