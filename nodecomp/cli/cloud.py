"""`nodecomp cloud`: API keys and accounts for the cloud generator nodes, and their state in a comp.

    nodecomp cloud check [SERVICE ...]         does my key work? (balance, limits, prices)
    nodecomp cloud set-key SERVICE [--delete]  store a key in the OS keyring (read from stdin)
    nodecomp cloud status SCRIPT               each generator node: cached, pending or not generated (+ estimate)
    nodecomp cloud generate SCRIPT [--node N]  run the generations now, printing each task's state

The work is done by the bundled `cloud_generators` plugin; keys are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import sys
import types
from typing import Any

from nodecomp.core.errors import NodecompError, PluginError

PLUGIN_MODULE = "plugins.cloud_generators"
SERVICES = ("runway", "kling")


def register(commands: Any) -> None:
    """Add `cloud check`, `cloud set-key`, `cloud status` and `cloud generate`."""
    parser = commands.add_parser("cloud", help="cloud generators: check accounts, store keys, generate",
                                 description="API keys, accounts and generations of the Runway and Kling nodes.")
    sub = parser.add_subparsers(dest="cloud_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="check that a service's key works (exit 1 when not)",
                           description="Find each service's key (environment or OS keyring) and ask the "
                                       "service about the account. Without SERVICE, checks every service "
                                       "a key is found for.")
    check.add_argument("services", nargs="*", metavar="SERVICE", help=f"one or more of: {', '.join(SERVICES)}")
    check.set_defaults(run=run_check)
    set_key = sub.add_parser("set-key", help="store a service's key in the OS keyring",
                             description="Read the key from stdin (or a hidden prompt) and store it in the OS "
                                         "keyring under nodecomp/<service>; --delete removes it.")
    set_key.add_argument("service", choices=SERVICES)
    set_key.add_argument("--delete", action="store_true", help="remove the stored key instead")
    set_key.set_defaults(run=run_set_key)
    status = sub.add_parser("status", help="state of each generator node of a comp",
                            description="For each RunwayGenerate and KlingGenerate node: cached (the media "
                                        "file), pending (a task to resume) or not generated, with the cost "
                                        "estimate the service gives before submitting.")
    status.add_argument("script", help="a .ncomp file")
    status.add_argument("--no-estimate", action="store_true", help="do not ask the services for estimates")
    status.set_defaults(run=run_status)
    generate = sub.add_parser("generate", help="generate (or resume) the results of a comp's generator nodes",
                              description="Pull each generator node once at its start frame, printing every "
                                          "state of its task; results land in the comp's media folder.")
    generate.add_argument("script", help="a .ncomp file")
    generate.add_argument("--node", action="append", metavar="NAME", help="only this node (repeatable)")
    generate.set_defaults(run=run_generate)


def plugin_module(name: str = "") -> types.ModuleType:
    """The bundled plugin (or one of its modules), imported as the plugin loader does.

    Raises:
        PluginError: the bundled plugin is not there or fails to import.
    """
    if PLUGIN_MODULE not in sys.modules:
        from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

        found = [c for c in folder_candidates(bundled_dir(), Source.BUNDLED) if c.module == PLUGIN_MODULE]
        if not found:
            raise PluginError(f"the bundled plugin is missing from {bundled_dir()}", plugin="cloud_generators")
        found[0].load()
    return importlib.import_module(f"{PLUGIN_MODULE}.{name}" if name else PLUGIN_MODULE)


def run_check(args: argparse.Namespace) -> int:
    """Print each service's key source and account; exit 1 unless every checked service works."""
    unknown = [name for name in args.services if name not in SERVICES]
    if unknown:
        sys.stderr.write(f"nodecomp: error: unknown service {', '.join(unknown)} (known: {', '.join(SERVICES)})\n")
        return 2
    account = plugin_module("account")
    names = list(dict.fromkeys(args.services)) or account.services_with_keys()
    if not names:
        sys.stderr.write("nodecomp: error: no cloud API key found: set RUNWAYML_API_SECRET or FAL_KEY, or run "
                         "`nodecomp cloud set-key runway|kling` (see docs/cloud-generators.md)\n")
        return 1
    ok = True
    for result in account.check(names):
        ok &= result.report.ok
        verdict = "ok" if result.report.ok else "FAILED"
        source = f" (key from {result.key_source})" if result.key_source else ""
        sys.stdout.write(f"{result.service}: {verdict}{source}\n")
        for line in result.report.lines:
            sys.stdout.write(f"  {line}\n")
    return 0 if ok else 1


def run_set_key(args: argparse.Namespace) -> int:
    """Store or delete a key in the OS keyring."""
    keys = plugin_module("keys")
    if args.delete:
        removed = keys.delete(args.service)
        sys.stdout.write(f"{args.service}: {'key removed' if removed else 'no stored key'}\n")
        return 0
    if sys.stdin is not None and not sys.stdin.isatty():
        value = sys.stdin.readline()
    else:
        value = getpass.getpass(f"{args.service} API key (input hidden): ")
    where = keys.store(args.service, value)
    sys.stdout.write(f"{args.service}: key stored in the {where}; check it with `nodecomp cloud check "
                     f"{args.service}`\n")
    return 0


def _generator_nodes(doc: Any, wanted: list[str] | None) -> list[Any]:
    generators = plugin_module("account").GENERATORS
    nodes = [node for node in doc.nodes if node.type_id in generators]
    if wanted:
        missing = [name for name in wanted if name not in {n.name for n in nodes}]
        if missing:
            raise NodecompError(f"no generator node named {', '.join(missing)} in {doc.path}",
                                hint="`nodecomp cloud status SCRIPT` lists them")
        nodes = [n for n in nodes if n.name in wanted]
    return sorted(nodes, key=lambda n: n.name)


def _load(path: str) -> Any:
    import nodecomp

    plugin_module()
    return nodecomp.load(path)


def run_status(args: argparse.Namespace) -> int:
    """One line per generator node: cached, pending or not generated (with the estimate)."""
    from nodecomp.engine.evaluator import Evaluator
    from nodecomp.engine.request import Request

    account = plugin_module("account")
    doc = _load(args.script)
    nodes = _generator_nodes(doc, None)
    if not nodes:
        sys.stdout.write(f"{args.script} has no RunwayGenerate or KlingGenerate node\n")
        return 0
    evaluator = Evaluator(doc)
    for node in nodes:
        start = float(doc.resolve_params(node, doc.frame_range[0])["start_frame"])
        params = doc.resolve_params(node, start)
        wanted = node.node_type.input_requests(Request(start), params).get("image")
        source = node.inputs.get("image")
        try:
            image = evaluator.evaluate(source, wanted) if source is not None and wanted is not None else None
            state = account.node_state(evaluator.context(node, Request(start)), node.type_id, params, image,
                                       estimate=not args.no_estimate)
            sys.stdout.write(f"{node.name}: {state.state}: {state.detail}\n")
        except NodecompError as exc:
            sys.stdout.write(f"{node.name}: error: {exc}\n")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    """Generate each node's result now; exit 1 if any failed, 130 on Ctrl-C (tasks are kept)."""
    from nodecomp.engine.evaluator import Evaluator

    doc = _load(args.script)
    nodes = _generator_nodes(doc, args.node)
    if not nodes:
        sys.stderr.write(f"nodecomp: error: {args.script} has no RunwayGenerate or KlingGenerate node\n")
        return 1

    def show(node: str, frame: float, fraction: float, message: str) -> None:
        sys.stderr.write(f"{node}: {message}\n")

    failed = 0
    evaluator = Evaluator(doc, progress=show)
    for node in nodes:
        start = float(doc.resolve_params(node, doc.frame_range[0])["start_frame"])
        try:
            image = evaluator.evaluate(node, start)
        except NodecompError as exc:
            failed += 1
            sys.stderr.write(f"nodecomp: error: {exc}\n")
            continue
        sys.stdout.write(f"{node.name}: {image.metadata.get('cloud/media', '?')}\n")
    return 1 if failed else 0
