"""The life of one generation: cache, estimate, submit, poll with back-off, download, record.

`ensure_generated` is what a node's compute (and `nodecomp cloud generate`) calls. In order:

1. A record whose file is there: return it. No request of any kind leaves the machine.
2. Else, under a per-generation lock (parallel frames of one render wait for the first):
   a pending task (an earlier render timed out, was cancelled or crashed) is resumed;
   otherwise the cost estimate is reported before submitting, a `max_cost` limit is
   enforced, and the task is submitted (rate limits are waited out when the service says for
   how long and that fits the timeout) and remembered as pending.
3. Poll with exponential back-off, reporting state through `progress` and honouring
   cancellation between polls.
4. Download the result once (fresh URLs are asked for when one expired), add it to the media
   folder under its content hash and write the record.

Failures keep what is already paid for: a timeout or a cancel keeps the pending task (the
next render resumes it, unless the node asks to cancel it at the service), a download error
keeps it too, and files already downloaded are never removed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from nodecomp.api import CancelledError, get_logger
from plugins.cloud_generators.download import download
from plugins.cloud_generators.errors import TERMINAL, CloudError, Failure
from plugins.cloud_generators.request import GenerationRequest
from plugins.cloud_generators.service import Estimate, Service, State, Status, Task
from plugins.cloud_generators.store import MediaStore, Record

log = get_logger(__name__)

_SLICE = 0.05  # seconds between cancellation checks while waiting


class Reporter(Protocol):
    """Where state goes: a node's `EvalContext`, or the CLI's printer."""

    def progress(self, fraction: float, message: str = "") -> None:
        """Report; raises CancelledError when the job was cancelled."""
        ...

    def check_cancelled(self) -> None:
        """Raise CancelledError when the job was cancelled."""
        ...


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask, and for how long.

    Attributes:
        first: seconds before the first poll.
        maximum: the longest wait between polls (the back-off stops growing there).
        timeout: seconds from submit (or resume) after which the render gives up waiting;
            the task keeps running at the service and the next render resumes it.
        factor: growth of the wait after each poll.
    """

    first: float = 5.0
    maximum: float = 30.0
    timeout: float = 1200.0
    factor: float = 1.5

    def delays(self) -> Iterator[float]:
        """first, first * factor, ... capped at maximum."""
        delay = max(self.first, 0.0)
        while True:
            yield delay
            delay = min(max(delay * self.factor, 1e-3), max(self.maximum, self.first))


@dataclass(frozen=True)
class JobSettings:
    """A node's job settings (none of them enters the generation key).

    Attributes:
        policy: polling.
        max_cost: refuse to submit above this estimate (0: no limit), in the estimate's unit.
        cancel_remote: on cancel, also cancel the task at the service (else it is resumed later).
        allow_submit: False serves only results already in the media folder (and resumes pending
            tasks): a locked comp never starts a paid task.
    """

    policy: PollPolicy = PollPolicy()
    max_cost: float = 0.0
    cancel_remote: bool = False
    allow_submit: bool = True


def wait(seconds: float, reporter: Reporter) -> None:
    """Sleep `seconds`, checking for cancellation every few hundredths of a second."""
    end = time.monotonic() + max(0.0, seconds)
    while (left := end - time.monotonic()) > 0:
        reporter.check_cancelled()
        time.sleep(min(_SLICE, left))
    reporter.check_cancelled()


def ensure_generated(
    service: Service,
    request: GenerationRequest,
    store: MediaStore,
    settings: JobSettings,
    reporter: Reporter,
) -> Record:
    """The record of `request`'s result, generating it only when the media folder has none."""
    record = store.lookup(request)
    if record is not None:
        return record
    with store.lock(request.key, reporter.check_cancelled):
        record = store.lookup(request)  # another frame of this render may have finished it
        if record is not None:
            return record
        pending = store.read_pending(request)
        if pending is not None and pending.get("task_id"):
            task = Task.from_json(pending)
            _say(reporter, 0.02, f"{service.label}: resuming task {task.id} submitted earlier")
        elif not settings.allow_submit:
            raise CloudError(Failure.LOCKED, f"no {service.label} result for these settings in {store.root}, and "
                             "allow_submit is off", hint="turn allow_submit on to generate it (a new task, a new "
                             "charge), or restore the media folder")
        else:
            task = _submit(service, request, store, settings, reporter)
        finished = False
        try:
            status = _poll(service, task, settings.policy, reporter)
            finished = True  # from here on the result is paid for: never cancel (delete) it remotely
            record = _download(service, request, task, status, store, settings, reporter)
        except CancelledError:
            if settings.cancel_remote and not finished:
                _cancel_quietly(service, task)
                store.clear_pending(request)
                log.info("%s: cancelled task %s at the service", service.label, task.id)
            raise
        except CloudError as exc:
            if exc.failure in TERMINAL:
                store.clear_pending(request)  # the task is over: the next render submits a new one
            raise
        _say(reporter, 1.0, f"{service.label}: saved {record.media}")
        return record


def _say(reporter: Reporter, fraction: float, message: str) -> None:
    log.info("%s", message)
    reporter.progress(fraction, message)


def _submit(
    service: Service, request: GenerationRequest, store: MediaStore, settings: JobSettings, reporter: Reporter
) -> Task:
    estimate = service.estimate(request)
    _say(reporter, 0.0, f"{service.label} {request.model}: estimate before submitting: {estimate.text()}")
    _check_cost(service, estimate, settings.max_cost, submitted=False)
    deadline = time.monotonic() + settings.policy.timeout
    backoff = settings.policy.delays()
    while True:
        reporter.check_cancelled()
        try:
            task = service.submit(request)
            break
        except CloudError as exc:
            if exc.failure is not Failure.RATE_LIMIT:
                raise
            delay = exc.retry_after if exc.retry_after is not None else next(backoff)
            if time.monotonic() + delay > deadline:
                raise CloudError(
                    Failure.RATE_LIMIT,
                    f"{exc.reason}; the service asks to wait {delay:g} s, more than the node's timeout allows",
                    hint=exc.hint or "render again later, or raise the node's timeout",
                    retry_after=exc.retry_after,
                ) from None
            _say(reporter, 0.0, f"{service.label}: rate limited, submitting again in {delay:g} s")
            wait(delay, reporter)
    store.write_pending(request, task.to_json())
    reported = f"; the service reports {task.estimate.text()}" if task.estimate is not None else ""
    _say(reporter, 0.01, f"{service.label}: submitted task {task.id}{reported}")
    if task.estimate is not None:
        try:
            _check_cost(service, task.estimate, settings.max_cost, submitted=True)
        except CloudError:
            _cancel_quietly(service, task)
            store.clear_pending(request)
            raise
    return task


def _check_cost(service: Service, estimate: Estimate, limit: float, *, submitted: bool) -> None:
    if limit <= 0 or estimate.amount is None or estimate.amount <= limit:
        return
    after = " (the task was cancelled at once)" if submitted else " (nothing was submitted)"
    raise CloudError(
        Failure.COST,
        f"{service.label} estimates {estimate.amount:g} {estimate.unit}, over the node's limit of "
        f"{limit:g}{after}",
        hint="raise max cost on the node, or choose a cheaper model, duration or size",
    )


def _poll(service: Service, task: Task, policy: PollPolicy, reporter: Reporter) -> Status:
    start = time.monotonic()
    last = Status(State.QUEUED)
    for delay in policy.delays():
        elapsed = time.monotonic() - start
        if elapsed >= policy.timeout:
            raise CloudError(
                Failure.TIMEOUT,
                f"{service.label} task {task.id} gave no result within {policy.timeout:g} s (last state: "
                f"{last.state.value}); it keeps running at the service and nothing is lost",
                hint="render again to resume the same task (no new charge), or raise the node's timeout",
            )
        wait(min(delay, policy.timeout - elapsed), reporter)
        last = service.status(task)
        if last.state is State.SUCCEEDED:
            return last
        fraction = 0.05 + 0.85 * (last.progress if last.progress is not None else 0.0)
        detail = f" {last.progress:.0%}" if last.progress is not None else ""
        extra = f", {last.message}" if last.message else ""
        _say(reporter, fraction, f"{service.label}: task {task.id} {last.state.value}{detail}{extra}")
    raise AssertionError("unreachable")  # pragma: no cover - delays() never ends


def _download(
    service: Service,
    request: GenerationRequest,
    task: Task,
    status: Status,
    store: MediaStore,
    settings: JobSettings,
    reporter: Reporter,
) -> Record:
    urls = status.outputs
    for attempt in range(2):
        if not urls:
            raise CloudError(Failure.FAILED, f"{service.label} task {task.id} succeeded without a result URL")
        _say(reporter, 0.92, f"{service.label}: downloading the result of task {task.id}")
        try:
            done = download(urls[0], store, timeout=max(60.0, settings.policy.maximum),
                            check_cancelled=reporter.check_cancelled)
            break
        except CloudError as exc:
            if exc.failure is not Failure.EXPIRED:
                raise
            if attempt == 1:
                raise CloudError(
                    Failure.EXPIRED,
                    f"the result of {service.label} task {task.id} can no longer be downloaded ({exc.reason}, "
                    "also after asking for a fresh URL); the service no longer holds it",
                    hint="render again to generate it anew (a new task, a new charge)",
                ) from None
            _say(reporter, 0.92, f"{service.label}: the result URL expired ({exc.reason}); asking for a fresh one")
            urls = service.outputs(task)
    estimate = task.estimate.to_json() if task.estimate is not None else None
    return store.commit(request, done.path, {"task_id": task.id, "task": dict(task.data), "cost": estimate,
                                             "content_type": done.content_type})


def _cancel_quietly(service: Service, task: Task) -> None:
    try:
        service.cancel(task)
    except CloudError as exc:
        log.warning("%s: cancelling task %s failed: %s", service.label, task.id, exc)
