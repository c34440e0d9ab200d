"""What `nodecomp cloud` needs: account checks, and the state of a comp's generator nodes.

Kept here, against `nodecomp.api`, so the command line stays a thin layer: it loads the comp,
renders the inputs and prints what these functions return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nodecomp.api import EvalContext, Image
from plugins.cloud_generators import keys
from plugins.cloud_generators.common import build_request
from plugins.cloud_generators.errors import CloudError
from plugins.cloud_generators.kling import KlingService
from plugins.cloud_generators.kling_generate import KlingGenerate
from plugins.cloud_generators.runway import RunwayService
from plugins.cloud_generators.runway_generate import RunwayGenerate
from plugins.cloud_generators.service import AccountReport, Service
from plugins.cloud_generators.store import MediaStore

SERVICES: dict[str, type[Any]] = {"runway": RunwayService, "kling": KlingService}
GENERATORS = {RunwayGenerate.type_id: "runway", KlingGenerate.type_id: "kling"}


@dataclass(frozen=True)
class CheckResult:
    """One service's check: where its key came from (never the key) and the account report."""

    service: str
    label: str
    key_source: str | None
    report: AccountReport


def make_service(name: str) -> Service:
    """The service object for `runway` or `kling`."""
    return SERVICES[name]()


def check(names: Iterable[str]) -> list[CheckResult]:
    """Check each service: a key is found, the SDK is installed, the account answers."""
    results = []
    for name in names:
        spec = keys.spec(name)
        found = keys.lookup(name)
        if found.key is None:
            notes = f" ({'; '.join(found.notes)})" if found.notes else ""
            results.append(CheckResult(name, spec.label, None, AccountReport(False, (
                f"no key found{notes}: set {spec.env} or run `nodecomp cloud set-key {name}`",))))
            continue
        try:
            report = SERVICES[name](found.key).check_account()
        except CloudError as exc:
            report = AccountReport(False, (str(exc),))
        results.append(CheckResult(name, spec.label, found.key.source, report))
    return results


def services_with_keys() -> list[str]:
    """The services a key is found for (what a bare `nodecomp cloud check` checks)."""
    return [name for name in SERVICES if keys.lookup(name).key is not None]


@dataclass(frozen=True)
class NodeState:
    """Where a generator node stands: `cached`, `pending` or `not generated`, with details."""

    state: str
    detail: str


def node_state(ctx: EvalContext, type_id: str, params: Mapping[str, Any], image: Image | None,
               *, estimate: bool = True) -> NodeState:
    """The state of a generator node's generation; asks the service for an estimate when not generated."""
    service_name = GENERATORS[type_id]
    node_type = RunwayGenerate if service_name == "runway" else KlingGenerate
    operation, model, arguments = node_type.request_parts(params)
    request = build_request(ctx, service_name, operation, model, arguments, image, str(params["colorspace"]))
    store = MediaStore(ctx.document_dir)
    try:
        record = store.lookup(request)
    except CloudError as exc:
        return NodeState("broken", str(exc))
    if record is not None:
        return NodeState("cached", f"{record.media_path} ({model}, task {record.data.get('task_id', '?')})")
    pending = store.read_pending(request)
    if pending is not None:
        return NodeState("pending", f"task {pending.get('task_id')} submitted earlier; a render resumes it")
    if not estimate:
        return NodeState("not generated", f"{model}: a render submits a new task")
    try:
        text = make_service(service_name).estimate(request).text()
    except CloudError as exc:
        text = f"no estimate ({exc.reason})"
    return NodeState("not generated", f"{model}: a render submits a new task; estimate: {text}")
