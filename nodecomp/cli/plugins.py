"""`nodecomp plugins list | check [PATH] | new NAME`: what loaded, why the rest did not, a start.

`list` shows what the app and `nodecomp render` load (built-ins, bundled plugins, folders on
NODECOMP_PLUGIN_PATH, installed entry points). `check` loads plugins the same way and also
runs the checks a plugin author wants before shipping (documentation, save/load round trip,
imports limited to `nodecomp.api`, no heavy imports at load); it exits 1 when anything fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

from nodecomp.core.errors import PluginError


def register(commands: Any) -> None:
    """Add the `plugins` subcommand and its actions."""
    parser = commands.add_parser(
        "plugins", help="list, check and create plugins",
        description="List the plugins nodecomp loads, check plugins for problems, or start a new one.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="plugins and node types loaded, and what failed")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(run=run_list)
    check = actions.add_parser(
        "check", help="load plugins and report every problem (exit 1 when any)",
        description="Load PATH (a plugin package, a .py file, a folder of plugins or a plugin project "
                    "with a pyproject.toml) next to the built-ins, or every plugin found when no PATH "
                    "is given, and report what is wrong.",
    )
    check.add_argument("path", nargs="?", help="the plugin to check (default: every plugin found)")
    check.set_defaults(run=run_check)
    new = actions.add_parser("new", help="write a plugin project that passes its test out of the box")
    new.add_argument("name", help="plugin name, e.g. my_tools (becomes the package name)")
    new.add_argument("--dir", default=".", help="folder to create the project in (default: here)")
    new.set_defaults(run=run_new)


def run_list(args: argparse.Namespace) -> int:
    """Print the plugins of the process-wide registry and the errors of those that failed."""
    from nodecomp.plugin_loader import default_registry, default_report

    registry, report = default_registry(), default_report()
    if args.json:
        data = {
            "plugins": [asdict(info) for info in report.plugins.values()],
            "disabled": report.disabled,
            "errors": [{"plugin": e.plugin, "source": e.entry_point, "message": str(e)} for e in report.errors],
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    lines = []
    for info in report.plugins.values():
        lines.append(f"{info.name} {info.version}  [{info.source}] {info.location}  "
                     f"api {info.api}, {info.seconds * 1000:.0f} ms")
        if info.description:
            lines.append(f"    {info.description}")
        for type_id in info.node_types:
            node_type = registry.get(type_id)
            category = f"  ({node_type.category})" if node_type is not None else ""
            lines.append(f"    {type_id}{category}")
        if info.missing_optional:
            lines.append(f"    optional, not installed: {', '.join(info.missing_optional)}")
    lines.extend(f"disabled {name}" for name in report.disabled)
    if report.errors:
        lines.append(f"{len(report.errors)} plugin(s) failed to load:")
        lines.extend(f"  {error}" for error in report.errors)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Load plugins and run the author checks; 0 when all is well, 1 otherwise."""
    from nodecomp.plugin_checks import api_import_problems, heavy_import_problems
    from nodecomp.plugin_loader import build_registry
    from nodecomp.plugin_sources import Source, path_candidates

    if args.path:
        path = Path(args.path)
        if not path.exists():
            sys.stderr.write(f"nodecomp: error: {path} does not exist\n")
            return 2
        try:
            candidates = path_candidates(path)
        except PluginError as exc:
            sys.stderr.write(f"nodecomp: error: {exc}\n")
            return 1
        if not candidates:
            sys.stderr.write(f"nodecomp: error: no plugin found in {path} (a package, a .py file, "
                             "or a project declaring nodecomp.plugins entry points)\n")
            return 1
        registry, report = build_registry(candidates=candidates, disabled=())
    else:
        registry, report = build_registry()
    failed = bool(report.errors)
    out: list[str] = []
    for name, info in report.plugins.items():
        if info.source == Source.BUILTIN and args.path:
            continue
        problems = _author_problems(report.candidates[name], registry, name)
        root = report.candidates[name].files_root()
        warnings = heavy_import_problems(root) if root else []
        if info.source == Source.BUNDLED and root:
            problems.extend(api_import_problems(root))
        elif root:
            warnings.extend(api_import_problems(root))
        status = "FAIL" if problems else "ok"
        out.append(f"{status:<5}{info.name} {info.version} ({info.location}): {len(info.node_types)} node types")
        out.extend(f"      problem: {p}" for p in problems)
        out.extend(f"      warning: {w}" for w in warnings)
        if info.missing_optional:
            out.append(f"      note: optional {', '.join(info.missing_optional)} not installed")
        failed = failed or bool(problems)
    for error in report.errors:
        out.append(f"FAIL {error}")
        if error.__cause__ is not None:
            trace = "".join(traceback.format_exception(error.__cause__)).rstrip()
            out.extend(f"      {line}" for line in trace.splitlines())
    if not report.plugins and not report.errors:
        out.append("no plugins found")
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if failed else 0


def _author_problems(candidate: Any, registry: Any, name: str) -> list[str]:
    """Documentation and round-trip problems of one loaded plugin (see nodecomp.testing)."""
    from nodecomp.api import Plugin
    from nodecomp.plugin_sources import Source
    from nodecomp.testing import plugin_problems

    if candidate.source is Source.BUILTIN:
        return []
    node_types = tuple(t for t in registry if registry.owner(t.type_id) == name)
    return plugin_problems(Plugin(name=name, node_types=node_types))


def run_new(args: argparse.Namespace) -> int:
    """Write the skeleton and say what to do next."""
    from nodecomp.cli import skeleton

    try:
        project = skeleton.write(args.name, Path(args.dir)).resolve()
    except (ValueError, FileExistsError) as exc:
        sys.stderr.write(f"nodecomp: error: {exc}\n")
        return 2
    package = skeleton.package_name(args.name)
    sys.stdout.write(
        f"created {project}\n"
        f"  {package}/tint.py         the Tint node: change it or add nodes next to it\n"
        f"  {package}/__init__.py     the `plugin` object listing the node types\n"
        f"  tests/test_tint.py        run them with: cd {project} && pytest\n"
        f"use it without installing:  NODECOMP_PLUGIN_PATH={project} nodecomp plugins list\n"
        f"check it:                   nodecomp plugins check {project}\n"
    )
    return 0
