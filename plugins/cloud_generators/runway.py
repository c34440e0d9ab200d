"""Runway through its official Python SDK (`runwayml`): text-to-image, image-to-video, text-to-video.

The SDK sends the documented request shapes (`POST /v1/image_to_video` with `model`,
`promptImage`, `promptText`, `ratio`, `duration`, `seed`; `GET /v1/tasks/{id}`; ...) and
retries connection errors, 408, 409, 429 and 5xx twice itself, honouring `Retry-After`. Its
base URL comes from `RUNWAYML_BASE_URL` (default `https://api.dev.runwayml.com`), which is how
the tests point the real SDK at a local stand-in server.

Cost: Runway publishes no estimate before a task exists. Before submitting, the node reports
the account's credit balance (`GET /v1/organization`) and refuses to submit from an empty one;
the create response then carries `estimatedCost.credits` ("the maximum credits this task may
charge"), which is reported, recorded, and checked against the node's `max_credits` (a task
over the limit is cancelled at once, before it starts running).
"""

from __future__ import annotations

from typing import Any

from plugins.cloud_generators import keys
from plugins.cloud_generators.errors import CloudError, Failure, missing_package
from plugins.cloud_generators.request import GenerationRequest
from plugins.cloud_generators.service import AccountReport, Estimate, State, Status, Task

DEFAULT_MODELS = {"image_to_video": "gen4_turbo", "text_to_image": "gen4_image", "text_to_video": "gen4.5"}
OPERATIONS = tuple(DEFAULT_MODELS)
REFERENCE_TAG = "input"
SDK_RETRIES = 2


def arguments(operation: str, prompt: str, seed: int, ratio: str, duration: int) -> dict[str, Any]:
    """The arguments sent besides model and image (also the params part of the cache key)."""
    out: dict[str, Any] = {"ratio": ratio, "seed": int(seed)}
    if prompt.strip():
        out["prompt_text"] = prompt
    if operation != "text_to_image":
        out["duration"] = int(duration)
    return out


def _sdk() -> Any:
    try:
        import runwayml
    except ImportError:
        raise missing_package("runwayml", "runwayml") from None
    return runwayml


class RunwayService:
    """The Runway API as the runner drives it."""

    name = "runway"
    label = "Runway"

    def __init__(self, key: keys.FoundKey | None = None) -> None:
        self._key = key
        self._client_instance: Any = None

    def _client(self) -> Any:
        if self._client_instance is None:
            sdk = _sdk()
            key = self._key or keys.require(self.name)
            self._client_instance = sdk.RunwayML(api_key=key.value, max_retries=SDK_RETRIES)
        return self._client_instance

    # ----------------------------------------------------------------- tasks
    def estimate(self, request: GenerationRequest) -> Estimate:
        """The balance (Runway gives no per-task estimate before a task exists); an empty account stops here."""
        try:
            organization = self._client().organization.retrieve()
        except CloudError:
            raise
        except Exception as exc:  # noqa: BLE001 - SDK errors are mapped; anything else is re-raised there
            error = _mapped(exc)
            if error.failure in (Failure.AUTH, Failure.QUOTA, Failure.NO_KEY):
                raise error from None
            return Estimate(None, "credits", f"no estimate before submitting; the balance is unavailable "
                                             f"({error.reason})")
        balance = getattr(organization, "credit_balance", None)
        if balance is not None and balance <= 0:
            raise CloudError(Failure.QUOTA, "the Runway account has no credits left (nothing was submitted)",
                             hint="buy credits in the Runway developer portal, then render again")
        return Estimate(None, "credits", f"Runway gives no estimate before a task exists; the account holds "
                                         f"{balance} credits")

    def submit(self, request: GenerationRequest) -> Task:
        """POST the task; the response's `estimatedCost` is kept with it."""
        client = self._client()
        kwargs = dict(request.arguments)
        try:
            if request.operation == "image_to_video":
                created = client.image_to_video.create(model=request.model, prompt_image=request.data_uri(), **kwargs)
            elif request.operation == "text_to_image":
                if request.image is not None:
                    kwargs["reference_images"] = [{"uri": request.data_uri(), "tag": REFERENCE_TAG}]
                created = client.text_to_image.create(model=request.model, **kwargs)
            elif request.operation == "text_to_video":
                created = client.text_to_video.create(model=request.model, **kwargs)
            else:
                raise CloudError(Failure.INVALID, f"unknown Runway operation {request.operation!r}")
        except CloudError:
            raise
        except Exception as exc:  # noqa: BLE001 - every SDK error becomes a CloudError naming the cause
            raise _mapped(exc) from None
        cost = getattr(created, "estimated_cost", None)
        credits = getattr(cost, "credits", None)
        estimate = None if credits is None else Estimate(
            float(credits), "credits", "the most this task may charge, reported by Runway at submit")
        return Task(id=str(created.id), data={"operation": request.operation}, estimate=estimate)

    def _retrieve(self, task: Task) -> Any:
        try:
            return self._client().tasks.retrieve(task.id)
        except Exception as exc:  # noqa: BLE001 - mapped below
            error = _mapped(exc)
            if error.failure is Failure.INVALID and _status_code(exc) == 404:
                raise CloudError(Failure.EXPIRED, f"Runway no longer knows task {task.id} (HTTP 404)",
                                 hint="render again to generate it anew (a new task, a new charge)") from None
            raise error from None

    def status(self, task: Task) -> Status:
        """GET /v1/tasks/{id}: PENDING, THROTTLED, RUNNING (with progress), SUCCEEDED, FAILED, CANCELLED."""
        details = self._retrieve(task)
        state = str(getattr(details, "status", ""))
        if state == "SUCCEEDED":
            return Status(State.SUCCEEDED, 1.0, outputs=tuple(str(u) for u in (details.output or ())))
        if state == "RUNNING":
            progress = getattr(details, "progress", None)
            return Status(State.RUNNING, float(progress) if progress is not None else None)
        if state == "PENDING":
            return Status(State.QUEUED)
        if state == "THROTTLED":
            return Status(State.THROTTLED, message="waiting for a free slot (the account's concurrency limit)")
        if state == "FAILED":
            raise _task_failure(task, str(getattr(details, "failure", "") or ""),
                                str(getattr(details, "failure_code", "") or ""))
        if state == "CANCELLED":
            raise CloudError(Failure.FAILED, f"Runway task {task.id} was cancelled or deleted at the service",
                             hint="render again to submit a new task")
        raise CloudError(Failure.FAILED, f"Runway answered an unknown task status {state!r}")

    def outputs(self, task: Task) -> tuple[str, ...]:
        """Fresh output URLs: Runway signs new ones on every GET of a finished task."""
        details = self._retrieve(task)
        if str(getattr(details, "status", "")) != "SUCCEEDED":
            return ()
        return tuple(str(u) for u in (details.output or ()))

    def cancel(self, task: Task) -> None:
        """DELETE /v1/tasks/{id} (cancels a running task)."""
        try:
            self._client().tasks.delete(task.id)
        except Exception as exc:  # noqa: BLE001 - mapped
            raise _mapped(exc) from None

    # --------------------------------------------------------------- account
    def check_account(self) -> AccountReport:
        """GET /v1/organization: the balance, the monthly cap and per-model limits."""
        try:
            organization = self._client().organization.retrieve()
        except CloudError as exc:
            return AccountReport(False, (str(exc),))
        except Exception as exc:  # noqa: BLE001 - mapped and reported
            return AccountReport(False, (str(_mapped(exc)),))
        lines = [f"credit balance: {organization.credit_balance} credits"]
        tier = getattr(organization, "tier", None)
        if tier is not None:
            lines.append(f"monthly credit spend cap: {tier.max_monthly_credit_spend}")
            usage = getattr(getattr(organization, "usage", None), "models", None) or {}
            for model, limits in sorted((tier.models or {}).items()):
                used = getattr(usage.get(model), "daily_generations", 0) if model in usage else 0
                daily = limits.max_daily_generations if limits.max_daily_generations is not None else "no limit"
                lines.append(f"{model}: {used} generations today of {daily}, "
                             f"{limits.max_concurrent_generations or 'unlimited'} at once")
        ok = organization.credit_balance > 0
        if not ok:
            lines.append("the account has no credits: submissions will be refused")
        return AccountReport(ok, tuple(lines))


def _status_code(exc: BaseException) -> int | None:
    return getattr(exc, "status_code", None)


def _body_message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        for field in ("error", "message", "detail"):
            if isinstance(body.get(field), str):
                return body[field]
    return str(getattr(exc, "message", "") or exc)


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue
    return None


def _mapped(exc: BaseException) -> CloudError:
    """A Runway SDK exception as a CloudError."""
    sdk = _sdk()
    message = _body_message(exc)
    code = _status_code(exc)
    if isinstance(exc, sdk.APIConnectionError):  # includes APITimeoutError
        failure = Failure.TIMEOUT if isinstance(exc, sdk.APITimeoutError) else Failure.NETWORK
        return CloudError(failure, f"Runway could not be reached ({message})",
                          hint="check the network (and RUNWAYML_BASE_URL if set), then render again")
    if isinstance(exc, sdk.AuthenticationError):
        return CloudError(Failure.AUTH, f"Runway rejected the API key (HTTP 401: {message})",
                          hint="check the key with `nodecomp cloud check runway`")
    if isinstance(exc, sdk.PermissionDeniedError):
        return CloudError(Failure.AUTH, f"Runway refused access (HTTP 403: {message})",
                          hint="the key's organization may lack access to this model")
    if isinstance(exc, sdk.RateLimitError):
        retry = _retry_after(exc)
        wait_text = f"; retry after {retry:g} s" if retry is not None else ""
        return CloudError(Failure.RATE_LIMIT, f"Runway rate limit or daily generation limit reached "
                                              f"(HTTP 429: {message}){wait_text}",
                          hint="render again later; `nodecomp cloud check runway` shows today's usage",
                          retry_after=retry)
    if code == 402 or (code == 400 and "credit" in message.lower()):
        return CloudError(Failure.QUOTA, f"the Runway account cannot pay for this task (HTTP {code}: {message})",
                          hint="buy credits in the Runway developer portal, then render again")
    if isinstance(exc, sdk.APIStatusError) and code is not None and code < 500:
        return CloudError(Failure.INVALID, f"Runway rejected the request (HTTP {code}: {message})",
                          hint="check the model, ratio, duration and prompt against Runway's API reference")
    if isinstance(exc, sdk.APIStatusError):
        return CloudError(Failure.FAILED, f"Runway answered HTTP {code} ({message})",
                          hint="a service problem: render again later")
    if isinstance(exc, sdk.RunwayMLError):
        return CloudError(Failure.FAILED, f"Runway SDK error: {exc}")
    raise exc


def _task_failure(task: Task, failure: str, code: str) -> CloudError:
    said = f" ({code}: {failure})" if code else f" ({failure})" if failure else ""
    if code.startswith("SAFETY"):
        part = "an input" if ".INPUT." in code else "the output" if ".OUTPUT." in code else "the request"
        return CloudError(Failure.MODERATION, f"Runway's content moderation refused {part} of task {task.id}{said}",
                          hint="change the prompt or the input frame; Runway advises not to retry the same request")
    if code.startswith(("ASSET", "INPUT_PREPROCESSING")):
        return CloudError(Failure.INVALID, f"Runway could not use the input of task {task.id}{said}",
                          hint="check the input frame's size and aspect ratio")
    return CloudError(Failure.FAILED, f"Runway task {task.id} failed{said}",
                      hint="render again to retry with a new task")
