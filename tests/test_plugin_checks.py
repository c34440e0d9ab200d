"""Static plugin checks, and the rule that bundled plugins use nothing of nodecomp but nodecomp.api."""

import pathlib

import pytest

from nodecomp.plugin_checks import api_import_problems, heavy_import_problems, python_files
from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_api_imports_are_allowed_and_internals_are_not(tmp_path):
    package = tmp_path / "plug"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from nodecomp.api import Plugin\n"
        "from nodecomp import api\n"
        "import nodecomp.api\n"
        "import numpy\n"
        "from . import nodes\n"
    )
    (package / "nodes.py").write_text(
        "from nodecomp.engine.cache import ImageCache\n"
        "def f():\n"
        "    from nodecomp.core import params\n"
        "    import nodecomp\n"
    )
    problems = api_import_problems(package)
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["1", "3", "4"]
    assert "imports nodecomp.engine.cache; plugins may import only nodecomp.api" in problems[0]


def test_heavy_imports_are_flagged_only_at_module_level(tmp_path):
    module = tmp_path / "gen.py"
    module.write_text("import numpy\nimport torch.nn\n\ndef compute():\n    import diffusers\n")
    problems = heavy_import_problems(module)
    assert len(problems) == 1 and "gen.py:2: imports torch.nn at module level" in problems[0]


def test_unparsable_files_are_left_to_the_import_report(tmp_path):
    (tmp_path / "broken.py").write_text("x = (\n")
    assert api_import_problems(tmp_path) == [] and python_files(tmp_path) == [tmp_path / "broken.py"]


def bundled_plugins():
    return [pathlib.Path(c.package_dir) for c in folder_candidates(ROOT / "plugins", Source.BUNDLED)]


def test_bundled_folder_is_the_checkout_plugins_folder_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("NODECOMP_BUNDLED_PLUGINS", raising=False)
    assert bundled_dir() == ROOT / "plugins"
    monkeypatch.setenv("NODECOMP_BUNDLED_PLUGINS", str(tmp_path))
    assert bundled_dir() == tmp_path


@pytest.mark.parametrize("plugin", bundled_plugins(), ids=lambda p: p.name)
def test_bundled_plugin_imports_only_the_api(plugin):
    assert api_import_problems(plugin) == []


@pytest.mark.parametrize("plugin", bundled_plugins(), ids=lambda p: p.name)
def test_bundled_plugin_imports_no_heavy_library_at_load(plugin):
    assert heavy_import_problems(plugin) == []


def test_every_file_under_plugins_imports_only_the_api():
    """Files not yet in a loadable package are checked too: the rule is for everything bundled."""
    folder = ROOT / "plugins"
    if not folder.is_dir() or not python_files(folder):
        pytest.skip("no bundled plugin files in this checkout")
    assert api_import_problems(folder) == []
