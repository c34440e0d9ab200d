"""Writes small plugin packages to disk for loader, CLI and reload tests."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

NODE = '''\
from nodecomp.api import Float, Input, NodeType, Plugin


class Scale(NodeType):
    """Multiplies every channel by factor * {gain}."""

    type_id = "{type_id}"
    category = "Test"
    inputs = (Input("source", doc="The image."),)
    params = ({params},)

    @staticmethod
    def compute(ctx, source, {param_name}):
        return source.with_pixels(source.pixels * ({param_name} * {gain}))


plugin = Plugin(name="{name}", version="{version}", api={api}, node_types=(Scale,){extra})
'''


def unique(prefix: str = "plug") -> str:
    """A package name no other test uses (modules stay in sys.modules for the session)."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def node_source(
    package: str,
    *,
    name: str | None = None,
    type_id: str | None = None,
    gain: float = 2.0,
    version: str = "1.0",
    api: int = 1,
    extra: str = "",
    param: str = "factor",
) -> str:
    """The `__init__.py` of a plugin with one Scale node (`<package>.Scale` unless type_id is given)."""
    params = f'Float("{param}", default=1.0, doc="Multiplier.")'
    return NODE.format(
        type_id=type_id or f"{package}.Scale", name=name or package, gain=gain, version=version, api=api,
        extra=extra, params=params, param_name=param,
    )


def write_plugin(
    folder: Path,
    package: str | None = None,
    *,
    source: str | None = None,
    manifest: str | None = None,
    **options: object,
) -> str:
    """Write `folder/<package>/__init__.py` (and `plugin.toml` when given); returns the package name."""
    package = package or unique()
    target = folder / package
    target.mkdir(parents=True, exist_ok=True)
    text = source if source is not None else node_source(package, **options)  # type: ignore[arg-type]
    (target / "__init__.py").write_text(textwrap.dedent(text), encoding="utf-8")
    if manifest is not None:
        (target / "plugin.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    return package
