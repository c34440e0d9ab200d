"""The files `nodecomp plugins new NAME` writes: a plugin project that passes its own test.

The project is installable (its pyproject declares the `nodecomp.plugins` entry point), loads
straight from its folder through NODECOMP_PLUGIN_PATH while it is being written, and its test
uses `nodecomp.testing`, so a TD starts from something that works and changes one thing at a time.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from nodecomp.api import API_VERSION

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

PYPROJECT = '''\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "nodecomp plugin {dist}: a Tint node to start from"
requires-python = ">=3.11"
dependencies = ["nodecomp"]

# How nodecomp finds the plugin once it is installed (pip install -e .).
[project.entry-points."nodecomp.plugins"]
{package} = "{package}:plugin"

[tool.setuptools]
packages = ["{package}"]

[tool.setuptools.package-data]
{package} = ["plugin.toml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
'''

MANIFEST = '''\
# Read before the plugin is imported: nodecomp checks the API version and the required
# modules here, so a missing dependency is reported instead of failing at import.
name = "{dist}"
version = "0.1.0"
api = {api}
description = "A Tint node to start from."
node_types = ["{package}.Tint"]
requires = []
optional = []
'''

PACKAGE_INIT = '''\
"""{dist}: nodecomp node types. nodecomp loads the `plugin` object below."""

from nodecomp.api import Plugin

from {package}.tint import Tint

plugin = Plugin(
    name="{dist}",
    version="0.1.0",
    api={api},
    node_types=(Tint,),
    description="A Tint node to start from.",
)
'''

NODE = '''\
"""Tint: colour the image by multiplying it with a colour."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import RGB, Color, EvalContext, Float, Image, Input, NodeType


class Tint(NodeType):
    """Multiplies R, G and B by a colour: out = in * (1 - amount + amount * color).

    Works on the premultiplied, scene-linear values it receives; alpha and other layers are
    copied unchanged. With amount 0 or a white colour the node passes its input through and
    costs nothing.
    """

    type_id = "{package}.Tint"
    version = 1
    category = "Color"
    inputs = (Input("source", doc="The image to tint."),)
    params = (
        Color("color", default=(1.0, 0.85, 0.7, 1.0), doc="The tint colour; its alpha is ignored."),
        Float("amount", default=1.0, min=0.0, max=1.0, doc="0 leaves the image as it is, 1 applies the full tint."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """Nothing to do: forward the input (same cache key, no pixels touched)."""
        untinted = params["amount"] == 0.0 or tuple(params["color"][:3]) == (1.0, 1.0, 1.0)
        return "source" if untinted else None

    @staticmethod
    def compute(ctx: EvalContext, source: Image, color: tuple[float, ...], amount: float) -> Image:
        """Scale the colour channels of the main layer."""
        pixels = np.array(source.pixels, dtype=np.float32)  # a copy: inputs are shared and read-only
        for index, name in enumerate(source.channels):
            if name in RGB:
                pixels[..., index] *= np.float32(1.0 - amount + amount * color[RGB.index(name)])
        return source.with_pixels(pixels)
'''

CONFTEST = '''\
pytest_plugins = ["nodecomp.testing"]  # fixtures nc_document and nc_compare
'''

TEST = '''\
import numpy as np

from nodecomp.testing import check_plugin, render_node

from {package} import plugin
from {package}.tint import Tint


def test_plugin_loads_and_every_node_is_documented():
    check_plugin(plugin)


def test_full_tint_multiplies_colour_and_keeps_alpha(nc_compare):
    pixels = np.random.default_rng(0).random((8, 12, 4), dtype=np.float32)
    result = render_node(Tint, source=pixels, color=(0.5, 1.0, 2.0, 1.0), amount=1.0)
    expected = pixels * np.array([0.5, 1.0, 2.0, 1.0], dtype=np.float32)
    nc_compare(result, expected, atol=1e-6)


def test_zero_amount_passes_the_input_through(nc_compare):
    pixels = np.random.default_rng(1).random((4, 4, 4), dtype=np.float32)
    nc_compare(render_node(Tint, source=pixels, amount=0.0), pixels, atol=0)
'''

README = '''\
# {dist}

A nodecomp plugin. Its node types are in `{package}/`, listed in `{package}/__init__.py`
(the `plugin` object) and `{package}/plugin.toml` (read before import).

```bash
pytest                                           # the plugin's tests (nodecomp.testing)
nodecomp plugins check .                          # load it next to the built-ins and report problems
NODECOMP_PLUGIN_PATH=$PWD nodecomp plugins list   # use it from this folder, without installing
pip install -e .                                  # or install it: the entry point registers it
```
'''


def package_name(name: str) -> str:
    """The Python package name for a plugin NAME (`my-tools` -> `my_tools`).

    Raises:
        ValueError: the name cannot be a package name.
    """
    package = name.strip().lower().replace("-", "_")
    if not _NAME.match(package) or keyword.iskeyword(package):
        raise ValueError(
            f"{name!r} cannot name a Python package: use lower-case letters, digits, '_' or '-', "
            "starting with a letter"
        )
    return package


def files(name: str) -> dict[str, str]:
    """Relative path -> text of every file of the skeleton for plugin `name`."""
    package = package_name(name)
    dist = package.replace("_", "-")
    values = {"package": package, "dist": dist, "api": API_VERSION}
    return {
        "pyproject.toml": PYPROJECT.format(**values),
        "README.md": README.format(**values),
        "conftest.py": CONFTEST,
        f"{package}/__init__.py": PACKAGE_INIT.format(**values),
        f"{package}/plugin.toml": MANIFEST.format(**values),
        f"{package}/tint.py": NODE.replace("{package}", package),
        "tests/test_tint.py": TEST.format(**values),
    }


def write(name: str, folder: Path) -> Path:
    """Write the skeleton into `folder/<package>`; returns that project folder.

    Raises:
        ValueError: a bad name.
        FileExistsError: the project folder exists and is not empty.
    """
    project = folder / package_name(name)
    if project.exists() and any(project.iterdir()):
        raise FileExistsError(f"{project} already exists and is not empty")
    for relative, text in files(name).items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return project
