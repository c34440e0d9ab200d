"""Where plugins come from and how each one is imported: entry points, folders, the bundled set.

A `Candidate` is one plugin found but not yet imported. Its manifest (`plugin.toml` beside the
package's `__init__.py`) can be read, and its dependencies checked with `find_spec`, before any
of its code runs, so a plugin needing a missing package is reported without importing it.
Registering what a candidate provides is `nodecomp.plugin_loader`'s job.

Sources, in load order:

- bundled: each package in the repository's `plugins/` folder, imported as `plugins.<folder>`
  (so its modules import each other relatively, or absolutely as `plugins.<folder>.<module>`);
- path: each package or single `.py` module in the folders on `NODECOMP_PLUGIN_PATH`
  (separated by `os.pathsep`; a folder that is itself a package is one plugin);
- entry point: each entry point in the group `nodecomp.plugins` of installed distributions.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import logging
import os
import sys
import tomllib
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from nodecomp.core.errors import PluginError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "nodecomp.plugins"
PATH_VARIABLE = "NODECOMP_PLUGIN_PATH"
BUNDLED_VARIABLE = "NODECOMP_BUNDLED_PLUGINS"
MANIFEST = "plugin.toml"
BUNDLED_PACKAGE = "plugins"

# modules the loader imported from folders, by name -> file: another folder may replace them
_loaded_from_files: dict[str, str] = {}


class Source(StrEnum):
    """Where a plugin was found (shown by `nodecomp plugins list`)."""

    BUILTIN = "builtin"
    BUNDLED = "bundled"
    PATH = "path"
    ENTRY_POINT = "entry point"


@dataclass(frozen=True)
class Manifest:
    """A plugin's `plugin.toml`: what can be known about it without importing it.

    Attributes:
        name: the plugin's name; must equal its `Plugin.name`.
        version: its version; must equal `Plugin.version` when both are given.
        api: the plugin API version it targets.
        node_types: type ids it registers; when listed they must match what the module provides.
        requires: modules it cannot load without (checked before import).
        optional: modules some features use (a missing one is noted, not fatal).
        description: one line for listings.
        path: the manifest file.
    """

    name: str
    path: str
    version: str | None = None
    api: int | None = None
    node_types: tuple[str, ...] | None = None
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    description: str = ""

    _KEYS = ("name", "version", "api", "node_types", "requires", "optional", "description")

    @classmethod
    def read(cls, path: Path, *, plugin: str) -> Manifest:
        """Parse and check a manifest; raises PluginError naming every bad field."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PluginError(f"cannot read {path}: {exc}", plugin=plugin) from None
        problems = [f"unknown key {key!r}" for key in data if key not in cls._KEYS]
        name = data.get("name")
        if not isinstance(name, str) or not name:
            problems.append("name must be a non-empty string")
        version = data.get("version")
        if version is not None and not isinstance(version, str):
            problems.append("version must be a string such as \"0.1.0\"")
        api = data.get("api")
        if api is not None and (isinstance(api, bool) or not isinstance(api, int)):
            problems.append("api must be an integer")
        lists: dict[str, tuple[str, ...] | None] = {}
        for key in ("node_types", "requires", "optional"):
            value = data.get(key)
            if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                problems.append(f"{key} must be a list of strings")
                value = None
            lists[key] = tuple(value) if value is not None else None
        description = data.get("description", "")
        if not isinstance(description, str):
            problems.append("description must be a string")
        if problems:
            raise PluginError(
                f"{path}: " + "; ".join(problems) + f" (allowed keys: {', '.join(cls._KEYS)})", plugin=plugin
            )
        return cls(
            name=name, path=str(path), version=version, api=api, node_types=lists["node_types"],
            requires=lists["requires"] or (), optional=lists["optional"] or (), description=description,
        )


@dataclass(frozen=True)
class Candidate:
    """One plugin found and not yet imported.

    Attributes:
        source: where it was found.
        label: what reports show (`plugins/led_wall`, `entry point ledwall = pkg:plugin`, a path).
        module: the module name it is imported as.
        attribute: the module attribute holding the `Plugin` object.
        file: for folder plugins, the `__init__.py` or `.py` file imported by location.
        package_dir: the folder a `plugin.toml` is looked for in (None: no manifest possible).
        entry_point: the entry point, for that source.
        submodule: for folder plugins, a module inside the package that holds the attribute.
    """

    source: Source
    label: str
    module: str
    attribute: str = "plugin"
    file: str | None = None
    package_dir: str | None = None
    entry_point: Any = field(default=None, compare=False)
    submodule: str | None = None

    @property
    def short_name(self) -> str:
        """A name usable before import: the entry point's name or the module's last part."""
        if self.entry_point is not None:
            return str(self.entry_point.name)
        return self.module.rsplit(".", 1)[-1]

    def manifest(self) -> Manifest | None:
        """The parsed `plugin.toml`, or None when the plugin has none."""
        if self.package_dir is None:
            return None
        path = Path(self.package_dir) / MANIFEST
        return Manifest.read(path, plugin=self.short_name) if path.is_file() else None

    def load(self) -> Any:
        """Import the plugin and return its `Plugin` object (whatever the attribute holds).

        Raises:
            PluginError: the module has no such attribute, or its name clashes with another module.
            Exception: whatever the plugin's own code raises while importing; the caller reports it.
        """
        if self.source is Source.ENTRY_POINT:
            value = self.entry_point.load()
            if isinstance(value, types.ModuleType):
                return _attribute(value, self.attribute, self)
            return value
        if self.file is not None:
            module = _import_file(self)
            if self.submodule:
                module = importlib.import_module(self.submodule)
        else:
            module = importlib.import_module(self.module)
        return _attribute(module, self.attribute, self)

    def files_root(self) -> str | None:
        """The folder or file holding the plugin's code (for reload and import checks)."""
        if self.package_dir is not None:
            return self.package_dir
        return self.file


def _attribute(module: types.ModuleType, attribute: str, candidate: Candidate) -> Any:
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise PluginError(
            f"module {module.__name__} has no `{attribute}` object; "
            f"add `{attribute} = Plugin(name=..., node_types=(...))` from nodecomp.api",
            plugin=candidate.short_name, entry_point=candidate.label,
        ) from None


def missing_modules(names: Iterable[str]) -> list[str]:
    """The names in `names` whose top-level package cannot be found (nothing is imported)."""
    missing = []
    for name in names:
        top = name.split(".")[0]
        if top in sys.modules:
            continue
        try:
            found = importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


# ------------------------------------------------------------------ discovery
def bundled_dir() -> Path | None:
    """The bundled plugins' folder: $NODECOMP_BUNDLED_PLUGINS, else the checkout's `plugins/`.

    The checkout's folder is recognised by the `pyproject.toml` beside it, so an installed
    nodecomp never mistakes some other distribution's `plugins` folder for its own; an
    application bundle that ships the bundled plugins elsewhere names their folder in the variable.
    """
    configured = os.environ.get(BUNDLED_VARIABLE, "").strip()
    if configured:
        return Path(os.path.expanduser(configured))
    root = Path(__file__).resolve().parent.parent
    return root / BUNDLED_PACKAGE if (root / "pyproject.toml").is_file() else None


def path_folders(value: str | None = None) -> list[Path]:
    """The folders listed in `value` (default: $NODECOMP_PLUGIN_PATH), empty entries skipped."""
    raw = os.environ.get(PATH_VARIABLE, "") if value is None else value
    return [Path(os.path.expanduser(part)) for part in raw.split(os.pathsep) if part.strip()]


def folder_candidates(folder: Path, source: Source) -> list[Candidate]:
    """Plugins in `folder`.

    That is the folder itself when it is a package, the entry points of a plugin project (a
    pyproject.toml declaring them), else the packages and `.py` files in it.
    """
    folder = folder.resolve()
    if not folder.is_dir():
        return []
    if (folder / "__init__.py").is_file():
        return [_package_candidate(folder, source)]
    project = source is Source.PATH and (folder / "pyproject.toml").is_file()
    if project:
        try:
            return project_candidates(folder)
        except PluginError:
            pass  # a project without nodecomp entry points: look for packages only
    found: list[Candidate] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() and (entry / "__init__.py").is_file():
            found.append(_package_candidate(entry, source))
        elif entry.is_file() and entry.suffix == ".py" and source is Source.PATH and not project \
                and entry.stem.isidentifier():
            found.append(Candidate(Source.PATH, str(entry), entry.stem, file=str(entry)))
    return found


def _package_candidate(folder: Path, source: Source) -> Candidate:
    if source is Source.BUNDLED:
        module = f"{BUNDLED_PACKAGE}.{folder.name}"
        label = f"{BUNDLED_PACKAGE}/{folder.name}"
    else:
        module, label = folder.name, str(folder)
    return Candidate(source, label, module, file=str(folder / "__init__.py"), package_dir=str(folder))


def entry_point_candidates() -> list[Candidate]:
    """One candidate per installed entry point in the `nodecomp.plugins` group."""
    found = []
    for entry_point in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        module, _, attribute = entry_point.value.partition(":")
        module = module.strip()
        package_dir = None
        if "." not in module:  # a top-level package can be located without importing anything
            try:
                spec = importlib.util.find_spec(module)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and spec.submodule_search_locations:
                package_dir = list(spec.submodule_search_locations)[0]
        label = f"entry point {entry_point.name} = {entry_point.value}"
        found.append(Candidate(Source.ENTRY_POINT, label, module, attribute.strip() or "plugin",
                               package_dir=package_dir, entry_point=entry_point))
    return found


def discover(
    *, plugin_path: Sequence[str | os.PathLike[str]] | None = None, bundled: bool = True, entry_points: bool = True,
    bundled_folder: Path | None = None,
) -> list[Candidate]:
    """Every plugin candidate, bundled first, then the plugin path, then entry points.

    Args:
        plugin_path: folders to search (default: $NODECOMP_PLUGIN_PATH).
        bundled: include the bundled `plugins/` folder.
        entry_points: include installed entry points.
        bundled_folder: another folder to treat as the bundled one (tests).
    """
    found: list[Candidate] = []
    folder = bundled_folder or bundled_dir()
    if bundled and folder is not None:
        found.extend(folder_candidates(folder, Source.BUNDLED))
    folders = path_folders() if plugin_path is None else [Path(os.fspath(p)) for p in plugin_path]
    for folder in folders:
        if not folder.is_dir():
            log.warning("%s: %s is not a folder; skipped", PATH_VARIABLE, folder)
            continue
        found.extend(folder_candidates(folder, Source.PATH))
    if entry_points:
        found.extend(entry_point_candidates())
    return found


def project_candidates(project: Path) -> list[Candidate]:
    """The `nodecomp.plugins` entry points a not-yet-installed project declares in its pyproject.toml.

    Each must name a package in the project folder (or its `src/`): `name = "package:plugin"`
    or `"package.module:plugin"`. It is imported from there, exactly as the source tree stands.
    """
    pyproject = project / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PluginError(f"cannot read {pyproject}: {exc}", plugin=project.name) from None
    declared = data.get("project", {}).get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if not isinstance(declared, dict) or not declared:
        raise PluginError(
            f"{pyproject} declares no [project.entry-points.\"{ENTRY_POINT_GROUP}\"]", plugin=project.name,
        )
    found = []
    for name, value in sorted(declared.items()):
        module, _, attribute = str(value).partition(":")
        top = module.strip().split(".")[0]
        folder = next((base / top for base in (project, project / "src") if (base / top / "__init__.py").is_file()),
                      None)
        label = f"{project} (entry point {name} = {value})"
        if folder is None:
            raise PluginError(f"package {top!r} of entry point {name} is not in {project} or its src/",
                              plugin=name)
        found.append(Candidate(
            Source.PATH, label, top, attribute.strip() or "plugin", file=str(folder / "__init__.py"),
            package_dir=str(folder), submodule=module.strip() if module.strip() != top else None,
        ))
    return found


def path_candidates(path: Path) -> list[Candidate]:
    """Plugins at `path`: a project with a pyproject.toml, a package, a `.py` file or a folder of them.

    A bundled plugin (or the bundled folder) is loaded as the app loads it, as `plugins.<folder>`.
    """
    path = path.resolve()
    bundled = bundled_dir()
    if bundled is not None and bundled.resolve() in (path, path.parent) and path.is_dir():
        if path == bundled.resolve():
            return folder_candidates(path, Source.BUNDLED)
        return [_package_candidate(path, Source.BUNDLED)] if (path / "__init__.py").is_file() else []
    if path.is_file() and path.suffix == ".py":
        return [Candidate(Source.PATH, str(path), path.stem, file=str(path))]
    if (path / "pyproject.toml").is_file() and not (path / "__init__.py").is_file():
        return project_candidates(path)  # here a project without entry points is an error worth showing
    return folder_candidates(path, Source.PATH)


# ------------------------------------------------------------------ importing
def _ensure_bundled_parent(folder: str) -> None:
    """Make `plugins` a package whose path includes `folder`, without shadowing a foreign one."""
    parent = sys.modules.get(BUNDLED_PACKAGE)
    if parent is None:
        parent = types.ModuleType(BUNDLED_PACKAGE, "The bundled nodecomp plugins.")
        parent.__path__ = []  # type: ignore[attr-defined]
        parent.__spec__ = importlib.machinery.ModuleSpec(BUNDLED_PACKAGE, None, is_package=True)
        parent.__spec__.submodule_search_locations = parent.__path__  # type: ignore[attr-defined]
        sys.modules[BUNDLED_PACKAGE] = parent
    paths = getattr(parent, "__path__", None)
    if paths is None:
        raise PluginError(
            f"a module named {BUNDLED_PACKAGE!r} ({getattr(parent, '__file__', '?')}) hides the bundled plugins",
            plugin=BUNDLED_PACKAGE,
        )
    if folder not in list(paths):
        paths.append(folder)


def _import_file(candidate: Candidate) -> types.ModuleType:
    """Import a folder plugin from its file, reusing it when that file is already imported."""
    name, file = candidate.module, str(Path(candidate.file or "").resolve())
    existing = sys.modules.get(name)
    if existing is not None:
        existing_file = getattr(existing, "__file__", None)
        if existing_file and os.path.realpath(existing_file) == os.path.realpath(file):
            return existing
        folder = os.path.realpath(Path(file).parent)
        namespace = existing_file is None and folder in [os.path.realpath(p) for p in getattr(existing, "__path__", [])]
        if _loaded_from_files.get(name) is None and not namespace:
            raise PluginError(
                f"its module name {name!r} is already used by {existing_file or 'a built-in module'}; "
                "rename the plugin's folder or file",
                plugin=candidate.short_name, entry_point=candidate.label,
            )
        purge(name)  # the same name from another plugin folder: the newest one wins
    if candidate.source is Source.BUNDLED:
        _ensure_bundled_parent(str(Path(file).parent.parent))
    locations = [str(Path(file).parent)] if Path(file).name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(name, file, submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot import {file}", plugin=candidate.short_name, entry_point=candidate.label)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        purge(name)
        raise
    _loaded_from_files[name] = file
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:  # what the import system does, so `plugins.<folder>` works as an attribute
        setattr(sys.modules[parent], child, module)
    return module


def purge(module: str) -> dict[str, Any]:
    """Remove `module` and its submodules from `sys.modules`; returns what `restore` needs."""
    removed = {
        name: mod for name, mod in list(sys.modules.items()) if name == module or name.startswith(module + ".")
    }
    for name in removed:
        del sys.modules[name]
    record = _loaded_from_files.pop(module, None)
    importlib.invalidate_caches()
    return {"module": module, "modules": removed, "file": record}


def restore(purged: dict[str, Any]) -> None:
    """Put back what `purge` removed (a failed reload keeps the old code running)."""
    module = purged["module"]
    for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
        del sys.modules[name]
    sys.modules.update(purged["modules"])
    if purged["file"] is not None:
        _loaded_from_files[module] = purged["file"]


def drop_bytecode(root: str | None) -> None:
    """Delete cached bytecode of the plugin's files, so a reload compiles what is on disk now.

    Python trusts a `.pyc` whose recorded source size and mtime (in whole seconds) match; a file
    saved twice within a second with the same size would otherwise reload the older code.
    """
    if not root:
        return
    base = Path(root)
    files = [base] if base.is_file() else base.rglob("*.py")
    for source in files:
        try:
            Path(importlib.util.cache_from_source(str(source))).unlink(missing_ok=True)
        except (OSError, ValueError, NotImplementedError):
            continue
